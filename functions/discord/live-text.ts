import { splitMessage } from './split-message.ts';

/** Shown under the text while a tool runs. */
export const TOOL_STATUS = '-# looking it up…';

/**
 * How much of a reply still being written to show: up to its last sentence or line end, never
 * inside a code block (an open block is held back until it closes). With `words` (the first
 * edit after a quiet second), a word end will do when no sentence has ended yet.
 *
 * @example
 * shownPart('Hello there. How are'); // 'Hello there.'
 */
export function shownPart(text: string, options: { words?: boolean } = {}): string {
  let best = 0;
  let word = 0;
  let fence: string | null = null;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const marker = text.slice(start, end).trim();
    const opens = fence === null && /^(```|~~~)/.test(marker);
    const closes = fence !== null && marker.startsWith(fence.slice(0, 3)) && /^(```|~~~)\s*$/.test(marker);
    if (fence === null && !opens) {
      const line = text.slice(start, end);
      for (const m of line.matchAll(/[.!?…](?=\s)|\s(?=\S)/g)) {
        const at = start + m.index + 1;
        if (m[0].trim()) best = Math.max(best, at);
        else word = Math.max(word, start + m.index);
      }
      if (newline !== -1) best = Math.max(best, end);
    }
    if (opens) fence = marker;
    else if (closes) {
      fence = null;
      // A closing fence ends the block: everything up to it may show.
      if (newline !== -1 || end === text.length) best = Math.max(best, end);
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  const cut = best || (options.words ? word : 0);
  return text.slice(0, cut).trimEnd();
}

/**
 * The Discord messages for a live reply: the shown part split as the final reply will be
 * (splitMessage; every message but the last is already final), with the tool status line under
 * the last while a tool runs.
 *
 * @example
 * liveMessages('Checking. ', { tool: true }); // ['Checking.\n-# looking it up…']
 */
export function liveMessages(text: string, options: { tool?: boolean; words?: boolean } = {}): string[] {
  const shown = shownPart(text, options);
  const chunks = shown ? splitMessage(shown) : [];
  if (!options.tool) return chunks;
  const last = chunks.at(-1);
  if (last === undefined) return [TOOL_STATUS];
  const withStatus = `${last}\n${TOOL_STATUS}`;
  return withStatus.length <= 2000 ? [...chunks.slice(0, -1), withStatus] : chunks;
}
