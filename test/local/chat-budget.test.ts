import { describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { Character } from '#core/characters/schema.ts';
import { chatReply } from '#core/local/stack-chat.ts';
import { StoreMemory } from '#core/memory/store-memory.ts';
import { budgetGate } from '#core/wiring/budget.ts';
import { EchoModel } from '../runner/support/echo-model.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';

const db = useMigratedPglite();
const ada: Character = { id: 'ada', name: 'Ada', source: 'characters/ada.json' };
const message = { character: 'ada', conversation: 'cli', user: 'sam', text: 'hi' };

/** One `carrier chat` turn with the daily budgets `env` sets, on the zero-latency echo model. */
async function chat(env: Record<string, string>) {
  const store = db();
  const model = new EchoModel();
  const reply = await chatReply(message, {
    memory: new StoreMemory(new SqlMemoryRepository(store)),
    model: () => model.resolved(),
    budget: budgetGate(store, env),
    character: async () => ada,
  });
  const ledger = await store.query<{
    agent_id: string;
    user_id: string;
    status: string;
    input_tokens: string;
  }>(
    `select agent_id, user_id, status, input_tokens::text from turn_usage where agent_id = 'ada' order by created_at`,
  );
  await store.exec('truncate turn_usage, budget_counters');
  return { reply, ledger, calls: model.calls };
}

describe('carrier chat and the daily budgets', () => {
  it('counts a chat turn in the usage ledger, as the runner counts its turns', async () => {
    const { reply, ledger } = await chat({});
    expect(reply).toBe('echo: hi');
    expect(ledger).toEqual([{ agent_id: 'ada', user_id: 'sam', status: 'settled', input_tokens: '10' }]);
  });

  it("refuses a chat turn over the user's daily cap without calling the model", async () => {
    const { reply, ledger, calls } = await chat({ CARRIER_BUDGET_USER_DAILY_USD: '0' });
    expect(reply).toBe("I've talked enough for today. Let's pick this up tomorrow. — Ada");
    expect(calls).toBe(0);
    expect(ledger).toMatchObject([{ user_id: 'sam', status: 'refused' }]);
  });
});
