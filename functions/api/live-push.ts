import type { ConnectionPush } from '../ports/connection-push.ts';
import type { LiveConnectionRepository } from '../ports/live-connections.ts';
import type { Log } from '../ports/log.ts';
import { endsStream, type NewTurnEvent } from '../ports/turn-events.ts';
import type { TurnRequest } from '../ports/turn-request.ts';
import type { LiveSink } from '../turns/live-turn.ts';
import { eventFrame } from './event-frames.ts';
import { mergeDeltas, type ServerFrame } from './ws-frames.ts';

export interface LivePushDeps {
  connections: LiveConnectionRepository;
  push: ConnectionPush;
  now?: () => Date;
  log?: Log;
}

export interface PushTally {
  sent: number;
  gone: number;
  failed: number;
}

/**
 * Sends `frames` to each connection in order (connections in parallel). A connection that is
 * gone (410) is forgotten with its subscriptions; one whose push fails after the SDK's retries
 * gets nothing more of this batch (its client sees a gap in seq and subscribes again with
 * `after`), and the others carry on.
 *
 * @example
 * await pushFrames(deps, ['abc='], [{ type: 'queued', jobId }]);
 */
export async function pushFrames(
  deps: LivePushDeps,
  connectionIds: string[],
  frames: ServerFrame[],
): Promise<PushTally> {
  const tally: PushTally = { sent: 0, gone: 0, failed: 0 };
  await Promise.all(
    connectionIds.map(async (id) => {
      for (const frame of frames) {
        try {
          if ((await deps.push.post(id, JSON.stringify(frame))) === 'gone') {
            tally.gone++;
            await deps.connections.close(id);
            return;
          }
          tally.sent++;
        } catch (error) {
          tally.failed++;
          deps.log?.warn('a WebSocket push failed', { connectionId: id, reason: String(error) });
          return;
        }
      }
    }),
  );
  return tally;
}

/**
 * The runner's WebSocket sink for an API turn: each stored batch of events goes to the
 * connections subscribed to the job, as event frames (runs of deltas merged), in order; once the
 * stream ends its subscriptions are dropped. Pushing never fails the turn.
 *
 * @example
 * runnerDeps({ ..., liveSinks: (request, attempt) => webSocketSinks(deps)(request, attempt) });
 */
export function webSocketSinks(deps: LivePushDeps) {
  return (request: TurnRequest, attempt: number): LiveSink[] => {
    if (request.reply.kind !== 'api') return [];
    const jobId = request.reply.jobId;
    let chain = Promise.resolve();
    const flush = async (events: NewTurnEvent[]) => {
      const ids = await deps.connections.subscribers(request.id);
      const at = (deps.now ?? (() => new Date()))().toISOString();
      const frames = mergeDeltas(events.map((e) => eventFrame(jobId, { ...e, attempt, at })));
      if (ids.length)
        await pushFrames(
          deps,
          ids,
          frames.map((f) => ({ type: 'event' as const, ...f })),
        );
      if (events.some(endsStream)) await deps.connections.unsubscribeTurn(request.id);
    };
    return [
      {
        event: () => undefined,
        stored: (events) => {
          chain = chain.then(() =>
            flush(events).catch((error: unknown) =>
              deps.log?.warn('turn events not pushed to WebSocket clients', {
                turnId: request.id,
                reason: String(error),
              }),
            ),
          );
        },
        close: () => chain,
      },
    ];
  };
}
