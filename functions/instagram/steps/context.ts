import type { Character } from '../../characters/schema.ts';
import type { MediaHost } from '../../media/media-host.ts';
import type { ResolvedModel } from '../../ports/model.ts';
import type { Log } from '../../ports/log.ts';
import type { BudgetGate } from '../../usage/budget-gate.ts';
import type { TurnUsage } from '../../usage/turn-usage.ts';
import type { OutboundFetch } from '../../ports/outbound.ts';
import type { InstagramGraph } from '../graph.ts';
import type { Post } from '../post.ts';
import type { PostRepository } from '../post-repository.ts';
import type { QuotaReader } from '../quota.ts';
import type { InstagramAccount, InstagramSettings } from '../settings.ts';

export interface PublisherLimits {
  /** Posts claimed per tick. */
  batch: number;
  /** Retryable failures of one step before the post fails. */
  maxAttempts: number;
  /** First backoff after a retryable failure, doubled each time, capped at an hour. */
  backoffSeconds: number;
  /** How soon a container still IN_PROGRESS is looked at again. */
  pollSeconds: number;
  /** Polls before a container that never finishes fails the post. */
  maxPolls: number;
  /** How long after a publish of unknown outcome the container's status is read. */
  reconcileSeconds: number;
  /** How long a tick may work before it gives its remaining posts back. */
  budgetMs: number;
  /** Containers older than this are remade instead of published (Meta expires them at 24 h). */
  containerMaxAgeSeconds: number;
  /**
   * Claims in a row that die (the tick crashed, timed out or ran out of memory on the post)
   * before the next claim fails the post with the reason, instead of trying it forever.
   */
  maxClaims: number;
}

export const DEFAULT_LIMITS: PublisherLimits = {
  batch: 10,
  maxAttempts: 6,
  backoffSeconds: 60,
  pollSeconds: 30,
  maxPolls: 120,
  reconcileSeconds: 60,
  budgetMs: 120_000,
  containerMaxAgeSeconds: 23 * 3600,
  maxClaims: 5,
};

/** What the steps of one tick share. */
export interface StepContext {
  posts: PostRepository;
  owner: string;
  now(): Date;
  settings: InstagramSettings;
  limits: PublisherLimits;
  log: Log;
  character(id: string): Promise<Character>;
  model(character: Character): ResolvedModel;
  /** The daily budgets a caption's model call counts against, as a turn's does. */
  budget?: BudgetGate;
  graph(account: InstagramAccount): InstagramGraph;
  /** Undefined until FTP and HTTP_SERVER are configured. */
  host?: MediaHost;
  /** The outbound fetch: media downloads, and the Graph API and HTTP_SERVER unless overridden. */
  fetch: OutboundFetch;
  quota: QuotaReader;
  /** Accounts whose token Meta refused during this tick: their other posts wait untouched. */
  refusedAccounts: Set<string>;
  report: TickReport;
}

export interface TickReport {
  owner: string;
  claimed: string[];
  /** State transitions persisted during the tick. */
  transitions: number;
  published: Array<{ id: string; character: string; mediaId: string | null; permalink: string | null }>;
  failed: Array<{ id: string; character: string; reason: string }>;
  waiting: Array<{ id: string; state: string; until: string; reason: string | null }>;
  /** Posts another scheduler took over (our lease had expired) or that were cancelled meanwhile. */
  lost: string[];
  errors: Array<{ id: string; error: string }>;
  warnings: string[];
  /** Captions written during the tick, with what their model calls used. */
  captions: Array<{ id: string; character: string; model: string; usage: TurnUsage }>;
  /** Each character's publishing quota as Meta last reported it, counting this tick's posts. */
  quota: Array<{ character: string; used: number; total: number }>;
}

/** One step's result: the post to continue with, or nothing when it stops for this tick. */
export type StepResult = Post | undefined;
