import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Character } from '#core/characters/schema.ts';
import type { MetricDimensions, MetricValues } from '#core/ports/metrics.ts';
import { BudgetGate } from '#core/usage/budget-gate.ts';
import { budgetDefaults } from '#core/usage/budget-policy.ts';
import { InMemoryUsageRepository } from '#test/fakes/in-memory-usage.ts';
import { PricedModel } from '../runner/support/priced-model.ts';
import { ada, startPipeline, type Pipeline } from './support/pipeline.ts';

// gpt-4.1-mini: 1,000 input tokens at 0.4 µ$ + 200 output tokens at 1.6 µ$ = 720 µ$ a caption.
const KNOWN = { inputTokens: 1000, outputTokens: 200 };
const CAPTION_COST = 720;

let p: Pipeline;
let usage: InMemoryUsageRepository;
let model: PricedModel;

beforeAll(async () => {
  p = await startPipeline();
});
afterAll(async () => {
  await p?.close();
});
beforeEach(() => {
  p.resetPosts();
  usage = new InMemoryUsageRepository();
  model = new PricedModel(KNOWN);
});

const gate = (env: Record<string, string> = {}) =>
  new BudgetGate({ usage, defaults: budgetDefaults(env), now: p.clock.now });
const character = (over: Partial<Character>) => async () => ({ ...ada, ...over });
const today = () => p.clock.now().toISOString().slice(0, 10);

/** A chat turn that already spent `microUsd` of ada's day. */
async function spent(microUsd: number) {
  const turn = { turnId: 'chat-1', agentId: 'ada', userId: 'api:t:sam', provider: 'openai', model: 'x' };
  await usage.reserve({ ...turn, day: today(), reserveMicroUsd: microUsd });
  await usage.settle('chat-1', {
    requests: 1,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    costMicroUsd: microUsd,
    priceVersion: 'test',
  });
}

describe("Instagram captions spend from the character's daily budget", () => {
  it('reserves before the model is called and settles the tokens and cost it reported', async () => {
    const recorded: Array<[MetricDimensions, MetricValues]> = [];
    const post = await p.add({
      media: [{ source: p.files.jpeg }],
      caption: undefined,
      captionPrompt: 'kale',
    });

    await p.settle(20, {
      budget: gate(),
      model: () => model.resolved(),
      metrics: { record: (dimensions, values) => recorded.push([dimensions, values]) },
    });

    expect((await p.posts.get(post.id))?.state).toBe('published');
    expect(model.calls).toBe(1);
    const [row] = await usage.summary({ by: 'user', agentId: 'ada' });
    expect(row).toMatchObject({
      key: 'instagram',
      turns: 1,
      inputTokens: 1000,
      outputTokens: 200,
      costMicroUsd: CAPTION_COST,
      reservedMicroUsd: 0,
    });
    expect([...usage.entries.keys()]).toEqual([`caption:${post.id}:${today()}`]);
    expect(recorded).toContainEqual([
      { character: 'ada', model: 'gpt-4.1-mini' },
      {
        CaptionsWritten: 1,
        InputTokens: 1000,
        CachedInputTokens: 0,
        OutputTokens: 200,
        CostMicroUsd: CAPTION_COST,
      },
    ]);
  });

  it('over the cap waits without calling the model or spending an attempt, and writes it after midnight', async () => {
    await spent(1000);
    const post = await p.add({
      media: [{ source: p.files.jpeg }],
      caption: undefined,
      captionPrompt: 'kale',
    });
    const over = {
      budget: gate({ CARRIER_BUDGET_CHARACTER_DAILY_USD: '0.001' }),
      model: () => model.resolved(),
    };

    const [report] = await p.settle(1, over);

    const waiting = await p.posts.get(post.id);
    expect(waiting).toMatchObject({ state: 'scheduled', attempts: 0, caption: null, errorKind: 'quota' });
    expect(waiting?.reason).toBe(
      "over ada's daily budget: the caption is written once it resets at midnight (UTC), " +
        'or raise budget.daily_usd in the character file',
    );
    expect(report!.waiting).toHaveLength(1);
    expect(model.calls).toBe(0);
    // Asked again the same day, it stays refused (one ledger row, counted once).
    p.clock.advance(3600);
    await p.settle(1, over);
    expect(model.calls).toBe(0);
    expect((await usage.summary({ by: 'total' }))[0]).toMatchObject({ refused: 1 });

    p.clock.advance(16 * 3600); // 2030-03-02 01:00 UTC: a new budget day
    await p.settle(20, over);

    expect(await p.posts.get(post.id)).toMatchObject({ state: 'published', reason: null });
    expect(model.calls).toBe(1);
  });

  it('over the cap a character with a fallback model has it write the caption, and no user cap applies', async () => {
    const cheap = new PricedModel(KNOWN, 'gpt-4.1-nano');
    const post = await p.add({
      media: [{ source: p.files.jpeg }],
      caption: undefined,
      captionPrompt: 'kale',
    });

    await p.settle(20, {
      // A user cap of zero would refuse any chat user; captions are the publisher's, not a user's.
      budget: gate({ CARRIER_BUDGET_USER_DAILY_USD: '0' }),
      character: character({ budget: { daily_usd: 0, fallback_model: 'gpt-4.1-nano' } }),
      model: (c) => (c.model === 'gpt-4.1-nano' ? cheap : model).resolved(),
    });

    expect((await p.posts.get(post.id))?.state).toBe('published');
    expect([model.calls, cheap.calls]).toEqual([0, 1]);
    expect((await usage.summary({ by: 'model' }))[0]).toMatchObject({ key: 'openai/gpt-4.1-nano', turns: 1 });
  });
});
