import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CachedEmbedder } from '#core/adapters/embedder/cached-embedder.ts';
import { OpenAIEmbedder } from '#core/adapters/embedder/openai-embedder.ts';
import { StoreMemory } from '#core/memory/store-memory.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';

const db = useMigratedPglite();

/** A loopback POST /v1/embeddings that never answers, or answers 500 at once. */
let server: Server;
let baseURL: string;
let requests = 0;
let answer: (res: ServerResponse) => void;
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    req.resume();
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(async () => {
  requests = 0;
  await db().exec('truncate memories, embedding_cache');
});

/** The memory as the runner composes it: OpenAI's embedder with its default retries, cached. */
async function memoryWithStoredTeal(
  errors: unknown[],
  recallEmbeddingTimeoutMs: number,
): Promise<StoreMemory> {
  const memory = new StoreMemory(new SqlMemoryRepository(db()), {
    embedder: new CachedEmbedder(new OpenAIEmbedder({ apiKey: 'sk-test', baseURL }), db()),
    recallEmbeddingTimeoutMs,
    onError: (error, stage) => errors.push({ stage, error }),
  });
  await memory.repository.insert([
    { agentId: 'ada', userId: 'u1', roomId: 'c0', type: 'fact', text: 'Sam likes teal', content: {} },
  ]);
  return memory;
}

const ask = { agentId: 'ada', userId: 'u1', roomId: 'c9', text: 'Do I like teal?' };

describe('recall with an embedder that is slow or failing', () => {
  it('stops waiting for a question embedding that hangs and recalls by full text, with a warning', async () => {
    answer = () => {}; // never answers
    const errors: unknown[] = [];
    const memory = await memoryWithStoredTeal(errors, 300);
    const { memories } = await memory.recall(ask);
    expect(memories.map((m) => m.text)).toEqual(['Sam likes teal']);
    // On a loaded machine the hung request may reach the server only now: let it arrive here,
    // not in the next test's count.
    await vi.waitFor(() => expect(requests).toBe(1));
    expect(errors).toEqual([
      {
        stage: 'recall',
        error: expect.objectContaining({
          code: 'embedding_timeout',
          message: 'embedding the question took over 300 ms: recalled by full text only',
        }),
      },
    ]);
  });

  it('does not retry a failed question embedding', async () => {
    answer = (res) => {
      res.writeHead(500, { 'content-type': 'application/json', 'retry-after-ms': '1' });
      res.end(JSON.stringify({ error: { message: 'boom', type: 'test' } }));
    };
    const errors: Array<{ stage: string; error: unknown }> = [];
    // Ample time: the first answer is a failure, so only a retry could take longer.
    const memory = await memoryWithStoredTeal(errors, 60_000);
    const { memories } = await memory.recall(ask);
    expect(memories.map((m) => m.text)).toEqual(['Sam likes teal']);
    expect(errors).toEqual([
      { stage: 'recall', error: expect.objectContaining({ code: 'embedding_failed' }) },
    ]);
    expect(requests).toBe(1);
  });
});
