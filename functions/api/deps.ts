import type { ConsoleLive } from './console-page.ts';
import type { RouteDoc } from './openapi.ts';
import type { Hono } from 'hono';
import type { TurnRepository } from '../ports/turns.ts';
import type { Log } from '../ports/log.ts';
import type { MemoryType, RecalledMemory } from '../ports/memory.ts';
import type { FactOutcome } from '../ports/memory-records.ts';
import type { TurnQueue } from '../ports/queue.ts';
import type { KeyLimitSettings, RateLimiter } from '../ports/rate-limits.ts';
import type { ApiEnv, Authenticate } from './auth.ts';

/** Reading, adding to and erasing an agent's memories, for the memories endpoints and MCP tools. */
export interface MemoryAdmin {
  search(query: {
    agentId: string;
    query?: string;
    userId?: string;
    /** Without `userId`: only users whose stored id starts with this (the caller's tenant). */
    usersWithin?: string;
    roomId?: string;
    type?: MemoryType;
    limit: number;
  }): Promise<RecalledMemory[]>;
  forget(query: { agentId: string; userId: string; keepTurnId?: string }): Promise<{ deleted: number }>;
  /** A fact about one user, as reflection would store it: the same text twice is stored once. */
  addFact(fact: {
    agentId: string;
    userId: string;
    text: string;
    metadata?: Record<string, unknown>;
  }): Promise<{ id: string; outcome: FactOutcome }>;
}

export interface ApiDeps {
  turns: TurnRepository;
  queue: TurnQueue;
  authenticate: Authenticate;
  /** The characters this deployment serves. */
  agents(): Promise<Array<{ id: string; name: string }>>;
  /** Said after "no agent": the local stack's agents are the character files it found at start. */
  unknownAgentHint?: string;
  /** Per-key token buckets; absent, requests are not rate limited (tests of other things). */
  rateLimiter?: RateLimiter;
  /** The environment's key limits; a key's own override them. Default DEFAULT_KEY_LIMITS. */
  limits?: KeyLimitSettings;
  /** Absent: the memories endpoints answer 501. */
  memories?: MemoryAdmin;
  /** Extra routes mounted under /v1 behind the same key check (Instagram posts). */
  extraRoutes?: Array<{ path: string; app: Hono<ApiEnv>; docs?: RouteDoc[] }>;
  /** Serve the console at /console, following replies as `live` says (see console-page.ts). */
  console?: { live: ConsoleLive };
  /** Deployed APIs only accept https webhooks on public hosts; the local stack also allows http and loopback. */
  allowHttpWebhooks?: boolean;
  /** Every address a webhook host resolves to. Default: node:dns lookup (tests pass a fake). */
  resolveHost?: (hostname: string) => Promise<string[]>;
  newId?: () => string;
  now?: () => Date;
  /** How often `?wait` looks at the job. Default 100 ms. */
  waitPollMs?: number;
  log?: Pick<Log, 'error'>;
  version?: string;
}
