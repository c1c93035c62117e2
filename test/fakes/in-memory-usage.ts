import type {
  CapName,
  Reservation,
  ReserveOutcome,
  Settlement,
  UsageQuery,
  UsageRepository,
  UsageRow,
} from '#core/ports/usage.ts';

interface Entry {
  turnId: string;
  agentId: string;
  userId: string;
  day: string;
  status: 'reserved' | 'settled' | 'refused';
  overCap?: CapName;
  reservedMicroUsd: number;
  provider: string;
  model: string;
  settlement?: Settlement;
}

/**
 * The usage ledger in memory, with usage_reserve / usage_settle / usage_summary's semantics
 * (migrations 0040–0041): each call runs without an await inside, so it is as atomic as the
 * SQL statement. Held to the SQL by test/store/usage-contract.test.ts.
 */
export class InMemoryUsageRepository implements UsageRepository {
  readonly entries = new Map<string, Entry>();
  private readonly committed = new Map<string, number>();

  async reserve(r: Reservation): Promise<ReserveOutcome> {
    if (r.reserveMicroUsd < 0 || (r.fallback?.reserveMicroUsd ?? 0) < 0) {
      throw new Error('usage_reserve: a reservation cannot be negative');
    }
    const existing = this.entries.get(r.turnId);
    if (existing) return outcomeOf(existing);
    const agentKey = key(r.agentId, '', r.day);
    const userKey = key(r.agentId, r.userId, r.day);
    let overCap: CapName | undefined;
    if (r.agentCapMicroUsd !== undefined && (this.committed.get(agentKey) ?? 0) >= r.agentCapMicroUsd) {
      overCap = 'character';
    } else if (r.userCapMicroUsd !== undefined && (this.committed.get(userKey) ?? 0) >= r.userCapMicroUsd) {
      overCap = 'user';
    }
    const base = { turnId: r.turnId, agentId: r.agentId, userId: r.userId, day: r.day };
    let entry: Entry;
    if (overCap && !r.fallback) {
      entry = {
        ...base,
        status: 'refused',
        overCap,
        reservedMicroUsd: 0,
        provider: r.provider,
        model: r.model,
      };
    } else {
      const chosen = overCap && r.fallback ? r.fallback : { ...r, reserveMicroUsd: r.reserveMicroUsd };
      entry = {
        ...base,
        status: 'reserved',
        ...(overCap ? { overCap } : {}),
        reservedMicroUsd: chosen.reserveMicroUsd,
        provider: chosen.provider,
        model: chosen.model,
      };
      this.add(entry, chosen.reserveMicroUsd);
    }
    this.entries.set(r.turnId, entry);
    return outcomeOf(entry);
  }

  async settle(turnId: string, s: Settlement): Promise<void> {
    const entry = this.entries.get(turnId);
    if (!entry || entry.status !== 'reserved') return;
    this.add(entry, (s.costMicroUsd ?? entry.reservedMicroUsd) - entry.reservedMicroUsd);
    entry.status = 'settled';
    entry.settlement = { ...s };
  }

  async summary(q: UsageQuery): Promise<UsageRow[]> {
    const groups = new Map<string, UsageRow>();
    for (const e of this.entries.values()) {
      if (q.from && e.day < q.from) continue;
      if (q.to && e.day > q.to) continue;
      if (q.agentId !== undefined && e.agentId !== q.agentId) continue;
      if (q.userId !== undefined && e.userId !== q.userId) continue;
      if (q.userPrefix !== undefined && !e.userId.startsWith(q.userPrefix)) continue;
      const k = groupKey(q.by, e);
      const row = groups.get(k) ?? emptyRow(k);
      const s = e.settlement;
      if (e.status === 'refused') row.refused++;
      else row.turns++;
      if (e.status === 'reserved') row.reservedMicroUsd += e.reservedMicroUsd;
      if (s) {
        row.requests += s.requests;
        row.inputTokens += s.inputTokens;
        row.cachedInputTokens += s.cachedInputTokens;
        row.outputTokens += s.outputTokens;
        if (s.costMicroUsd === null) row.unpriced++;
        else row.costMicroUsd += s.costMicroUsd;
      }
      groups.set(k, row);
    }
    // Postgres orders text by the database collation; keys here are plain ASCII ids and dates.
    return [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private add(entry: Entry, microUsd: number): void {
    for (const k of [key(entry.agentId, '', entry.day), key(entry.agentId, entry.userId, entry.day)]) {
      this.committed.set(k, (this.committed.get(k) ?? 0) + microUsd);
    }
  }
}

function outcomeOf(e: Entry): ReserveOutcome {
  return {
    outcome: e.status === 'refused' ? 'refused' : e.overCap ? 'fallback' : 'reserved',
    ...(e.overCap ? { overCap: e.overCap } : {}),
    provider: e.provider,
    model: e.model,
    reservedMicroUsd: e.reservedMicroUsd,
  };
}

function key(agentId: string, userId: string, day: string): string {
  return JSON.stringify([agentId, userId, day]);
}

function groupKey(by: UsageQuery['by'], e: Entry): string {
  if (by === 'day') return e.day;
  if (by === 'character') return e.agentId;
  if (by === 'user') return e.userId;
  if (by === 'model') return `${e.provider}/${e.model}`;
  return 'total';
}

function emptyRow(k: string): UsageRow {
  return {
    key: k,
    turns: 0,
    refused: 0,
    requests: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    costMicroUsd: 0,
    unpriced: 0,
    reservedMicroUsd: 0,
  };
}
