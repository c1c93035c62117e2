import { beforeAll, describe, expect, it } from 'vitest';
import { CachedEmbedder } from '#core/adapters/embedder/cached-embedder.ts';
import { sha256 } from '#core/memory/content-hash.ts';
import { Lru } from '#core/adapters/embedder/lru.ts';
import { selectEmbedder } from '#core/adapters/embedder/select-embedder.ts';
import { FakeEmbedder } from './support/fake-embedder.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';

const db = useMigratedPglite();
let store: ReturnType<typeof db>;
beforeAll(() => {
  store = db();
});

describe('CachedEmbedder', () => {
  it('asks the service once per distinct text, then the process cache, then the store', async () => {
    const service = new FakeEmbedder({ teal: 3 });
    const first = new CachedEmbedder(service, store);
    const [a, b, c] = await first.embed(['teal', 'teal', 'other']);
    expect(service.calls).toEqual([['teal', 'other']]);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    await first.embed(['teal']);
    expect(service.calls).toHaveLength(1);

    const otherProcess = new CachedEmbedder(service, store);
    expect(await otherProcess.embed(['other', 'teal'])).toEqual([c, a]);
    expect(service.calls).toHaveLength(1);
    const cached = await store.query<{ sha256: string }>(
      'select sha256 from embedding_cache order by sha256',
    );
    expect(cached.map((r) => r.sha256)).toEqual([sha256('other'), sha256('teal')].sort());
  });
});

describe('Lru', () => {
  it('drops the least recently used entry past its capacity', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.size]).toEqual([1, undefined, 3, 2]);
  });
});

describe('selectEmbedder', () => {
  it('embeds only with an OpenAI key, and not when turned off', () => {
    expect(selectEmbedder({}, store)).toBeUndefined();
    expect(selectEmbedder({ OPENAI_API_KEY: 'sk', CARRIER_EMBEDDINGS: 'off' }, store)).toBeUndefined();
    expect(selectEmbedder({ OPENAI_API_KEY: 'sk' }, store)?.model).toBe('text-embedding-3-small');
  });

  it('embeds with any compatible server at OPENAI_BASE_URL given a model, at its size', () => {
    const local = {
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      CARRIER_EMBEDDING_MODEL: 'nomic-embed-text',
    };
    // A chat server alone does not mean embeddings: the model must be named.
    expect(selectEmbedder({ OPENAI_BASE_URL: local.OPENAI_BASE_URL }, store)).toBeUndefined();
    expect(selectEmbedder({ ...local, CARRIER_EMBEDDING_DIMENSIONS: '768' }, store)?.model).toBe(
      'nomic-embed-text:768',
    );
    expect(() => selectEmbedder({ ...local, CARRIER_EMBEDDING_DIMENSIONS: '4096' }, store)).toThrow(
      'CARRIER_EMBEDDING_DIMENSIONS=4096 is not a size from 1 to 1536',
    );
  });
});
