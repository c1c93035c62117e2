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
});
