import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddingError } from '#core/embeddings/embedder.ts';
import { OpenAIEmbedder } from '#core/embeddings/openai-embedder.ts';
import { axisVector } from './support/vectors.ts';

/** A loopback stand-in for POST /v1/embeddings: scripted statuses, then one vector per input. */
let server: Server;
let baseURL: string;
let requests: Array<{ model: string; input: string[]; auth: string | undefined }>;
let statuses: number[];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { model: string; input: string[] };
      requests.push({ ...parsed, auth: req.headers.authorization });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json', 'retry-after-ms': '1' });
      if (status !== 200) {
        res.end(JSON.stringify({ error: { message: `status ${status}`, type: 'test' } }));
        return;
      }
      // Out of order on purpose: the client must place each by its index.
      const data = parsed.input.map((_, index) => ({
        object: 'embedding',
        index,
        embedding: axisVector(index),
      }));
      res.end(JSON.stringify({ object: 'list', model: parsed.model, data: data.reverse(), usage: {} }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = [];
  statuses = [];
});

describe('OpenAIEmbedder', () => {
  it('embeds in batches with text-embedding-3-small and keeps the order of the texts', async () => {
    const embedder = new OpenAIEmbedder({ apiKey: 'sk-test', baseURL, batchSize: 2 });
    const vectors = await embedder.embed(['a', 'b', 'c', 'd', 'e']);
    expect(requests.map((r) => r.input)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(requests[0]).toMatchObject({ model: 'text-embedding-3-small', auth: 'Bearer sk-test' });
    expect(vectors.map((v) => v.indexOf(1))).toEqual([0, 1, 0, 1, 0]);
  });

  it('retries a rate limit and a server error', async () => {
    statuses = [429, 500];
    const embedder = new OpenAIEmbedder({ apiKey: 'sk-test', baseURL, maxRetries: 2 });
    expect(await embedder.embed(['a'])).toHaveLength(1);
    expect(requests).toHaveLength(3);
  });

  it('says which key to fix when OpenAI rejects it', async () => {
    statuses = [401];
    const embedder = new OpenAIEmbedder({ apiKey: 'sk-wrong', baseURL });
    const error = await embedder.embed(['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingError);
    expect((error as Error).message).toBe(
      'OpenAI rejected OPENAI_API_KEY for embeddings (401): set a valid key, or unset it for full-text recall',
    );
  });
});
