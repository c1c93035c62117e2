import { beforeEach, describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { FactExtractor } from '#core/ports/memory-records.ts';
import { patternFacts } from '#core/memory/fact-patterns.ts';
import { StoreMemory } from '#core/memory/store-memory.ts';
import { storeMemory } from '#core/wiring/memory.ts';
import { loadSettings } from '#core/wiring/settings.ts';
import type { CompletedTurn } from '#core/ports/memory.ts';
import { FakeEmbedder } from './support/fake-embedder.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';
import { completedTurn } from './support/fixtures.ts';

const db = useMigratedPglite();
let store: ReturnType<typeof db>;
beforeEach(async () => {
  store = db();
  await store.exec('truncate memories, embedding_cache');
});

let clock = Date.parse('2025-01-01T00:00:00Z');
// Each turn a minute after the last, so their order is their time order.
const turn = (turnId: string, userText: string, extra: Partial<CompletedTurn> = {}): CompletedTurn =>
  completedTurn(turnId, userText, { at: new Date((clock += 60_000)).toISOString(), ...extra });
const patterns: FactExtractor = async (t) => patternFacts(t.userText, t.userName);
const ask = (text: string, userId = 'u1', roomId = 'c1') => ({ agentId: 'ada', userId, roomId, text });

describe('StoreMemory', () => {
  it('stores an exchange once per turn id and recalls it as the recent conversation', async () => {
    const memory = new StoreMemory(new SqlMemoryRepository(store));
    await memory.remember(turn('t1', 'hello there'));
    await memory.remember(turn('t1', 'hello there'));
    const { recent } = await memory.recall(ask('anything'));
    expect(recent.map((m) => [m.role, m.text])).toEqual([
      ['user', 'hello there'],
      ['assistant', 'Noted.'],
    ]);
  });

  it('recalls facts about the user from another conversation, and not for another user', async () => {
    const memory = new StoreMemory(new SqlMemoryRepository(store), {
      extractFacts: patterns,
      reflectInBackground: false,
    });
    await memory.remember(turn('t1', 'My favourite colour is teal', { roomId: 'c0' }));
    const mine = await memory.recall(ask('What is my favourite colour?', 'u1', 'c9'));
    expect(mine.recent).toEqual([]);
    expect(mine.memories.map((m) => m.text)).toContain("Sam's favourite colour is teal");
    const theirs = await memory.recall(ask('What is my favourite colour?', 'u2', 'c0'));
    expect(theirs).toEqual({ recent: [], memories: [] });
  });

  it('supersedes a changed fact, skips a repeated one, and keeps the history', async () => {
    const memory = new StoreMemory(new SqlMemoryRepository(store), {
      extractFacts: patterns,
      reflectInBackground: false,
    });
    await memory.remember(turn('t1', 'My favourite colour is teal'));
    await memory.remember(turn('t2', 'Again: my favourite colour is teal!'));
    await memory.remember(turn('t3', 'Actually my favourite colour is red'));
    const facts = await memory.repository.facts('ada', 'u1');
    expect(facts.map((f) => f.text)).toEqual(["Sam's favourite colour is red"]);
    const all = await memory.repository.list({ agentId: 'ada', type: 'fact' });
    expect(all.map((f) => [f.text, f.supersededBy === facts[0]!.id])).toEqual([
      ["Sam's favourite colour is red", false],
      ["Sam's favourite colour is teal", true],
    ]);
  });

  it('reflects off the reply path and settles before the process ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: FactExtractor = async (t) => {
      await gate;
      return patternFacts(t.userText);
    };
    const memory = new StoreMemory(new SqlMemoryRepository(store), { extractFacts: slow });
    await memory.remember(turn('t1', 'I live in Lyon'));
    expect(await memory.repository.facts('ada', 'u1')).toEqual([]);
    release();
    await memory.settle();
    expect((await memory.repository.facts('ada', 'u1')).map((f) => f.text)).toEqual([
      'The user lives in Lyon',
    ]);
  });

  it('reports a failed reflection without failing the turn', async () => {
    const errors: string[] = [];
    const memory = new StoreMemory(new SqlMemoryRepository(store), {
      extractFacts: async () => {
        throw new Error('model down');
      },
      onError: (error, stage) => errors.push(`${stage}: ${(error as Error).message}`),
    });
    await memory.remember(turn('t1', 'I live in Lyon'));
    await memory.settle();
    expect(errors).toEqual(['reflect: model down']);
    expect((await memory.recall(ask('x'))).recent).toHaveLength(2);
  });

  it('embeds stored messages after the reply and recalls by meaning as well as by words', async () => {
    const embedder = new FakeEmbedder({ teal: 0, colour: 0, hue: 0, dog: 1 });
    const memory = new StoreMemory(new SqlMemoryRepository(store), { embedder, reflectInBackground: false });
    await memory.remember(turn('t1', 'I adore teal', { roomId: 'c0' }));
    await memory.remember(turn('t2', 'My dog is called Rex', { roomId: 'c0' }));
    const { memories } = await memory.recall(ask('Which hue do I like?', 'u1', 'c9'));
    expect(memories[0]).toMatchObject({
      text: 'I adore teal',
      why: { vector: expect.closeTo(1, 5), vectorRank: 1 },
    });
  });

  it('falls back to full-text recall when the embedder is down', async () => {
    const embedder = new FakeEmbedder({});
    const errors: string[] = [];
    const memory = new StoreMemory(new SqlMemoryRepository(store), {
      embedder,
      onError: (_e, stage) => errors.push(stage),
    });
    await memory.remember(turn('t1', 'teal is my colour', { roomId: 'c0' }));
    await memory.settle();
    embedder.failing = true;
    const { memories } = await memory.recall(ask('teal', 'u1', 'c9'));
    // The reply that followed the hit comes after it, as its context.
    expect(memories.map((m) => m.text)).toEqual(['teal is my colour', 'Noted.']);
    expect(errors).toEqual(['recall']);
  });

  it('keeps what recall adds within the token budget, newest messages first', async () => {
    const memory = new StoreMemory(new SqlMemoryRepository(store), {
      budget: { tokens: 60, recentShare: 0.5 },
    });
    for (let i = 1; i <= 6; i++) await memory.remember(turn(`t${i}`, `message number ${i} `.repeat(3)));
    const { recent } = await memory.recall(ask('nothing'));
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(12);
    expect(recent.at(-2)?.text).toBe('message number 6 '.repeat(3));
  });
});

describe('storeMemory, as the runner and the local stack wire it', () => {
  it("reflects with the runner's characters, read when first needed: one added after start included", async () => {
    const asked: string[] = [];
    const settings = await loadSettings({ env: {}, envFile: '/nonexistent/.env' });
    const memory = await storeMemory(store, settings, {
      character: async (id) => {
        asked.push(id);
        return { id, name: 'Late', source: `characters/${id}.json` };
      },
    });
    await memory.remember(turn('t1', 'I live in Lyon', { agentId: 'late' }));
    await memory.settle();
    expect(asked).toEqual(['late']);
    expect((await memory.repository.facts('late', 'u1')).map((f) => f.text)).toEqual(['Sam lives in Lyon']);
  });
});
