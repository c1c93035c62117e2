import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_LIMITS } from '#core/ports/rate-limits.ts';
import { runFlood, TOKEN_MS } from './support/flood.ts';

// Simulated time: a model call takes 3 s, the runners work two at a time per queue (the local
// default, as deployed each queue's event source is capped on its own).
const TURN_MS = 3000;
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

describe('a flood of API messages from one key while Discord /asks arrive (simulated clock)', () => {
  it('refuses most of the flood with 429 and answers all 50 Discord /asks well before their tokens expire', async () => {
    const report = await runFlood({ floodMessages: 2000, discordAsks: 50, turnMs: TURN_MS });

    // The key's cap on unfinished turns stops it first; its token bucket is the second line.
    expect(report.accepted).toBe(DEFAULT_KEY_LIMITS.maxInFlight);
    expect(report.refused).toBe(2000 - DEFAULT_KEY_LIMITS.maxInFlight);
    expect([...report.retryAfter].every((s) => Number(s) >= 1)).toBe(true);
    expect(report.late).toBe(0);
    expect(report.discordLatencies.at(-1)!).toBeLessThan(TOKEN_MS);
    console.info(
      `flood, default limits: ${report.accepted} queued, ${report.refused} answered 429; slowest Discord reply ${minutes(report.discordLatencies.at(-1)!)}`,
    );
  }, 300_000);

  it('keeps Discord replies in time even when the key may queue all 2,000: the API backlog waits in its own queue', async () => {
    const report = await runFlood({
      floodMessages: 2000,
      discordAsks: 50,
      turnMs: TURN_MS,
      keyLimits: { ratePerMinute: 1_000_000, burst: 100_000, maxInFlight: 100_000 },
    });

    expect(report.accepted).toBe(2000);
    expect(report.late).toBe(0);
    expect(report.discordLatencies.at(-1)!).toBeLessThan(TOKEN_MS);
    console.info(
      `flood, limits lifted: ${report.accepted} queued; slowest Discord reply ${minutes(report.discordLatencies.at(-1)!)}`,
    );
  }, 300_000);
});
