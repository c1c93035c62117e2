import { beforeEach, describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { NewMemory } from '#core/ports/memory-records.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

const DAY = 86_400_000;
const daysAgo = (n: number, minute = 0) => new Date(Date.now() - n * DAY + minute * 60_000).toISOString();

/** A turn of a conversation: the user's (with their name) or the agent's reply. */
const said = (
  userId: string,
  name: string | null,
  text: string,
  at: string,
  extra: Partial<NewMemory> = {},
): NewMemory => ({
  agentId: 'ada',
  userId,
  roomId: `dm-${userId}`,
  type: 'message',
  text,
  content: name ? { role: 'user', name } : { role: 'assistant' },
  createdAt: at,
  ...extra,
});

describe.each(SQL_ADAPTERS)('recall ranking contract: %s', (name) => {
  let repo: SqlMemoryRepository;
  beforeEach(async () => {
    await stores().reset();
    repo = new SqlMemoryRepository(stores().adapters[name]);
  });
  const texts = async (q: Parameters<SqlMemoryRepository['search']>[0]) =>
    (await repo.search(q)).map((h) => h.text);

  it('never crosses tenants: the same user name under two tenants sees only its own memories', async () => {
    await repo.insert([
      said('api:t1:alice', 'Alice', 'My locker code is 4412', daysAgo(2)),
      said('api:t2:alice', 'Alice', 'My locker code is 9034', daysAgo(2)),
    ]);
    for (const [userId, own] of [
      ['api:t1:alice', '4412'],
      ['api:t2:alice', '9034'],
    ] as const) {
      const found = await texts({ agentId: 'ada', userId, query: 'What did Alice say her locker code was?' });
      expect(found).toEqual([`My locker code is ${own}`]);
      const recalled = await repo.recall({
        agentId: 'ada',
        userId,
        roomId: 'elsewhere',
        query: 'locker code',
      });
      // The texts, not the rows: a row's random id may hold the other code's digits.
      const seen = [...recalled.recent, ...recalled.facts, ...recalled.recalled].map((m) => m.text);
      expect(seen.join('\n')).not.toContain(own === '4412' ? '9034' : '4412');
      expect(seen).toContain(`My locker code is ${own}`);
    }
  });

  it('never crosses agents or users through neighbours, names or periods', async () => {
    await repo.insert([
      said('u1', 'Maya', 'I adopted a beagle puppy', daysAgo(1)),
      // Another user in the same room, a minute later: not u1's conversation.
      { ...said('u2', 'Jonah', 'Biscuit!', daysAgo(1, 1)), roomId: 'dm-u1' },
      { ...said('u1', 'Maya', 'My other secret: a beagle named Rex', daysAgo(1, 2)), agentId: 'bob' },
    ]);
    const forMaya = await texts({
      agentId: 'ada',
      userId: 'u1',
      query: 'What did Jonah say about the puppy yesterday?',
    });
    expect(forMaya).toEqual(['I adopted a beagle puppy']);
    const agentWide = await texts({ agentId: 'ada', allUsers: true, query: 'beagle named Rex' });
    expect(agentWide).not.toContain('My other secret: a beagle named Rex');
  });

  it('finds what was said in other words', async () => {
    await repo.insert([
      said('u1', 'Maya', 'Went to the cinema and watched a great film', daysAgo(5)),
      said('u1', 'Maya', 'The weather was grey all week', daysAgo(5, 3)),
    ]);
    expect((await texts({ agentId: 'ada', userId: 'u1', query: 'Which movie did I go and see?' }))[0]).toBe(
      'Went to the cinema and watched a great film',
    );
  });

  it('finds a short answer through the question it answered', async () => {
    await repo.insert([
      said('u1', null, 'Does the new puppy have a name yet?', daysAgo(3)),
      said('u1', 'Maya', 'Biscuit!', daysAgo(3, 1)),
      said('u1', 'Maya', 'Work was busy', daysAgo(9)),
    ]);
    expect(await texts({ agentId: 'ada', userId: 'u1', query: 'What is the name of my dog?' })).toEqual([
      'Does the new puppy have a name yet?',
      'Biscuit!',
    ]);
  });

  it('ranks memories from the period a question names first, and finds them without shared words', async () => {
    await repo.insert([
      said('u1', 'Maya', 'Went hiking by the lake', daysAgo(40)),
      said('u1', 'Maya', 'Went hiking in the hills', daysAgo(1)),
      said('u1', 'Maya', 'Baked bread with my nephew', daysAgo(1, 5)),
    ]);
    const found = await texts({ agentId: 'ada', userId: 'u1', query: 'Where did I go hiking yesterday?' });
    expect(found[0]).toBe('Went hiking in the hills');
    expect(found).toContain('Baked bread with my nephew');
  });

  it('ranks the conversation of the user a question names above others', async () => {
    await repo.insert([
      said('u1', 'Maya Chen', 'The trip to Lisbon was lovely', daysAgo(4)),
      said('u2', 'Jonah', 'The trip to Lisbon was lovely', daysAgo(3)),
    ]);
    const hits = await repo.search({
      agentId: 'ada',
      allUsers: true,
      query: 'What did Maya think of the Lisbon trip?',
    });
    expect(hits.map((h) => h.userId)).toEqual(['u1', 'u2']);
  });

  it('forgets a user’s name and the words only they used along with their memories', async () => {
    await repo.insert([
      said('u1', 'Maya', 'My passphrase is zanzibarquokka', daysAgo(2)),
      said('u2', 'Jonah', 'Hello there', daysAgo(2)),
    ]);
    await repo.forgetUser('ada', 'u1');
    const speakers = await stores().db.query<{ word: string }>(
      `select word from memory_speakers order by word`,
    );
    expect(speakers.map((s) => s.word)).toEqual(['jonah']);
    const terms = await stores().db.query<{ n: number }>(
      `select count(*)::int as n from memory_terms where lexeme like 'zanzibar%'`,
    );
    expect(terms[0]!.n).toBe(0);
    const [corpus] = await stores().db.query<{ docs: number }>(
      `select docs::int from memory_corpus where agent_id = 'ada'`,
    );
    expect(corpus!.docs).toBe(1);
  });
});
