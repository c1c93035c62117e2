import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryMemory } from '#core/adapters/in-memory-memory.ts';
import type { PgliteStore } from '#core/adapters/pglite-store.ts';
import { migratedStore } from '../runner/support/store.ts';
import { testStack } from './support/stack.ts';

const CONVERSATIONS = 200;
const MESSAGES = 5;
const CLIENTS = 25;

let store: PgliteStore;
beforeAll(async () => {
  store = await migratedStore();
});
afterAll(async () => store.close());

describe('the local stack under load (loopback only)', () => {
  it(`answers ${CONVERSATIONS} conversations × ${MESSAGES} messages once each, in order per conversation`, async () => {
    const hooks: Array<{ jobId: string; conversationId: string; reply: string }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(body) as { jobId: string; conversationId: string; reply: string });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
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
      for (let i = 0; i < 200 && hooks.length < jobs.size; i++) await new Promise((r) => setTimeout(r, 10));

      expect(jobs.size).toBe(CONVERSATIONS * MESSAGES);
      const rows = await store.query<{ id: string; status: string; reply: string }>(
        `select id, status, result->>'reply' as reply from turns where conversation like 'api:load-%'`,
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
          // Stored in the API's namespace (api-ids.ts).
          userId: `api:user-${c}`,
          roomId: `api:load-${c}`,
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
      receiver.close();
    }
  }, 180_000);
});
