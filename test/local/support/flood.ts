import { vi } from 'vitest';
import { LocalTurnQueues } from '#core/adapters/queue/local-queues.ts';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { createRunnerHandler } from '#core/adapters/lambda/sqs-batch.ts';
import { createApiApp } from '#core/api/app.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { KeyLimits } from '#core/ports/api-keys.ts';
import type { Delivery } from '#core/ports/delivery.ts';
import { DEFAULT_KEY_LIMITS } from '#core/ports/rate-limits.ts';
import { InMemoryApiKeyRepository } from '#test/fakes/in-memory-api-keys.ts';
import { InMemoryRateLimiter } from '#test/fakes/in-memory-rate-limiter.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { EchoModel } from '../../runner/support/echo-model.ts';
import { turnRequest } from '../../runner/support/requests.ts';

/** Discord's interaction tokens live 15 minutes: a reply later than that is never seen. */
export const TOKEN_MS = 15 * 60_000;

export interface FloodOptions {
  floodMessages: number;
  discordAsks: number;
  /** How long one model call takes (simulated). */
  turnMs: number;
  /** The flooding key's own limits; the environment's defaults (DEFAULT_KEY_LIMITS) otherwise. */
  keyLimits?: KeyLimits;
  /** Simulated time after which unanswered /asks count as never answered. Default 4 h. */
  giveUpAfterMs?: number;
}

export interface FloodReport {
  /** Flood messages answered 202 (queued) and 429 (refused by the key's limits). */
  accepted: number;
  refused: number;
  retryAfter: Set<string>;
  /** Simulated ms from each Discord /ask's arrival to its reply, slowest last. */
  discordLatencies: number[];
  /** Replies later than the 15-minute token. */
  late: number;
}

/**
 * One key floods the API with messages while Discord /asks arrive, in simulated time (fake
 * timers): the API app, the local queues and the runner over in-memory stores, a model call
 * taking `turnMs`. Runs until every Discord /ask is answered (or `giveUpAfterMs`); the API's
 * backlog is left.
 *
 * @example
 * const report = await runFlood({ floodMessages: 2000, discordAsks: 50, turnMs: 3000 });
 */
export async function runFlood(o: FloodOptions): Promise<FloodReport> {
  const ada = await loadCharacter('ada');
  const t0 = Date.parse('2030-01-01T00:00:00Z');
  vi.useFakeTimers({ now: t0 });
  try {
    const turns = new InMemoryTurnRepository();
    const keys = new InMemoryApiKeyRepository();
    const model = new EchoModel(() => new Promise<void>((resolve) => setTimeout(resolve, o.turnMs)));
    const answered = new Map<string, number>();
    const delivery: Delivery = {
      async deliver(request) {
        if (request.source === 'discord') answered.set(request.id, Date.now());
        return { status: 'delivered', messages: 1 };
      },
    };
    // As dev deploys them: one message per invocation, two invocations per queue at once, and a
    // visibility timeout of six runner timeouts.
    const lane = { batchSize: 1, concurrency: 2, visibilityTimeoutMs: 720_000 };
    const queue = new LocalTurnQueues({ discord: lane, api: lane });
    const handler = createRunnerHandler({
      turns,
      memory: new InMemoryMemory(),
      delivery,
      // Read before the clock is faked: real file I/O would let simulated time run on meanwhile.
      character: async () => ada,
      model: () => model.resolved(),
      leaseSeconds: 120,
      maxReceiveCount: 3,
    });
    queue.start(handler);
    const app = createApiApp({
      turns,
      queue,
      authenticate: (key) => keys.verify(key),
      agents: async () => [{ id: 'ada', name: 'Ada' }],
      rateLimiter: new InMemoryRateLimiter(),
      limits: DEFAULT_KEY_LIMITS,
    });
    const { key } = await keys.create('flood', ['messages'], o.keyLimits ? { limits: o.keyLimits } : {});

    const report: FloodReport = {
      accepted: 0,
      refused: 0,
      retryAfter: new Set(),
      discordLatencies: [],
      late: 0,
    };
    const arrived = new Map<string, number>();
    // The flood first, as fast as the client can send; the Discord asks one a second meanwhile.
    for (let i = 0; i < o.floodMessages; i++) {
      const res = await app.request('/v1/agents/ada/messages', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: `flood ${i}`, conversationId: `flood-${i % 50}` }),
      });
      if (res.status === 202) report.accepted++;
      else if (res.status === 429) {
        report.refused++;
        report.retryAfter.add(res.headers.get('retry-after') ?? 'none');
      } else throw new Error(`flood message ${i}: ${res.status} ${await res.text()}`);
    }
    for (let i = 0; i < o.discordAsks; i++) {
      const ask = turnRequest({
        source: 'discord',
        conversation: `channel-${i}`,
        user: { id: `10000${i}`, name: 'Sam' },
        text: `ask ${i}`,
        reply: { kind: 'discord', applicationId: '1111', token: `token-${i}`, ephemeral: false },
        receivedAt: new Date().toISOString(),
      });
      arrived.set(ask.id, Date.now());
      await queue.enqueue(ask);
      await vi.advanceTimersByTimeAsync(1000);
    }
    while (answered.size < o.discordAsks && Date.now() - t0 < (o.giveUpAfterMs ?? 4 * 60 * 60_000)) {
      await vi.advanceTimersByTimeAsync(1000);
    }
    for (const [id, at] of arrived) {
      const latency = (answered.get(id) ?? Infinity) - at;
      report.discordLatencies.push(latency);
      if (latency > TOKEN_MS) report.late++;
    }
    report.discordLatencies.sort((a, b) => a - b);
    const stopping = queue.stop(0);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    return report;
  } finally {
    vi.useRealTimers();
  }
}
