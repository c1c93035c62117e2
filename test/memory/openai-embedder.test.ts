import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddingError } from '#core/ports/embedder.ts';
import { OpenAIEmbedder } from '#core/adapters/embedder/openai-embedder.ts';
import { embeddings } from '#test/fakes/openai-server.ts';
import {
  failure,
  startScriptedServer,
  type ScriptedReply,
  type ScriptedServer,
} from '#test/fakes/scripted-http-server.ts';
import { axisVector } from './support/vectors.ts';

/** A loopback stand-in for POST /v1/embeddings answering `script` in order; returns its base URL. */
let server: ScriptedServer | undefined;
async function serve(...script: ScriptedReply[]): Promise<string> {
  server = await startScriptedServer(script);
  return `${server.origin}/v1`;
}
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const vectors = (count: number) => embeddings(count, (index) => axisVector(index));

describe('OpenAIEmbedder', () => {
  it('embeds in batches with text-embedding-3-small and keeps the order of the texts', async () => {
    const baseURL = await serve(vectors(2), vectors(2), vectors(1));
    const embedder = new OpenAIEmbedder({ apiKey: 'sk-test', baseURL, batchSize: 2 });
    const result = await embedder.embed(['a', 'b', 'c', 'd', 'e']);
    const requests = server!.requests;
    expect(requests.map((r) => r.body.input)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(requests[0]?.path).toBe('/v1/embeddings');
    expect(requests[0]?.body).toMatchObject({ model: 'text-embedding-3-small' });
    expect(requests[0]?.headers.authorization).toBe('Bearer sk-test');
    expect(result.map((v) => v.indexOf(1))).toEqual([0, 1, 0, 1, 0]);
  });

  it('retries a rate limit and a server error', async () => {
    const baseURL = await serve(failure(429), failure(500), vectors(1));
    const embedder = new OpenAIEmbedder({ apiKey: 'sk-test', baseURL, maxRetries: 2 });
    expect(await embedder.embed(['a'])).toHaveLength(1);
    expect(server!.requests).toHaveLength(3);
  });

  it('says which key to fix when OpenAI rejects it', async () => {
    const baseURL = await serve({ status: 401, body: { error: { message: 'status 401', type: 'test' } } });
    const embedder = new OpenAIEmbedder({ apiKey: 'sk-wrong', baseURL });
    const error = await embedder.embed(['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingError);
    expect((error as Error).message).toBe(
      'OpenAI rejected OPENAI_API_KEY for embeddings (401): set a valid key, or unset it for full-text recall',
    );
  });

  it('pads a smaller model of a compatible server to 1536 numbers, asking it for no size', async () => {
    const small = (index: number) => Array.from({ length: 768 }, (_, i) => (i === index ? 1 : 0));
    const baseURL = await serve(embeddings(2, small, 'nomic-embed-text'));
    const embedder = new OpenAIEmbedder({ baseURL, model: 'nomic-embed-text', dimensions: 768 });
    const [first, second] = await embedder.embed(['a', 'b']);
    expect(server!.requests[0]?.body).toEqual({
      model: 'nomic-embed-text',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    expect(server!.requests[0]?.headers.authorization).toBe('Bearer not-needed');
    expect([
      first!.length,
      first!.indexOf(1),
      second!.indexOf(1),
      first!.slice(768).some((x) => x !== 0),
    ]).toEqual([1536, 0, 1, false]);
    expect(embedder.model).toBe('nomic-embed-text:768');
  });

  it('asks text-embedding-3 for the size configured', async () => {
    const baseURL = await serve(embeddings(1, () => new Array<number>(512).fill(0.5)));
    const embedder = new OpenAIEmbedder({ apiKey: 'sk-test', baseURL, dimensions: 512 });
    expect((await embedder.embed(['a']))[0]).toHaveLength(1536);
    expect(server!.requests[0]?.body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 512 });
  });

  it('names the setting to fix when the server returns another size', async () => {
    const baseURL = await serve(embeddings(1, () => new Array<number>(384).fill(0.1), 'all-minilm'));
    const embedder = new OpenAIEmbedder({ baseURL, model: 'all-minilm', dimensions: 768 });
    await expect(embedder.embed(['a'])).rejects.toThrow(
      "all-minilm returned 1 embeddings of 384 numbers for 1 texts; expected 768 each (set CARRIER_EMBEDDING_DIMENSIONS to the model's size)",
    );
    expect(() => new OpenAIEmbedder({ dimensions: 3072 })).toThrow(/from 1 to 1536, got 3072/);
  });
});
