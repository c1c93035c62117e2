import { randomUUID } from 'node:crypto';
import type { Character } from '../characters/schema.ts';
import { CarrierError } from '../errors.ts';
import type { MediaHost } from '../media/media-host.ts';
import type { InstagramGraph } from './graph.ts';
import type { PostRepository } from './post-repository.ts';
import type { ResolvedModel } from '../ports/model.ts';
import type { Log } from '../ports/log.ts';
import type { MetricsSink } from '../ports/metrics.ts';
import type { BudgetGate } from '../usage/budget-gate.ts';
import type { OutboundFetch } from '../ports/outbound.ts';
import { ACTIVE_STATES, type Post } from './post.ts';
import { QuotaReader } from './quota.ts';
import type { InstagramAccount, InstagramSettings } from './settings.ts';
import { createContainer, pollContainer } from './steps/containers.ts';
import {
  DEFAULT_LIMITS,
  type PublisherLimits,
  type StepContext,
  type StepResult,
  type TickReport,
} from './steps/context.ts';
import { hostMedia } from './steps/host-media.ts';
import { handleFailure, wait } from './steps/outcomes.ts';
import { reconcile, startPublish } from './steps/publish.ts';
import { characterEnvPrefix } from './settings.ts';
import { recordTick } from './tick-metrics.ts';

export type { TickReport } from './steps/context.ts';

export interface PublisherDeps {
  /** The posts queue; its lease should outlast `limits.budgetMs` (publisherLeaseSeconds). */
  posts: PostRepository;
  settings: InstagramSettings;
  character(id: string): Promise<Character>;
  /** The model that writes captions for a character (selectModel in production). */
  model(character: Character): ResolvedModel;
  /**
   * The daily budgets (wiring: the usage ledger and CARRIER_BUDGET_*): a caption reserves its
   * worst case before the model is called and settles what it used, like a turn. None: uncapped.
   */
  budget?: BudgetGate;
  /** Where media are hosted for Meta to download (FTP when configured); none: posts with media wait. */
  host?: MediaHost;
  /** The Graph API for one account. */
  graph: (account: InstagramAccount) => InstagramGraph;
  /**
   * The outbound fetch (pinned, see ports/outbound.ts) for post media URLs, the Graph API and
   * the hosted-file check. Deployed it reaches public addresses only, so a media URL cannot make
   * the publisher read internal hosts or the cloud metadata service; the local stack's reaches
   * this machine and the LAN.
   */
  fetch: OutboundFetch;
  now?: () => Date;
  /** This scheduler's lease owner id; a fresh one per tick by default. */
  owner?: string;
  limits?: Partial<PublisherLimits>;
  log?: Log;
  /** Where the tick's figures go: posts published and failed, quota used, per character. */
  metrics?: MetricsSink;
}

const silent: Log = { info() {}, warn() {}, error() {} };

/**
 * Runs the publisher once: claims due posts with a lease and moves each as far as it can without
 * sleeping (host media → container → poll → quota → publish once), persisting every transition
 * before the next network call. Posts waiting on Meta are polled again by later ticks. The
 * Lambda handler and the local stack both call this.
 *
 * @example
 * const report = await tickPublisher(publisherDeps({ store, settings, instagram })); // wiring/publisher.ts
 */
export async function tickPublisher(deps: PublisherDeps): Promise<TickReport> {
  const started = Date.now();
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const now = deps.now ?? (() => new Date());
  const owner = deps.owner ?? `publisher-${randomUUID()}`;
  const { posts } = deps;
  const report = emptyReport(owner);
  const { settings } = deps;
  const { host, graph } = deps;
  const quota = new QuotaReader();
  const ctx: StepContext = {
    posts,
    owner,
    now,
    settings,
    limits,
    log: deps.log ?? silent,
    character: deps.character,
    model: deps.model,
    ...(deps.budget ? { budget: deps.budget } : {}),
    graph,
    ...(host ? { host } : {}),
    fetch: deps.fetch,
    quota,
    refusedAccounts: new Set(),
    report,
  };

  const claimed = await posts.claim(owner, limits.batch, now(), limits.maxClaims);
  report.claimed = claimed.map((p) => p.id);
  const outOfTime = () => Date.now() - started > limits.budgetMs;
  for (const post of claimed) {
    if (post.state === 'failed') {
      // The claim itself failed it: its earlier claims all died on it.
      report.failed.push({ id: post.id, character: post.characterId, reason: post.reason ?? '' });
      ctx.log.warn('post failed', { postId: post.id, character: post.characterId, reason: post.reason });
      continue;
    }
    if (outOfTime()) {
      // Give the rest back now rather than holding them until the lease runs out.
      await wait(ctx, post, { until: now(), reason: post.reason ?? undefined });
      continue;
    }
    await advancePost(ctx, post, outOfTime);
  }
  report.warnings.push(...quota.notes);
  report.quota = quota.used();
  if (deps.metrics) recordTick(report, deps.metrics);
  return report;
}

/** A tick's report before anything moved. */
export function emptyReport(owner: string): TickReport {
  return {
    owner,
    claimed: [],
    transitions: 0,
    published: [],
    failed: [],
    waiting: [],
    lost: [],
    errors: [],
    warnings: [],
    captions: [],
    quota: [],
  };
}

/** Moves one claimed post through as many states as it can in this tick. */
async function advancePost(ctx: StepContext, claimed: Post, outOfTime: () => boolean): Promise<void> {
  let next: StepResult = claimed;
  let fresh = true;
  while (next && ACTIVE_STATES.includes(next.state)) {
    const post: Post = next;
    if (!fresh && outOfTime()) {
      await wait(ctx, post, { until: ctx.now() });
      return;
    }
    const account = ctx.settings.account(post.characterId);
    try {
      next = await step(ctx, post, account, fresh);
    } catch (error) {
      if (!(error instanceof CarrierError)) ctx.report.errors.push({ id: post.id, error: String(error) });
      await handleFailure(ctx, post, error, account);
      return;
    }
    fresh = false;
  }
}

async function step(
  ctx: StepContext,
  post: Post,
  account: InstagramAccount | undefined,
  claimedNow: boolean,
): Promise<StepResult> {
  if (!account) {
    return wait(ctx, post, {
      until: new Date(+ctx.now() + 3_600_000),
      reason: `no Instagram account for ${post.characterId}: set INSTAGRAM_ACCOUNT_ID and INSTAGRAM_ACCESS_TOKEN (or ${characterEnvPrefix(post.characterId)}ACCOUNT_ID and _ACCESS_TOKEN)`,
      errorKind: 'reauth',
    });
  }
  if (ctx.refusedAccounts.has(account.accountId) && post.state !== 'scheduled') {
    // Meta refused this account's token a moment ago: do not spend calls on its other posts.
    return wait(ctx, post, {
      until: new Date(+ctx.now() + 3_600_000),
      reason: `Meta refused the access token in ${account.tokenKey} during this run; set a new token: the post continues by itself once Meta accepts it`,
      errorKind: 'reauth',
    });
  }
  const graph = ctx.graph(account);
  switch (post.state) {
    case 'scheduled':
      return hostMedia(ctx, post);
    case 'media_hosted':
      return createContainer(ctx, post, account, graph);
    case 'container_created':
      return pollContainer(ctx, post, graph);
    case 'container_ready':
      return startPublish(ctx, post, account, graph);
    case 'publishing':
      // Only a post claimed in this state gets here: the earlier run's outcome is unknown.
      return claimedNow ? reconcile(ctx, post, account, graph) : undefined;
    default:
      return undefined;
  }
}

/** A claim must outlast the tick's time budget: twice the budget, at least 10 minutes. */
export function publisherLeaseSeconds(limits: Partial<PublisherLimits> = {}): number {
  return Math.max(600, Math.ceil((limits.budgetMs ?? DEFAULT_LIMITS.budgetMs) / 1000) * 2);
}
