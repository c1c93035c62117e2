import { STDIO_OVER_HTTP_ADVICE, type McpServerConfig } from '../mcp/config.ts';
import { OutboundRefusedError, outboundTarget } from '../outbound/address-policy.ts';
import { failed, messageOf, passed, ProbeError, type CheckResult } from './check.ts';
import type { DoctorProbes } from './probes.ts';

/**
 * One MCP server: it answers, lists its tools, and offers every tool `allowed_tools` names.
 * Deployed, a stdio server is refused (Lambda cannot start it); locally it is started.
 *
 * @example
 * await checkMcpServer('everything', config.mcpServers.everything, { file, deployed: false, env, probe: probes.mcpTools });
 */
export async function checkMcpServer(
  server: string,
  config: McpServerConfig,
  options: {
    file: string;
    deployed: boolean;
    env: (name: string) => string | undefined;
    probe: DoctorProbes['mcpTools'];
  },
): Promise<CheckResult> {
  const name = `mcp ${server}`;
  const entry = `mcpServers.${server}`;
  const where = config.type === 'stdio' ? `\`${[config.command, ...config.args].join(' ')}\`` : config.url;
  if (config.type === 'stdio' && options.deployed) {
    return failed(name, 'a stdio server cannot run on Lambda', STDIO_OVER_HTTP_ADVICE);
  }
  // The deployed runner connects to public addresses only: a server that answers this machine
  // on loopback or the LAN would pass the probe and still be out of the runner's reach.
  const unreachable = options.deployed && config.type !== 'stdio' ? notPublic(where) : undefined;
  if (unreachable) {
    return failed(
      name,
      `${where}: ${unreachable}, which the deployed runner does not connect to`,
      `give ${entry}.url in ${options.file} the server's public https address`,
    );
  }
  let tools: string[];
  try {
    tools = await options.probe(server, config, options.env);
  } catch (error) {
    const kind = error instanceof ProbeError ? error.kind : 'unreachable';
    const why = messageOf(error);
    if (kind === 'missing')
      return failed(name, why, `set the variable it names in .env or the environment's secret`);
    if (kind === 'rejected') {
      return failed(
        name,
        `${where} refused the connection (${why})`,
        `check the headers of ${entry} in ${options.file} and the secrets they name`,
      );
    }
    const fix =
      config.type === 'stdio'
        ? `check that \`${config.command}\` runs on this machine, or correct ${entry}.command in ${options.file}`
        : `start the server, or correct ${entry}.url in ${options.file}`;
    return failed(name, `cannot connect to ${where} (${why})`, fix);
  }
  const unknown = (config.allowed_tools ?? []).filter((t) => !tools.includes(t));
  if (unknown.length) {
    return failed(
      name,
      `allowed_tools names ${unknown.join(', ')}, which ${server} does not offer (it offers: ${tools.join(', ') || 'nothing'})`,
      `correct ${entry}.allowed_tools in ${options.file}`,
    );
  }
  const used = config.allowed_tools ?? tools;
  return passed(
    name,
    `${where}: ${tools.length} tools${config.allowed_tools ? `, allowed: ${used.join(', ')}` : ''}`,
  );
}

/** Why the deployed runner would not connect to `url` by its host alone (DNS aside), if it would not. */
function notPublic(url: string): string | undefined {
  try {
    outboundTarget(url, 'public');
    return undefined;
  } catch (error) {
    if (error instanceof OutboundRefusedError) return error.message;
    throw error;
  }
}
