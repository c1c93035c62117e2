import type { LocalQueueOptions } from '../adapters/queue/local-queue.ts';
import type { LocalTurnQueues } from '../adapters/queue/local-queues.ts';
import type { MemoryAdmin } from '../api/deps.ts';
import type { Character } from '../characters/schema.ts';
import type { Settings } from '../config/settings.ts';
import type { CharacterKnowledge } from '../memory/knowledge-at-start.ts';
import type { McpPool } from '../mcp/pool.ts';
import type { Delivery } from '../ports/delivery.ts';
import type { Log } from '../ports/log.ts';
import type { MemoryPort } from '../ports/memory.ts';
import type { ResolvedModel } from '../ports/model.ts';
import type { SqlStore } from '../ports/sql.ts';
import type { TurnRepository } from '../ports/turns.ts';
import type { ForgetUser } from '../turns/process-turn.ts';
import type { SweepReport } from '../turns/recover.ts';
import type { LocalMetrics } from './metrics-file.ts';
import type { LocalScheduler } from './schedules.ts';

// What startLocalStack (stack.ts) takes and gives.

export interface LocalStackOptions {
  settings: Settings;
  /** Default `settings.port`; 0 picks a free port (tests). */
  port?: number;
  hostname?: string;
  /**
   * Default: the store the settings select, as the CLI opens it (PGlite under `settings.dataDir`,
   * migrated, unless DATABASE_URL or Supabase is set). A given store must be migrated already.
   */
  store?: SqlStore;
  memory?: MemoryPort;
  memoryAdmin?: MemoryAdmin;
  forget?: ForgetUser;
  model?: (character: Character) => ResolvedModel;
  /** Default: Discord REST at DISCORD_API_URL (else discord.com). */
  discord?: Delivery;
  mcp?: McpPool;
  /** Both queues' options; `apiQueue` overrides them for the API's. */
  queue?: LocalQueueOptions;
  apiQueue?: LocalQueueOptions;
  webhookBaseDelayMs?: number;
  /** How the stack reads a character (runner, reflection, scheduler, knowledge import). Default: from characters/. */
  loadCharacter?: (id: string) => Promise<Character>;
  /** Runs every `everyMs` (default 60 s) while the stack is up. Default: the Instagram publisher; false: none. */
  tick?: { run: () => Promise<unknown>; everyMs?: number } | false;
  /** The in-process scheduler (character-file, API and follow-up schedules); false: none. */
  schedules?: { everyMs?: number; now?: () => Date } | false;
  log?: Log;
}

export interface LocalStack {
  url: string;
  port: number;
  devApiKey: string;
  webhookSecret: string;
  /** Which of the two were generated for this run (print them: they change at every start). */
  generated: { devApiKey: boolean; webhookSecret: boolean };
  /** Unfinished API jobs found at start and queued again. */
  requeued: number;
  characters: string[];
  /** The characters' knowledge, imported in the background once the stack listens. */
  knowledge: Promise<CharacterKnowledge[]>;
  /** Discord's and the API's turn queues (see LocalTurnQueues). */
  queue: LocalTurnQueues;
  scheduler: LocalScheduler | undefined;
  store: SqlStore;
  turns: TurnRepository;
  /** Each turn's figures, as the deployed runner's EMF documents. */
  metrics: LocalMetrics;
  /** Runs the recovery sweep now (it also runs every minute); `now` moves its clock (tests). */
  sweep(now?: Date): Promise<SweepReport>;
  stop(): Promise<void>;
}
