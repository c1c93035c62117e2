import type { DoctorProbes } from '../../doctor/probes.ts';

/**
 * The real probes, each loading its SDK (PGlite, the MCP client, basic-ftp, @discordjs/rest, the
 * model SDKs) only when its check runs, so `carrier doctor` pays for what is configured.
 *
 * @example
 * const probes = lazyProbes({ timeoutMs: 10_000, discordApiUrl: env.DISCORD_API_URL });
 */
export function lazyProbes(options: { timeoutMs: number; discordApiUrl?: string }): DoctorProbes {
  const { timeoutMs } = options;
  const discord = { timeoutMs, ...(options.discordApiUrl ? { apiUrl: options.discordApiUrl } : {}) };
  return {
    store: async (env) => (await import('./store-probe.ts')).probeStore(env),
    mcpTools: async (name, server, env) => (await import('./mcp-probe.ts')).probeMcpTools(name, server, env),
    ftp: async (settings) => (await import('./ftp-probe.ts')).probeFtp(settings, timeoutMs),
    discordApplication: async (token) =>
      (await import('./discord-probe.ts')).probeDiscordApplication(token, discord),
    discordCommands: async (token, applicationId) =>
      (await import('./discord-probe.ts')).probeDiscordCommands(token, applicationId, discord),
    instagramQuota: async (graph, account) =>
      (await import('./graph-probe.ts')).probeInstagramQuota(graph, account, timeoutMs),
    model: async (target) => (await import('./model-probe.ts')).probeModel(target, timeoutMs),
  };
}
