import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describe as describeMemory } from '../../bin/commands/memory-args.ts';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { offlineModel } from '#core/adapters/models/offline.ts';
import { composeMemoryPrompt } from '#core/agents/instructions.ts';
import { runTurn } from '#core/agents/run-turn.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { StoreMemory } from '#core/memory/store-memory.ts';
import { completedTurn } from '#test/memory/support/fixtures.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';

// Recalled messages from another conversation say who said them, so neither a model nor the
// offline one takes the character's own earlier reply for the user's words.
const db = useMigratedPglite();
let ada: Character;
let memory: StoreMemory;
beforeAll(async () => {
  ada = await loadCharacter('ada');
});
beforeEach(async () => {
  await db().exec('truncate memories');
  memory = new StoreMemory(new SqlMemoryRepository(db()));
  await memory.remember(
    completedTurn('t1', 'I am planning a trip to Lisbon', {
      roomId: 'c0',
      replyText: 'Lisbon in spring is lovely: pack walking shoes for the hills',
    }),
  );
});

describe('a recalled message', () => {
  it('names its speaker in the prompt: the character by name, the user as a user', async () => {
    const recollection = await memory.recall({
      agentId: 'ada',
      userId: 'u1',
      roomId: 'c9',
      text: 'which shoes should I pack for my trip to Lisbon?',
    });
    expect(recollection.recent).toEqual([]);
    expect(recollection.memories.map((m) => [m.text, m.speaker])).toEqual(
      expect.arrayContaining([
        ['Lisbon in spring is lovely: pack walking shoes for the hills', { role: 'assistant' }],
        ['I am planning a trip to Lisbon', { role: 'user', name: 'Sam' }],
      ]),
    );
    // The memories endpoint and the MCP search tool read the same rows.
    const found = [
      await memory.repository.search({ agentId: 'ada', query: 'Lisbon', userId: 'u1' }),
      await memory.repository.searchWithin({ agentId: 'ada', userPrefix: 'u', query: 'Lisbon' }),
    ];
    for (const hits of found) {
      expect(hits.map((m) => m.speaker)).toEqual(
        expect.arrayContaining([{ role: 'assistant' }, { role: 'user', name: 'Sam' }]),
      );
    }
    // So does `carrier memory search`.
    expect(found[0]!.map(describeMemory).join('\n')).toMatch(/said by the character\) Lisbon in spring/);
    expect(found[0]!.map(describeMemory).join('\n')).toMatch(/said by Sam\) I am planning a trip/);
    const prompt = composeMemoryPrompt(ada, recollection);
    expect(prompt).toContain(`- ${ada.name}: Lisbon in spring is lovely`);
    expect(prompt).toContain('- Sam (user): I am planning a trip to Lisbon');
  });

  it("is quoted back by the offline model only when the user said it, never the character's own line", async () => {
    const ask = async (id: string, text: string) =>
      (
        await runTurn(
          { id, character: ada, conversation: 'c9', user: { id: 'u1', name: 'Sam' }, text },
          { model: offlineModel(), memory, remember: false },
        )
      ).reply;
    expect(await ask('t2', 'which shoes should I pack?')).not.toContain('Lisbon in spring');
    expect(await ask('t3', 'where am I planning a trip to?')).toContain(
      'Earlier you told me: "I am planning a trip to Lisbon"',
    );
  });
});
