import { SqsTurnQueue } from '../adapters/queue/sqs-queue.ts';
import { openStore } from '../adapters/store/open.ts';
import { SqlTurnRepository } from '../adapters/store/turns.ts';
import type { Settings } from '../config/settings.ts';
import { ConfigError } from '../errors.ts';
import type { Log } from '../ports/log.ts';
import { sweepTurns, type SweepReport } from '../turns/recover.ts';

/** The deployed sweeper: the store and the API's turn queue, built once per container. */
export async function createTurnSweeper(settings: Settings, log: Log): Promise<() => Promise<SweepReport>> {
  const queueUrl = settings.turnQueueUrl;
  if (!queueUrl) {
    throw new ConfigError([
      { file: 'environment', path: 'TURN_QUEUE_URL', message: 'the sweeper needs the API turn queue URL' },
    ]);
  }
  const store = await openStore(settings.env);
  const turns = new SqlTurnRepository(store);
  const queue = new SqsTurnQueue({ queueUrl });
  return () => sweepTurns({ turns, queue, maxReceiveCount: settings.maxReceiveCount, log });
}
