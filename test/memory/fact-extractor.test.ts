import { assistantMessage, ScriptedModel } from '@openai/agents/testing';
import { describe, expect, it } from 'vitest';
import { modelFactExtractor } from '#core/memory/fact-extractor.ts';
import { patternFacts } from '#core/memory/fact-patterns.ts';
import { offlineModel } from '#core/adapters/models/offline.ts';
import { completedTurn } from './support/fixtures.ts';

const turn = (userText: string) => completedTurn('t1', userText);

describe('patternFacts', () => {
  it('finds what a user says about themselves with fixed patterns', () => {
    const text =
      "My favourite colour is teal. I live in Lyon, and I'm a nurse. I am 34 years old; I love sailing!";
    expect(patternFacts(text, 'Sam')).toEqual([
      { key: 'favourite_colour', value: 'teal', text: "Sam's favourite colour is teal" },
      { key: 'home', value: 'Lyon', text: 'Sam lives in Lyon' },
      { key: 'age', value: '34', text: 'Sam is 34 years old' },
      { key: 'occupation', value: 'nurse', text: 'Sam is a nurse' },
      { value: 'sailing', text: 'Sam likes sailing' },
    ]);
  });

  it('finds nothing in a question', () => {
    expect(patternFacts('What is my favourite colour?')).toEqual([]);
  });
});

describe('modelFactExtractor', () => {
  it('asks the character model for structured facts, showing it the known ones', async () => {
    const model = new ScriptedModel([
      [
        assistantMessage(
          JSON.stringify({
            facts: [{ key: 'favourite_colour', value: 'red', statement: 'Sam now prefers red' }],
          }),
        ),
      ],
    ]);
    const extract = modelFactExtractor(() => ({ model, provider: 'openai', name: 'scripted' }));
    const facts = await extract(turn('Red is my colour now'), async () => [
      {
        id: 'f1',
        text: "Sam's favourite colour is teal",
        key: 'favourite_colour',
        createdAt: '2025-01-01T00:00:00Z',
      },
    ]);
    expect(facts).toEqual([{ key: 'favourite_colour', value: 'red', text: 'Sam now prefers red' }]);
    const request = model.firstCall?.request;
    expect(request?.systemInstructions).toContain("- favourite_colour: Sam's favourite colour is teal");
    expect(request?.outputType).not.toBe('text');
  });

  it('uses the patterns with the offline model', async () => {
    const extract = modelFactExtractor(() => offlineModel());
    const known = async () => {
      throw new Error('the patterns need no known facts: nothing should read them');
    };
    expect(await extract(turn('I live in Lyon'), known)).toEqual([
      { key: 'home', value: 'Lyon', text: 'Sam lives in Lyon' },
    ]);
  });
});
