import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeChannels } from './discord-channels.ts';

/** One request the fake received, with what it answered. */
export interface DiscordRequest {
  method: string;
  /** The route without the `/api/v10` prefix, e.g. `/webhooks/1/tok/messages/@original`. */
  route: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  // Tests read Discord payloads field by field; their shapes are Discord's wire format.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  status: number;
  /** The interaction token for webhook routes. */
  token?: string;
}

/** A message as the fake keeps it: the interaction's @original or a follow-up. */
export interface FakeMessage {
  id: string;
  kind: 'original' | 'followup';
  content: string;
  flags: number;
  allowed_mentions?: unknown;
  /** How many times it was written (1 = created, then edits). */
  writes: number;
}

/** A canned failure for the next matching requests. */
export interface Injection {
  status: number;
  /** Discord's JSON error code (e.g. 10015), sent as `code`. */
  code?: number;
  message?: string;
  /** For 429: seconds, sent as the Retry-After header and `retry_after`. */
  retryAfter?: number;
  global?: boolean;
  method?: string;
  /** Only routes containing this text (or matching this pattern). */
  route?: string | RegExp;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** Let this many matching requests through first; default 0. */
  skip?: number;
}

/** What GET /applications/@me answers for the bot token (the fields Carrier reads). */
export type FakeApplication = {
  id: string;
  name: string;
  verify_key: string;
  interactions_endpoint_url?: string;
};

export interface StoredCommand {
  id: string;
  application_id: string;
  guild_id?: string;
  name: string;
  description: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  options?: any[];
  version: string;
}

/**
 * A loopback Discord REST API: interaction webhooks (edit @original, follow-ups) and command
 * registration. It records every request, validates what Discord validates (2,000-character
 * content, bot auth on commands), and can be told to rate-limit, fail with a Discord error code or
 * expire an interaction token. Point `@discordjs/rest` (or DISCORD_API_URL) at `url`.
 *
 * @example
 * const discord = await FakeDiscordApi.start();
 * const delivery = new DiscordDelivery({ apiUrl: discord.url });
 * // ... deliver ...
 * discord.messagesFor(token); // [{ kind: 'original', content: 'Hi!' , ... }]
 * await discord.close();
 */
/** A rate-limit bucket like Discord's on an interaction's @original: `limit` requests per window. */
export interface FakeBucket {
  limit: number;
  windowMs: number;
  /** The bucket's clock (a test's virtual one); default Date.now. */
  now?: () => number;
}

export class FakeDiscordApi {
  readonly requests: DiscordRequest[] = [];
  /** 429s the bucket answered (a client that paces itself by the headers gets none). */
  rateLimited = 0;
  private bucket?: FakeBucket & { windowStart: number; used: number };
  /** Called with each request once served, before the answer is sent (to act at that moment). */
  onRequest?: (request: DiscordRequest) => void;
  private readonly messages = new Map<string, FakeMessage[]>();
  private readonly commandSets = new Map<string, StoredCommand[]>();
  private readonly expired = new Set<string>();
  private injections: (Injection & { left: number; toSkip: number })[] = [];
  private nextId = 1n;
  /** Messages bots posted to channels (scheduled turns). */
  readonly channels = new FakeChannels(() => this.snowflake());

  private constructor(
    private readonly server: Server,
    /** Base URL for the client, e.g. `http://127.0.0.1:41234/api`. */
    readonly url: string,
    private readonly botToken: string | undefined,
  ) {}

  /** The bot token's application, served at GET /applications/@me. */
  application?: FakeApplication;

  /**
   * Starts on 127.0.0.1 and a free port. With `botToken`, command routes (and /applications/@me)
   * accept only `Bot <that token>`; `application` is what /applications/@me answers.
   */
  static async start(
    options: { botToken?: string; application?: FakeApplication; originalBucket?: FakeBucket } = {},
  ): Promise<FakeDiscordApi> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeDiscordApi(server, `http://127.0.0.1:${port}/api`, options.botToken);
    fake.application = options.application;
    if (options.originalBucket) fake.bucket = { ...options.originalBucket, windowStart: -Infinity, used: 0 };
    server.on('request', (req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        const reply = fake.handle(req.method ?? 'GET', req.url ?? '/', req.headers, raw);
        res.writeHead(reply.status, {
          ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...reply.headers,
        });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
    return fake;
  }

  /** Messages deleted through the webhook routes, in order. */
  readonly deleted: Array<{ token: string; id: string }> = [];

  /** The interaction's messages: @original first (if written), then follow-ups in order. */
  messagesFor(token: string): FakeMessage[] {
    return [...(this.messages.get(token) ?? [])];
  }

  /** The commands registered for an application, globally or in one guild. */
  commands(applicationId: string, guildId?: string): StoredCommand[] {
    return [...(this.commandSets.get(commandKey(applicationId, guildId)) ?? [])];
  }

  /** Webhook requests with this token get 401 / 50027 Invalid Webhook Token from now on. */
  expireToken(token: string): void {
    this.expired.add(token);
  }

  /** The next matching request(s) fail as described instead of being served. */
  inject(injection: Injection): void {
    this.injections.push({ ...injection, left: injection.times ?? 1, toSkip: injection.skip ?? 0 });
  }

  /** The next matching request(s) get 429 with `retry_after` seconds. */
  rateLimitNext(retryAfter: number, match: Omit<Injection, 'status' | 'retryAfter'> = {}): void {
    this.inject({ status: 429, retryAfter, message: 'You are being rate limited.', ...match });
  }

  /** Forgets requests, messages, commands, expiries and pending injections. */
  reset(): void {
    this.requests.length = 0;
    this.messages.clear();
    this.commandSets.clear();
    this.expired.clear();
    this.injections = [];
    this.channels.clear();
    this.rateLimited = 0;
    if (this.bucket) Object.assign(this.bucket, { windowStart: -Infinity, used: 0 });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.closeAllConnections();
      this.server.close((error) => (error ? reject(error) : resolve()));
    });
  }

  private handle(method: string, url: string, headers: IncomingHttpHeaders, raw: string): Reply {
    const parsed = new URL(url, 'http://discord.local');
    const route = decodePath(parsed.pathname).replace(/^\/api(\/v\d+)?/, '');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const token = /^\/webhooks\/[^/]+\/([^/]+)/.exec(route)?.[1];
    const reply =
      this.injected(method, route) ?? this.limited(route) ?? this.serve(method, route, headers, body, token);
    const request: DiscordRequest = {
      method,
      route,
      query: Object.fromEntries(parsed.searchParams),
      headers,
      body,
      status: reply.status,
      ...(token ? { token } : {}),
    };
    this.requests.push(request);
    this.onRequest?.(request);
    if (this.pendingHeaders) reply.headers = { ...reply.headers, ...this.pendingHeaders };
    this.pendingHeaders = undefined;
    return reply;
  }

  /** The @original bucket: counts the request, answers 429 when the window is used up, else adds headers. */
  private limited(route: string): Reply | undefined {
    const bucket = this.bucket;
    if (!bucket || !route.endsWith('/messages/@original')) return undefined;
    const now = (bucket.now ?? Date.now)();
    if (now >= bucket.windowStart + bucket.windowMs) Object.assign(bucket, { windowStart: now, used: 0 });
    const resetAfter = (bucket.windowStart + bucket.windowMs - now) / 1000;
    const headers = {
      'x-ratelimit-bucket': 'original-edits',
      'x-ratelimit-limit': String(bucket.limit),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-reset': ((Date.now() + resetAfter * 1000) / 1000).toFixed(3),
    };
    if (bucket.used >= bucket.limit) {
      this.rateLimited++;
      return {
        status: 429,
        headers: {
          ...headers,
          'x-ratelimit-remaining': '0',
          'retry-after': resetAfter.toFixed(3),
          'x-ratelimit-scope': 'user',
        },
        body: { message: 'You are being rate limited.', retry_after: resetAfter, global: false },
      };
    }
    bucket.used++;
    this.pendingHeaders = { ...headers, 'x-ratelimit-remaining': String(bucket.limit - bucket.used) };
    return undefined;
  }

  private pendingHeaders: Record<string, string> | undefined;

  private injected(method: string, route: string): Reply | undefined {
    const index = this.injections.findIndex(
      (i) =>
        (!i.method || i.method.toUpperCase() === method) &&
        (!i.route || (typeof i.route === 'string' ? route.includes(i.route) : i.route.test(route))),
    );
    const injection = this.injections[index];
    if (!injection) return undefined;
    if (injection.toSkip > 0) {
      injection.toSkip -= 1;
      return undefined;
    }
    injection.left -= 1;
    if (injection.left <= 0) this.injections.splice(index, 1);
    if (injection.status === 429) {
      const retryAfter = injection.retryAfter ?? 0.01;
      return {
        status: 429,
        headers: {
          'retry-after': String(retryAfter),
          'x-ratelimit-scope': injection.global ? 'global' : 'user',
          ...(injection.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
        body: { message: injection.message, retry_after: retryAfter, global: injection.global ?? false },
      };
    }
    return error(injection.status, injection.code ?? 0, injection.message ?? 'Injected failure');
  }

  private serve(
    method: string,
    route: string,
    headers: IncomingHttpHeaders,
    body: unknown,
    token: string | undefined,
  ): Reply {
    const webhook = /^\/webhooks\/([^/]+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(route);
    if (webhook && token) {
      if (this.expired.has(token)) return error(401, 50027, 'Invalid Webhook Token');
      const messageId = webhook[3];
      if (method === 'POST' && !messageId) return this.write(token, 'followup', body);
      if (method === 'PATCH' && messageId === '@original') return this.write(token, 'original', body);
      if (method === 'PATCH' && messageId) return this.write(token, 'followup', body, messageId);
      if (method === 'GET' && messageId) return this.read(token, messageId);
      if (method === 'DELETE' && messageId) return this.remove(token, messageId);
    }
    const auth = headers.authorization;
    const botAuthorized =
      auth?.startsWith('Bot ') && (this.botToken === undefined || auth === `Bot ${this.botToken}`);
    if (route === '/applications/@me' && method === 'GET') {
      if (!botAuthorized) return error(401, 0, '401: Unauthorized');
      return this.application
        ? { status: 200, body: this.application }
        : error(404, 10002, 'Unknown Application');
    }
    const channel = /^\/channels\/(\d+)\/messages$/.exec(route);
    if (channel?.[1] && method === 'POST') return this.channels.post(channel[1], auth, body);
    const commands = /^\/applications\/([^/]+)(?:\/guilds\/([^/]+))?\/commands$/.exec(route);
    if (commands?.[1]) {
      if (!botAuthorized) return error(401, 0, '401: Unauthorized');
      if (method === 'PUT') return this.overwriteCommands(commands[1], commands[2], body);
      if (method === 'GET') return { status: 200, body: this.commands(commands[1], commands[2]) };
    }
    return error(404, 0, '404: Not Found');
  }

  private write(token: string, kind: FakeMessage['kind'], body: unknown, id?: string): Reply {
    const payload = (body ?? {}) as { content?: unknown; flags?: unknown; allowed_mentions?: unknown };
    const content = typeof payload.content === 'string' ? payload.content : undefined;
    if (content !== undefined && content.length > 2000) {
      return {
        status: 400,
        body: {
          code: 50035,
          message: 'Invalid Form Body',
          errors: {
            content: {
              _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }],
            },
          },
        },
      };
    }
    const list = this.messages.get(token) ?? [];
    this.messages.set(token, list);
    let message =
      kind === 'original' ? list.find((m) => m.kind === 'original') : list.find((m) => m.id === id);
    if (id && !message) return error(404, 10008, 'Unknown Message');
    if (!message) {
      if (!content) return error(400, 50006, 'Cannot send an empty message');
      message = { id: this.snowflake(), kind, content: '', flags: 0, writes: 0 };
      if (kind === 'original') list.unshift(message);
      else list.push(message);
    }
    if (content !== undefined) message.content = content;
    if (typeof payload.flags === 'number') message.flags = payload.flags;
    if (payload.allowed_mentions !== undefined) message.allowed_mentions = payload.allowed_mentions;
    message.writes += 1;
    return { status: 200, body: { id: message.id, content: message.content, flags: message.flags } };
  }

  private read(token: string, id: string): Reply {
    const list = this.messages.get(token) ?? [];
    const message =
      id === '@original' ? list.find((m) => m.kind === 'original') : list.find((m) => m.id === id);
    return message ? { status: 200, body: message } : error(404, 10008, 'Unknown Message');
  }

  /** Deleting the deferred @original is allowed before it was ever edited, as on Discord. */
  private remove(token: string, id: string): Reply {
    const list = this.messages.get(token) ?? [];
    const at = list.findIndex((m) => (id === '@original' ? m.kind === 'original' : m.id === id));
    if (at >= 0) list.splice(at, 1);
    else if (id !== '@original') return error(404, 10008, 'Unknown Message');
    this.deleted.push({ token, id });
    return { status: 204, body: undefined };
  }

  private overwriteCommands(applicationId: string, guildId: string | undefined, body: unknown): Reply {
    const valid =
      Array.isArray(body) &&
      body.every(
        (c: { name?: unknown; description?: unknown }) =>
          typeof c.name === 'string' &&
          /^[-_\p{L}\p{N}]{1,32}$/u.test(c.name) &&
          typeof c.description === 'string',
      );
    if (!valid) return error(400, 50035, 'Invalid Form Body');
    const key = commandKey(applicationId, guildId);
    const before = this.commandSets.get(key) ?? [];
    // Like Discord: a command keeps its id across overwrites as long as its name is unchanged.
    const stored = (body as Omit<StoredCommand, 'id' | 'application_id' | 'version'>[]).map((c) => ({
      ...c,
      id: before.find((b) => b.name === c.name)?.id ?? this.snowflake(),
      application_id: applicationId,
      ...(guildId ? { guild_id: guildId } : {}),
      version: this.snowflake(),
    }));
    this.commandSets.set(key, stored);
    return { status: 200, body: stored };
  }

  private snowflake(): string {
    this.nextId += 1n;
    return (1_200_000_000_000_000_000n + this.nextId).toString();
  }
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function error(status: number, code: number, message: string): Reply {
  return { status, body: { code, message } };
}

function commandKey(applicationId: string, guildId?: string): string {
  return guildId ? `${applicationId}/guilds/${guildId}` : applicationId;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
