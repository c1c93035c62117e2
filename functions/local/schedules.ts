import { tableTrigger } from '../adapters/scheduler/table-trigger.ts';
import { SqlScheduleRepository } from '../adapters/store/schedules.ts';
import type { Character } from '../characters/schema.ts';
import type { Log } from '../ports/log.ts';
import type { TurnQueue } from '../ports/queue.ts';
import type { ScheduleTrigger } from '../ports/schedule-trigger.ts';
import type { SqlStore } from '../ports/sql.ts';
import { fireDueSchedules } from '../schedules/fire-due.ts';
import type { Schedule } from '../schedules/schedule.ts';
import type { ScheduleRepository } from '../schedules/schedule-repository.ts';
import { syncCharacterSchedules } from '../schedules/sync.ts';

export interface LocalSchedulerOptions {
  store: SqlStore;
  queue: TurnQueue;
  /** The served characters, whose files' schedules are synced into the table at start. */
  characters: Character[];
  /** How often the table is read. Default 15 s. */
  everyMs?: number;
  now?: () => Date;
  log?: Log;
}

export interface LocalScheduler {
  schedules: ScheduleRepository;
  trigger: ScheduleTrigger;
  /** Queues what is due now; the timer calls it, tests may too. */
  tick(): Promise<Schedule[]>;
  stop(): Promise<void>;
}

/**
 * The in-process scheduler of the local stack, with EventBridge's semantics: character-file
 * schedules synced at start, runtime ones read from the same table, each firing queued as the
 * same TurnRequest (same id) as deployed. The first tick runs at start, so a firing missed while
 * the stack was down runs once, right away; the table's last-fired time keeps it from running
 * again after the next restart.
 *
 * @example
 * const scheduler = await startLocalScheduler({ store, queue, characters });
 */
export async function startLocalScheduler(options: LocalSchedulerOptions): Promise<LocalScheduler> {
  const now = options.now ?? (() => new Date());
  const schedules = new SqlScheduleRepository(options.store);
  await syncCharacterSchedules(options.characters, schedules, now());
  let running: Promise<Schedule[]> | undefined;
  const tick = () => {
    running ??= fireDueSchedules({
      schedules,
      queue: options.queue,
      now,
      ...(options.log ? { log: options.log } : {}),
    }).finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => options.log?.error('schedule tick failed', { error: String(error) }));
  }, options.everyMs ?? 15_000);
  timer.unref();
  await tick();
  return {
    schedules,
    trigger: tableTrigger,
    tick,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
