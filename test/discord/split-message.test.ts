import { describe, expect, it } from 'vitest';
import { DISCORD_MESSAGE_LIMIT, splitMessage } from '#core/discord/split-message.ts';

const fences = (chunk: string) => chunk.split('\n').filter((line) => line.trim().startsWith('```')).length;
const words = (n: number, word = 'word') => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');

describe('splitting replies for Discord', () => {
  it('leaves a message that fits alone', () => {
    expect(splitMessage('hello')).toEqual(['hello']);
    expect(splitMessage('x'.repeat(DISCORD_MESSAGE_LIMIT))).toHaveLength(1);
  });

  it('splits a 3,000-character reply at a paragraph break into two messages', () => {
    const first = words(400).slice(0, 1400);
    const second = words(400, 'more').slice(0, 1598);
    const text = `${first}\n\n${second}`;
    expect(text).toHaveLength(3000);
    expect(splitMessage(text)).toEqual([first, second]);
  });

  it('falls back to line breaks, then spaces, keeping every message at least half full', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const byLine = splitMessage(lines);
    expect(byLine.length).toBeGreaterThan(1);
    expect(byLine.every((c) => c.length <= 2000)).toBe(true);
    expect(byLine.slice(0, -1).every((c) => c.length >= 1000)).toBe(true);
    expect(byLine.join('\n')).toBe(lines);

    const prose = words(700);
    const bySpace = splitMessage(prose);
    expect(bySpace.every((c) => c.length <= 2000 && !c.startsWith(' ') && !c.endsWith(' '))).toBe(true);
    expect(bySpace.join(' ')).toBe(prose);
  });

  it('moves a code block to the next message rather than cutting it', () => {
    const intro = words(150).slice(0, 1200);
    const code = [
      '```ts',
      ...Array.from({ length: 40 }, (_, i) => `const v${i} = ${i} * 2; // doubling`),
      '```',
    ].join('\n');
    const chunks = splitMessage(`${intro}\n\n${code}\n\nThat is all.`);
    expect(chunks).toEqual([intro, `${code}\n\nThat is all.`]);
  });

  it('closes and reopens a code block too long for one message, language kept', () => {
    const body = Array.from({ length: 200 }, (_, i) => `print("row ${i}")  # a comment that pads`).join('\n');
    const text = `Here you go:\n\`\`\`python\n${body}\n\`\`\``;
    const chunks = splitMessage(text);
    expect(chunks.length).toBeGreaterThan(3);
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.length).toBeLessThanOrEqual(2000);
      expect(fences(chunk) % 2).toBe(0);
      if (i > 0) expect(chunk.startsWith('```python\n')).toBe(true);
    }
    const rows = chunks.join('\n').match(/print\("row \d+"\)/g);
    expect(rows).toHaveLength(200);
  });

  it('cuts an unbroken run hard, never between the halves of an emoji', () => {
    expect(splitMessage('a'.repeat(4500)).map((c) => c.length)).toEqual([2000, 2000, 500]);
    const emoji = '😀'.repeat(1500);
    const chunks = splitMessage(emoji);
    expect(chunks.join('')).toBe(emoji);
    for (const chunk of chunks) expect(chunk).toMatch(/^(😀)+$/u);
  });

  it('never loops on a code block whose only line is longer than a message', () => {
    const text = `\`\`\`\n${'z'.repeat(5000)}\n\`\`\``;
    const chunks = splitMessage(text);
    expect(chunks.every((c) => c.length <= 2000)).toBe(true);
    expect(chunks.join('').replace(/[^z]/g, '')).toHaveLength(5000);
  });

  it('always yields messages within the limit, for many shapes of text', () => {
    const pieces = [
      'word ',
      'longerword ',
      '\n',
      '\n\n',
      '```js\n',
      '\n```\n',
      '😀',
      'x'.repeat(300),
      '  indented\n',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let n = 0; n < 60; n += 1) {
      let text = '';
      while (text.length < 500 + (next() % 6000)) text += pieces[next() % pieces.length];
      const chunks = splitMessage(text);
      expect(chunks.every((c) => c.length > 0 && c.length <= 2000)).toBe(true);
      expect(splitMessage(text)).toEqual(chunks);
    }
  });
});
