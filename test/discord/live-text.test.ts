import { describe, expect, it } from 'vitest';
import { liveMessages, shownPart, TOOL_STATUS } from '#core/discord/live-text.ts';
import { splitMessage } from '#core/discord/split-message.ts';

describe('shownPart', () => {
  it('cuts at the last sentence or line end', () => {
    expect(shownPart('Hello there. How are')).toBe('Hello there.');
    expect(shownPart('One line\nand half')).toBe('One line');
    expect(shownPart('no end yet')).toBe('');
    expect(shownPart('no end yet', { words: true })).toBe('no end');
  });

  it('never shows an open code block, and shows a closed one whole', () => {
    const open = 'Here it is.\n```ts\nconst a = 1;\nconst b';
    expect(shownPart(open)).toBe('Here it is.');
    const closed = 'Here it is.\n```ts\nconst a = 1. Then\n```';
    expect(shownPart(closed)).toBe(closed);
    expect(shownPart(`${closed}\nAfter. And`)).toBe(`${closed}\nAfter.`);
  });
});

describe('liveMessages', () => {
  it('splits like the final reply, so every message but the last is already final', () => {
    const reply = Array.from({ length: 80 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const final = splitMessage(reply);
    for (let at = 2100; at < reply.length; at += 97) {
      const live = liveMessages(reply.slice(0, at));
      expect(live.slice(0, -1)).toEqual(final.slice(0, live.length - 1));
    }
  });

  it('shows the tool status under the text while a tool runs', () => {
    expect(liveMessages('Checking. ', { tool: true })).toEqual([`Checking.\n${TOOL_STATUS}`]);
    expect(liveMessages('', { tool: true })).toEqual([TOOL_STATUS]);
  });
});
