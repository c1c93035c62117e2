import type { Deliver, Schedule, ScheduleSource } from '../../schedules/schedule.ts';
import type { NewSchedule, ScheduleRepository } from '../../schedules/schedule-repository.ts';
import type { Timing } from '../../schedules/timing.ts';
import { jsonObject, optionalIsoTime, isoTime } from '../../ports/sql-rows.ts';
import type { SqlStore } from '../../ports/sql.ts';

interface ScheduleRow {
  key: string;
  agent_id: string;
  id: string;
  source: ScheduleSource;
  owner: string | null;
  timing: unknown;
  prompt: string;
  conversation: string;
  user_id: string;
  user_name: string | null;
  deliver: unknown;
  created_at: Date | string;
  last_fired_at: Date | string | null;
}

/**
 * Schedules in the store, through the SQL functions of migration 0050.
 *
 * @example
 * const schedules = new SqlScheduleRepository(store);
 * await schedules.markFired('c.ada.morning', new Date('2030-01-01T09:00:00Z')); // true, then false
 */
export class SqlScheduleRepository implements ScheduleRepository {
  constructor(private readonly store: SqlStore) {}

  async put(s: NewSchedule, options: { limit?: number } = {}): Promise<Schedule | undefined> {
    const [row] = await this.store.rpc<ScheduleRow>('schedule_put', {
      p_key: s.key,
      p_agent_id: s.agentId,
      p_id: s.id,
      p_source: s.source,
      p_owner: s.owner,
      p_timing: s.timing,
      p_prompt: s.prompt,
      p_conversation: s.conversation,
      p_user_id: s.user.id,
      p_user_name: s.user.name ?? null,
      p_deliver: s.deliver,
      p_created_at: s.createdAt.toISOString(),
      p_limit: options.limit,
    });
    return row ? toSchedule(row) : undefined;
  }

  async get(key: string): Promise<Schedule | undefined> {
    const [row] = await this.store.rpc<ScheduleRow>('schedule_get', { p_key: key });
    return row ? toSchedule(row) : undefined;
  }

  async list(
    filter: { agentId?: string; owner?: string; source?: ScheduleSource } = {},
  ): Promise<Schedule[]> {
    const rows = await this.store.rpc<ScheduleRow>('schedule_list', {
      p_agent_id: filter.agentId,
      p_owner: filter.owner,
      p_source: filter.source,
    });
    return rows.map(toSchedule);
  }

  async delete(key: string, owner?: string): Promise<Schedule | undefined> {
    const [row] = await this.store.rpc<ScheduleRow>('schedule_delete', { p_key: key, p_owner: owner });
    return row ? toSchedule(row) : undefined;
  }

  async markFired(key: string, at: Date): Promise<boolean> {
    const rows = await this.store.rpc('schedule_mark_fired', { p_key: key, p_at: at.toISOString() });
    return rows.length > 0;
  }

  async pruneCharacter(agentId: string, keep: string[]): Promise<string[]> {
    const rows = await this.store.rpc<ScheduleRow>('schedule_prune_character', {
      p_agent_id: agentId,
      p_keep: keep,
    });
    return rows.map((r) => r.key);
  }
}

function toSchedule(row: ScheduleRow): Schedule {
  const fired = optionalIsoTime(row.last_fired_at);
  return {
    key: row.key,
    agentId: row.agent_id,
    id: row.id,
    source: row.source,
    owner: row.owner,
    timing: jsonObject(row.timing) as unknown as Timing,
    prompt: row.prompt,
    conversation: row.conversation,
    user: { id: row.user_id, ...(row.user_name !== null ? { name: row.user_name } : {}) },
    deliver: jsonObject(row.deliver) as unknown as Deliver,
    createdAt: new Date(isoTime(row.created_at)),
    lastFiredAt: fired ? new Date(fired) : null,
  };
}
