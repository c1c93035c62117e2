import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { startWebhookReceiver } from '#test/fakes/webhook-receiver.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { testStack } from './support/stack.ts';

const CONVERSATIONS = 200;
const MESSAGES = 5;
const CLIENTS = 25;

let store: PgliteStore;
beforeAll(async () => {
  store = await openMigratedPglite();
});
afterAll(async () => store.close());

describe('the local stack under load (loopback only)', () => {
  it(`answers ${CONVERSATIONS} conversations × ${MESSAGES} messages once each, in order per conversation`, async () => {
    const receiver = await startWebhookReceiver();
    const webhookUrl = receiver.url;
    const memory = new InMemoryMemory();
    const t = await testStack({ store, memory, queue: { visibilityTimeoutMs: 1000 } });
    try {
      const jobs = new Map<string, string>();
      let next = 0;
      // A bounded number of clients, each sending one conversation's messages one after another.
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let c = next++; c < CONVERSATIONS; c = next++) {
            for (let m = 0; m < MESSAGES; m++) {
              const text = `c${c} m${m}`;
              const res = await t.send('ada', {
                text,
                conversationId: `load-${c}`,
                userId: `user-${c}`,
                webhookUrl,
              });
              expect(res.status).toBe(202);
              jobs.set(((await res.json()) as { jobId: string }).jobId, text);
            }
          }
        }),
      );
      await t.stack.queue.idle();
      await receiver.nth(jobs.size);
      const hooks = receiver.requests.map(
        (r) => JSON.parse(r.body) as { jobId: string; conversationId: string },
      );

      expect(jobs.size).toBe(CONVERSATIONS * MESSAGES);
      const rows = await store.query<{ id: string; status: string; reply: string }>(
        `select id, status, result->>'reply' as reply from turns where conversation like 'api:dev:load-%'`,
      );
      expect(rows).toHaveLength(CONVERSATIONS * MESSAGES);
      for (const row of rows)
        expect(row).toEqual({ id: row.id, status: 'done', reply: `echo: ${jobs.get(row.id)}` });
      expect(new Set(hooks.map((h) => h.jobId)).size).toBe(hooks.length);
      expect(hooks.every((h) => h.conversationId.startsWith('load-'))).toBe(true);
      expect(hooks).toHaveLength(CONVERSATIONS * MESSAGES);
      for (let c = 0; c < CONVERSATIONS; c++) {
        const recent = await memory.recall({
          agentId: 'ada',
          // Stored in the dev key's tenant (api-ids.ts).
          userId: `api:dev:user-${c}`,
          roomId: `api:dev:load-${c}`,
          text: '',
          recentLimit: 20,
        });
        const expected = Array.from({ length: MESSAGES }, (_, m) => [
          `c${c} m${m}`,
          `echo: c${c} m${m}`,
        ]).flat();
        expect(recent.recent.map((r) => r.text)).toEqual(expected);
      }
      expect(t.stack.queue.deadLetters()).toEqual([]);
    } finally {
      await t.stack.stop();
      await receiver.close();
    }
  }, 180_000);
});
