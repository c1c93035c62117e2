import type { InstagramAccount, InstagramSettings } from '../instagram/settings.ts';
import type { McpServerConfig } from '../mcp/config.ts';
import type { FtpHostSettings } from '../media/media-host.ts';

/**
 * What `carrier doctor` asks of the outside world, one function per peer. The checks interpret
 * the answers; the adapters (functions/adapters/probes/) make the calls, so tests can point them
 * at loopback fakes or replace them outright. A probe throws a ProbeError when the peer refuses.
 */
export interface DoctorProbes {
  /** The store the settings select, without migrating or creating it. */
  store(env: Record<string, string | undefined>): Promise<StoreFacts>;
  /** Connects to one MCP server and lists its tools' names. */
  mcpTools(
    name: string,
    server: McpServerConfig,
    env: (name: string) => string | undefined,
  ): Promise<string[]>;
  /** Logs in, uploads a small file, reads it back over HTTP_SERVER, and removes it. */
  ftp(settings: FtpHostSettings): Promise<FtpFacts>;
  /** The Discord application a bot token belongs to (GET /applications/@me). */
  discordApplication(botToken: string): Promise<DiscordApplication>;
  /** The application's global commands as Discord holds them. */
  discordCommands(
    botToken: string,
    applicationId: string,
  ): Promise<Array<{ name: string; description: string }>>;
  /** The account's publishing quota (an authenticated Graph call: a dead token fails here). */
  instagramQuota(
    graph: InstagramSettings['graph'],
    account: InstagramAccount,
  ): Promise<{ used: number; total?: number }>;
  /** One cheap authenticated request to a model provider for this key and model. */
  model(target: ModelTarget): Promise<void>;
}

export interface StoreFacts {
  kind: 'supabase' | 'postgres' | 'pglite';
  /** Where it is, with any password redacted. */
  where: string;
  /** PGlite only: false when the data folder does not exist yet. */
  exists: boolean;
  /**
   * PGlite only: the local stack that has the data folder open (PGlite allows one process), so
   * nothing was read from it.
   */
  heldBy?: { pid: number; url: string };
  /** Migration versions applied; undefined where they cannot be read (Supabase over RPC, a held PGlite). */
  applied?: string[];
  /** The migration versions this code expects. */
  expected: string[];
  /** What the store knows about Instagram tokens (their expiry), by account id. */
  tokens: Map<string, { sha256: string; expiresAt?: Date }>;
}

export interface FtpFacts {
  /** The URL the probe file should be readable at. */
  publicUrl: string;
  /** Why that URL did not serve the uploaded file (FTP itself worked); undefined when it did. */
  notServed?: string;
}

export interface DiscordApplication {
  id: string;
  name: string;
  /** The application's public key (the developer portal's "Public Key"). */
  verifyKey: string;
  interactionsEndpointUrl?: string;
}

export interface ModelTarget {
  provider: 'openai' | 'anthropic';
  model: string;
  apiKey?: string;
  baseURL?: string;
}
