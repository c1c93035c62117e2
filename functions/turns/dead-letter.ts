import type { Delivery, DeliveryResult } from '../ports/delivery.ts';
import { isJobErrorCode } from '../ports/job-errors.ts';
import type { Log } from '../ports/log.ts';
import type { TurnRequest } from '../ports/turn-request.ts';
import type { TurnRepository } from '../ports/turns.ts';
import { endsStream } from '../ports/turn-events.ts';
import { openLiveTurn, type LiveDeps } from './live-turn.ts';
import { APOLOGY, describe, TurnBusyError } from './process-turn.ts';

export interface DeadLetterDeps {
  turns: TurnRepository;
  /**
   * Discord: the live-reply delivery, so the apology replaces a partly streamed reply and
   * removes its follow-ups instead of sitting above them.
   */
  delivery: Delivery;
  /** The turn's event stream: a failed turn's stream is ended, and pushed to its WebSocket readers. */
  live?: LiveDeps;
  log?: Log;
}

/** `busy` never returns: a turn a runner still holds throws TurnBusyError, to be settled later. */
export type DeadLetterOutcome = 'apologised' | 'delivered' | 'undeliverable' | 'already_settled';

/** The internal reason kept on a dead-lettered turn. */
export const DEAD_LETTER_REASON = 'every delivery of the message failed; it went to the dead-letter queue';

/**
 * Settles a TurnRequest that reached a dead-letter queue, so no accepted message ends silent:
 * a turn still queued or running (lease over), or never claimed, is failed with the reason and
 * apologised for — the Discord user gets the apology, the API caller the `job.failed` webhook —
 * exactly once, whoever failed it (the runner, the stale sweep, this); a reply that was stored
 * but never delivered is delivered once more and then finished either way, with the reason when
 * it could not be. Safe to run twice for one message.
 *
 * @example
 * await settleDeadLetter(request, { turns, delivery }); // 'apologised'
 */
export async function settleDeadLetter(
  request: TurnRequest,
  deps: DeadLetterDeps,
): Promise<DeadLetterOutcome> {
  const fields = { turnId: request.id, character: request.character };
  const found = await deps.turns.giveUp(request, { error: DEAD_LETTER_REASON, code: 'gave_up' });
  if (found.outcome === 'busy') throw new TurnBusyError(request.id);
  if (found.outcome === 'answered') {
    const result = await lastDelivery(request, found.result.reply, deps, found.delivered);
    await deps.turns.finish(request.id, found.attempts, { ...result });
    deps.log?.warn('dead-lettered reply settled', { ...fields, status: result.status });
    return result.status === 'undeliverable' ? 'undeliverable' : 'delivered';
  }
  if (found.status !== 'failed') return 'already_settled';
  const claimed = await deps.turns.claimApology(request.id);
  if (!claimed) return 'already_settled';
  const apology = await safely(() =>
    deps.delivery.deliver(request, {
      kind: 'apology',
      text: APOLOGY,
      reason: claimed.error ?? DEAD_LETTER_REASON,
      code: isJobErrorCode(claimed.error_code) ? claimed.error_code : 'gave_up',
    }),
  );
  await deps.turns.recordDelivery(request.id, found.attempts, { ...apology });
  await endStream(request, found.attempts, deps);
  deps.log?.error('dead-lettered turn failed and apologised for', { ...fields, delivery: apology.status });
  return 'apologised';
}

/**
 * A stream a dying attempt left open (deltas, no end) gets its final `error`, so SSE, long-poll
 * and WebSocket readers stop where the apology starts; a stream already ended is left alone.
 */
async function endStream(request: TurnRequest, attempt: number, deps: DeadLetterDeps): Promise<void> {
  if (!deps.live) return;
  try {
    const seq = await deps.live.events.lastSeq(request.id);
    const [last] = seq ? await deps.live.events.after(request.id, seq - 1, 1) : [];
    if (last && endsStream(last)) return;
    const live = await openLiveTurn(request, attempt, deps.live);
    await live.failed(true);
  } catch (error) {
    deps.log?.warn('the failed turn’s stream could not be ended', {
      turnId: request.id,
      reason: describe(error),
    });
  }
}

/** The stored reply's last chance: delivered, or undeliverable with the reason (final). */
async function lastDelivery(
  request: TurnRequest,
  reply: string,
  deps: DeadLetterDeps,
  sent: number,
): Promise<DeliveryResult> {
  return safely(async () => {
    return deps.delivery.deliver(
      request,
      { kind: 'reply', text: reply },
      {
        ...(sent ? { resumeFrom: { sent } } : {}),
        onProgress: (progress) => deps.turns.delivered(request.id, progress.sent),
      },
    );
  }, 'the reply could not be delivered on any attempt');
}

async function safely(send: () => Promise<DeliveryResult>, prefix?: string): Promise<DeliveryResult> {
  try {
    return await send();
  } catch (error) {
    return { status: 'undeliverable', reason: `${prefix ? `${prefix}: ` : ''}${describe(error)}` };
  }
}
