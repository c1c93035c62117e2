import { runTurn, type TurnDeps } from '../agents/run-turn.ts';
import type { Character } from '../characters/schema.ts';
import { CarrierError } from '../errors.ts';
import type { StoredReply, TurnRepository } from '../jobs/turn-repository.ts';
import type { McpPool } from '../mcp/pool.ts';
import type { ResolvedModel } from '../models/types.ts';
import type { Delivery, DeliveryResult, Outcome } from '../ports/delivery.ts';
import type { MemoryPort } from '../ports/memory.ts';
import type { TurnRequest } from '../queue/turn-request.ts';

/** Structured logging; Powertools Logger fits it. Never pass tokens or whole payloads. */
export interface RunnerLog {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

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
  forget?: ForgetUser;
  /** How long a claim holds off other runners; keep it above the turn's time budget. */
  leaseSeconds: number;
  /** The queue's maxReceiveCount: the attempt that reaches it apologises instead of failing silently. */
  maxReceiveCount: number;
  turnTimeoutMs?: number;
  log?: RunnerLog;
}

export interface Attempt {
  /** SQS ApproximateReceiveCount: 1 on the first delivery. */
  receiveCount: number;
}

export type TurnDisposition = 'answered' | 'redelivered' | 'duplicate' | 'apologised' | 'forgotten';

/** Another runner holds a live lease on this turn; the queue should offer it again later. */
export class TurnBusyError extends CarrierError {
  override name = 'TurnBusyError';
  constructor(id: string) {
    super(`turn ${id} is being answered by another runner`, 'turn_busy');
  }
}

export const APOLOGY = "Sorry, I couldn't answer that just now. Please try again in a little while.";

/**
 * Answers one TurnRequest at most once: claim, run the turn with memory, store the reply,
 * deliver it, mark it done. A redelivered message finds the claim and does nothing (done) or
 * delivers the stored reply again (answered, not yet confirmed). A failed attempt gives the
 * lease back and throws so the queue retries; the last attempt apologises to the user instead
 * and marks the turn failed with the reason.
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
    return 'duplicate';
  }
  if (claim.outcome === 'busy') throw new TurnBusyError(request.id);
  if (claim.outcome === 'answered') {
    await deliverAndFinish(request, claim.result, deps, claim.delivered);
    return 'redelivered';
  }

  let stored: StoredReply;
  try {
    stored = request.action === 'forget' ? await forget(request, deps) : await answer(request, deps);
  } catch (error) {
    const reason = describe(error);
    if (attempt.receiveCount < deps.maxReceiveCount) {
      deps.log?.warn('turn attempt failed; the queue will retry', { ...fields, reason });
      await deps.turns.release(request.id, reason);
      throw error;
    }
    deps.log?.error('turn failed on its last attempt; apologising', { ...fields, reason });
    const delivery = await safeDeliver(request, { kind: 'apology', text: APOLOGY, reason }, deps);
    await deps.turns.fail(request.id, reason, { ...delivery });
    return 'apologised';
  }
  await deliverAndFinish(request, stored, deps);
  deps.log?.info('turn answered', fields);
  return request.action === 'forget' ? 'forgotten' : 'answered';
}

async function answer(request: TurnRequest, deps: RunnerDeps): Promise<StoredReply> {
  const character = await deps.character(request.character);
  const turnDeps: TurnDeps = {
    model: deps.model(character),
    memory: deps.memory,
    ...(deps.mcp ? { mcp: deps.mcp } : {}),
    ...(deps.turnTimeoutMs ? { timeoutMs: deps.turnTimeoutMs } : {}),
  };
  const result = await runTurn(
    { id: request.id, character, conversation: request.conversation, user: request.user, text: request.text },
    turnDeps,
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
  await deps.turns.answer(request.id, stored, { timings: result.timings, usage: result.usage });
  return stored;
}

async function forget(request: TurnRequest, deps: RunnerDeps): Promise<StoredReply> {
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
  await deps.turns.answer(request.id, stored);
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
  deps: RunnerDeps,
  alreadySent = 0,
): Promise<void> {
  const result = await deps.delivery.deliver(
    request,
    { kind: 'reply', text: stored.reply },
    {
      ...(alreadySent ? { resumeFrom: { sent: alreadySent } } : {}),
      // Kept on the turn, so a runner that resumes after a crash skips what is already out.
      onProgress: (progress) => deps.turns.delivered(request.id, progress.sent),
    },
  );
  if (result.status === 'undeliverable') {
    deps.log?.warn('reply undeliverable; memory kept', { turnId: request.id, reason: result.reason });
  }
  await deps.turns.finish(request.id, { ...result });
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
