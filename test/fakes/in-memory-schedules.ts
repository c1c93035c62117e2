import { isSpent, type Schedule, type ScheduleSource } from '#core/schedules/schedule.ts';
import type { NewSchedule, ScheduleRepository } from '#core/schedules/schedule-repository.ts';

/** The schedules store in memory, with the SQL functions' semantics (held by the contract suite). */
export class InMemoryScheduleRepository implements ScheduleRepository {
  readonly rows = new Map<string, Schedule>();

  async put(s: NewSchedule, options: { limit?: number } = {}): Promise<Schedule | undefined> {
    if (options.limit !== undefined) {
      const live = [...this.rows.values()].filter(
        (r) =>
          r.agentId === s.agentId &&
          r.owner === s.owner &&
          r.source === s.source &&
          r.key !== s.key &&
          !isSpent(r),
      );
      if (live.length >= options.limit) return undefined;
    }
    const before = this.rows.get(s.key);
    const row: Schedule = structuredClone({
      ...s,
      createdAt: before?.createdAt ?? s.createdAt,
      lastFiredAt: before?.lastFiredAt ?? null,
    });
    this.rows.set(s.key, row);
    return structuredClone(row);
  }

  async get(key: string): Promise<Schedule | undefined> {
    const row = this.rows.get(key);
    return row && structuredClone(row);
  }

  async list(
    filter: { agentId?: string; owner?: string; source?: ScheduleSource } = {},
  ): Promise<Schedule[]> {
    return [...this.rows.values()]
      .filter(
        (r) =>
          (filter.agentId === undefined || r.agentId === filter.agentId) &&
          (filter.owner === undefined || r.owner === filter.owner) &&
          (filter.source === undefined || r.source === filter.source),
      )
      .sort((a, b) => +a.createdAt - +b.createdAt || (a.key < b.key ? -1 : 1))
      .map((r) => structuredClone(r));
  }

  async delete(key: string, owner?: string): Promise<Schedule | undefined> {
    const row = this.rows.get(key);
    if (!row || (owner !== undefined && row.owner !== owner)) return undefined;
    this.rows.delete(key);
    return row;
  }

  async markFired(key: string, at: Date): Promise<boolean> {
    const row = this.rows.get(key);
    if (!row || (row.lastFiredAt && row.lastFiredAt >= at)) return false;
    row.lastFiredAt = new Date(at);
    return true;
  }

  async pruneCharacter(agentId: string, keep: string[]): Promise<string[]> {
    const gone = [...this.rows.values()].filter(
      (r) => r.agentId === agentId && r.source === 'character' && !keep.includes(r.key),
    );
    for (const r of gone) this.rows.delete(r.key);
    return gone.map((r) => r.key);
  }
}
