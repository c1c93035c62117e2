import type { Tool } from '@openai/agents';
import { rememberExchange, runTurn, type TurnDeps, type TurnInput } from '../agents/run-turn.ts';
import type { Character } from '../characters/schema.ts';
import { CarrierError } from '../errors.ts';
import { TurnFencedError, type StoredReply, type TurnRepository } from '../ports/turns.ts';
import type { McpPool } from '../mcp/pool.ts';
import type { ResolvedModel } from '../ports/model.ts';
import type { Delivery, DeliveryResult, Outcome } from '../ports/delivery.ts';
import type { Log } from '../ports/log.ts';
import type { MemoryPort } from '../ports/memory.ts';
import type { MetricsSink } from '../ports/metrics.ts';
import type { TurnRequest } from '../ports/turn-request.ts';
import { openLiveTurn, type LiveDeps } from './live-turn.ts';
import type { BudgetGate } from '../usage/budget-gate.ts';
import { admitTurn, refuseTurn } from './budget-step.ts';
import { answeredFigures } from './turn-figures.ts';
import { turnTrace } from './turn-trace.ts';

/** Erases what an agent remembers about a user: the `/forget` command. */
export type ForgetUser = (query: {
  agentId: string;
  userId: string;
  /** The turn record to keep: the /forget request itself. */
  keepTurnId?: string;
}) => Promise<{ deleted: number }>;

export interface RunnerDeps {
  turns: TurnRepository;
  memory: MemoryPort;
  delivery: Delivery;
  character(id: string): Promise<Character>;
  model(character: Character): ResolvedModel;
  mcp?: McpPool;
  /** Tools made for one request beside the built-in ones (the follow-up tool knows its conversation). */
  tools?: (request: TurnRequest) => Tool[];
  forget?: ForgetUser;
  /** How long a claim holds off other runners; keep it above the turn's time budget. */
  leaseSeconds: number;
  /** The queue's maxReceiveCount: the attempt that reaches it apologises instead of failing silently. */
  maxReceiveCount: number;
  turnTimeoutMs?: number;
  /** Streams each answered turn: its events stored for every reader, and sinks fed live. */
  live?: LiveDeps;
  /** Reserves each turn's worst case against the daily caps before the model runs; settles after. */
  budget?: BudgetGate;
  /** One metrics document per turn. */
  metrics?: MetricsSink;
  log?: Log;
}

export interface Attempt {
  /** SQS ApproximateReceiveCount: 1 on the first delivery. */
  receiveCount: number;
}

/** `superseded`: this attempt outlived its lease and a later claim took the turn; it delivered nothing. */
export type TurnDisposition =
  'answered' | 'redelivered' | 'duplicate' | 'apologised' | 'forgotten' | 'superseded';

/** Another runner holds a live lease on this turn; the queue should offer it again later. */
export class TurnBusyError extends CarrierError {
  override name = 'TurnBusyError';
  constructor(id: string) {
    super(`turn ${id} is being answered by another runner`, 'turn_busy');
  }
}

export const APOLOGY = "Sorry, I couldn't answer that just now. Please try again in a little while.";

/**
 * Answers one TurnRequest at most once: claim, run the turn, store the reply, remember the
 * exchange, deliver it, mark it done. A redelivered message finds the claim and does nothing
 * (done) or delivers the stored reply again (answered, not yet confirmed). A failed attempt gives
 * the lease back and throws so the queue retries; the last attempt marks the turn failed with the
 * reason and apologises to the user. Every write carries the claim's attempt number: an attempt
 * that outlived its lease while a retry claimed the turn finds its write refused and stops
 * before delivering anything ('superseded').
 *
 * @example
 * await processTurnRequest(request, { receiveCount: 1 }, deps); // 'answered'
 */
export async function processTurnRequest(
  request: TurnRequest,
  attempt: Attempt,
  deps: RunnerDeps,
): Promise<TurnDisposition> {
  const claim = await deps.turns.claim(request, { leaseSeconds: deps.leaseSeconds });
  const fields = { turnId: request.id, character: request.character, attempt: attempt.receiveCount };
  if (claim.outcome === 'finished') {
    deps.log?.info('turn already finished; redelivery ignored', { ...fields, status: claim.status });
    deps.metrics?.record({ character: request.character, model: 'none' }, { Redeliveries: 1 });
    return 'duplicate';
  }
  if (claim.outcome === 'busy') throw new TurnBusyError(request.id);
  try {
    if (claim.outcome === 'answered') {
      await deliverAndFinish(request, claim.result, claim.attempts, deps, claim.delivered);
      deps.metrics?.record(
        { character: request.character, model: claim.result.model.name },
        { Redeliveries: 1 },
      );
      return 'redelivered';
    }
    return await runClaimed(request, attempt, claim.attempts, deps);
  } catch (error) {
    if (!(error instanceof TurnFencedError)) throw error;
    deps.log?.warn('a later attempt took this turn over; this one stops without delivering', {
      ...fields,
      reason: error.message,
    });
    return 'superseded';
  }
}

async function runClaimed(
  request: TurnRequest,
  attempt: Attempt,
  claimed: number,
  deps: RunnerDeps,
): Promise<TurnDisposition> {
  const fields = { turnId: request.id, character: request.character, attempt: attempt.receiveCount };
  let stored: StoredReply;
  try {
    stored =
      request.action === 'forget'
        ? await forget(request, claimed, deps)
        : await answer(request, claimed, deps, attempt.receiveCount >= deps.maxReceiveCount);
  } catch (error) {
    if (error instanceof TurnFencedError) throw error;
    const reason = describe(error);
    if (attempt.receiveCount < deps.maxReceiveCount) {
      deps.log?.warn('turn attempt failed; the queue will retry', { ...fields, reason });
      await deps.turns.release(request.id, claimed, reason);
      throw error;
    }
    deps.log?.error('turn failed on its last attempt; apologising', { ...fields, reason });
    deps.metrics?.record({ character: request.character, model: 'none' }, { FailedTurns: 1 });
    // Failed first: only the attempt that still owns the turn gets to apologise.
    await deps.turns.fail(
      request.id,
      claimed,
      { error: reason, code: 'agent_failed' },
      { status: 'pending' },
    );
    const delivery = await safeDeliver(
      request,
      { kind: 'apology', text: APOLOGY, reason, code: 'agent_failed' },
      deps,
    );
    await deps.turns.recordDelivery(request.id, claimed, { ...delivery });
    return 'apologised';
  }
  await deliverAndFinish(request, stored, claimed, deps);
  deps.log?.info('turn answered', fields);
  return request.action === 'forget' ? 'forgotten' : 'answered';
}

/**
 * Runs the turn without remembering, records the reply on the turn (fenced), then remembers:
 * memory only ever holds the reply that is delivered, and a superseded attempt leaves none.
 */
async function answer(
  request: TurnRequest,
  claimed: number,
  deps: RunnerDeps,
  lastAttempt: boolean,
): Promise<StoredReply> {
  const character = await deps.character(request.character);
  const admission = await admitTurn(deps.budget, deps.model, request, character);
  if (admission.kind === 'refused') return refuseTurn(request, claimed, admission, deps);
  // Events are written only by the attempt holding the turn: the first has none before it.
  const known = claimed === 1 ? { lastSeq: 0 } : {};
  const live = deps.live ? await openLiveTurn(request, claimed, deps.live, known) : undefined;
  const turnDeps: TurnDeps = {
    model: admission.model,
    memory: deps.memory,
    remember: false,
    ...(deps.mcp ? { mcp: deps.mcp } : {}),
    ...(deps.tools ? { tools: deps.tools(request) } : {}),
    ...(deps.turnTimeoutMs ? { timeoutMs: deps.turnTimeoutMs } : {}),
    ...(live ? { onEvent: (event) => live.onEvent(event) } : {}),
  };
  const input: TurnInput = {
    id: request.id,
    character,
    conversation: request.conversation,
    user: request.user,
    text: request.text,
  };
  const result = await runTurn(input, turnDeps).catch(async (error: unknown) => {
    await live?.failed(lastAttempt);
    throw error;
  });
  await deps.budget?.settle(request.id, result.usage);
  deps.metrics?.record(
    { character: character.id, model: result.model.name },
    answeredFigures(result, admission.overCap ? { FallbackTurns: 1 } : {}),
  );
  for (const skipped of result.skippedServers) {
    deps.log?.warn('MCP server skipped for this turn', { turnId: request.id, server: skipped.name });
  }
  const stored: StoredReply = {
    reply: result.reply,
    model: result.model,
    notices: result.notices,
    toolCalls: result.toolCalls.length,
  };
  await deps.turns
    .answer(request.id, claimed, stored, {
      timings: result.timings,
      usage: result.usage,
      trace: turnTrace(result),
    })
    .catch(async (error: unknown) => {
      await live?.failed(lastAttempt);
      throw error;
    });
  await live?.done(result.reply);
  try {
    await rememberExchange(input, result.reply, { memory: deps.memory });
  } catch (error) {
    // The reply is recorded and will be delivered; a retry would only redeliver it, not remember.
    deps.log?.warn('storing the exchange failed; the reply is delivered without it', {
      turnId: request.id,
      reason: describe(error),
    });
  }
  return stored;
}

async function forget(request: TurnRequest, claimed: number, deps: RunnerDeps): Promise<StoredReply> {
  if (!deps.forget) {
    throw new CarrierError(
      'this runner cannot forget memories: no memory store is configured',
      'forget_unavailable',
    );
  }
  const { deleted } = await deps.forget({
    agentId: request.character,
    userId: request.user.id,
    keepTurnId: request.id,
  });
  const stored: StoredReply = {
    reply: `Done: I forgot ${deleted} ${deleted === 1 ? 'memory' : 'memories'} about you.`,
    model: { provider: 'none', name: 'forget' },
    notices: [],
    toolCalls: 0,
  };
  await deps.turns.answer(request.id, claimed, stored);
  return stored;
}

/**
 * Delivers a stored reply and marks the turn done. An undeliverable target (expired Discord
 * token, deleted channel) still finishes the turn: the memory is kept, the reply is not retried.
 * A thrown delivery error leaves the turn `answered`, so the queue's retry delivers it again,
 * resuming after the messages already sent.
 */
async function deliverAndFinish(
  request: TurnRequest,
  stored: StoredReply,
  claimed: number,
  deps: RunnerDeps,
  alreadySent = 0,
): Promise<void> {
  const result = await deps.delivery.deliver(
    request,
    { kind: 'reply', text: stored.reply, ...(stored.ephemeral ? { ephemeral: true } : {}) },
    {
      ...(alreadySent ? { resumeFrom: { sent: alreadySent } } : {}),
      // Kept on the turn, so a runner that resumes after a crash skips what is already out.
      onProgress: (progress) => deps.turns.delivered(request.id, progress.sent),
    },
  );
  if (result.status === 'undeliverable') {
    deps.log?.warn('reply undeliverable; memory kept', { turnId: request.id, reason: result.reason });
  }
  await deps.turns.finish(request.id, claimed, { ...result });
}

/** The apology must not throw: the turn is being failed either way. */
async function safeDeliver(
  request: TurnRequest,
  outcome: Outcome,
  deps: RunnerDeps,
): Promise<DeliveryResult> {
  try {
    return await deps.delivery.deliver(request, outcome);
  } catch (error) {
    return { status: 'undeliverable', reason: describe(error) };
  }
}

/** A short reason for logs and the job row: the error's name, status and message, never a stack. */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const status = (error as { status?: unknown }).status;
  return `${error.name}${typeof status === 'number' ? ` ${status}` : ''}: ${error.message}`.slice(0, 500);
}
