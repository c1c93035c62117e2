/** Discord refuses message content longer than this. */
export const DISCORD_MESSAGE_LIMIT = 2000;

type Kind = 'paragraph' | 'line' | 'word';

/** A place a chunk may end: just before `at` (a newline or a space), and the code fence open there. */
interface Boundary {
  at: number;
  kind: Kind;
  /** The opening fence line (e.g. "```ts") when `at` is inside a fenced code block. */
  fence: string | null;
}

/** Cuts inside a code block close it here and reopen it at the top of the next message. */
const CLOSE = '\n```';

/** In order of preference; a cut inside a code block only when no cut outside one will do. */
const TIERS: ((b: Boundary) => boolean)[] = [
  (b) => !b.fence && b.kind === 'paragraph',
  (b) => !b.fence && b.kind !== 'word',
  (b) => !b.fence,
  (b) => b.fence !== null && b.kind !== 'word',
  (b) => b.fence !== null,
];

/**
 * Splits a reply into Discord-sized messages: at paragraph breaks, else line breaks, else
 * spaces, preferring cuts that leave each message at least half full. A code block is kept whole
 * when it fits; a longer one is closed at the cut and reopened with its language in the next
 * message. Splitting is deterministic, so a retried delivery produces the same messages.
 *
 * @example
 * splitMessage('a'.repeat(3000)).map((m) => m.length); // [2000, 1000]
 */
export function splitMessage(text: string, limit = DISCORD_MESSAGE_LIMIT): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const [head, tail] = cut(rest, limit);
    chunks.push(head);
    rest = tail;
  }
  chunks.push(rest);
  return chunks;
}

function cut(text: string, limit: number): [string, string] {
  const { found, fenceAtLimit } = boundaries(text, limit);
  const fits = (b: Boundary) =>
    b.fence === null ? b.at <= limit : b.at + CLOSE.length <= limit && b.at > b.fence.length + 1;
  for (const min of [limit / 2, 1]) {
    for (const tier of TIERS) {
      const best = found.findLast((b) => tier(b) && fits(b) && b.at >= min);
      if (best) return split(text, best);
    }
  }
  // One unbroken run of characters: cut it hard, never between the halves of a surrogate pair.
  const reopen = fenceAtLimit !== null && limit - CLOSE.length > fenceAtLimit.length + 1;
  let at = reopen ? limit - CLOSE.length : limit;
  if (/[\uD800-\uDBFF]/.test(text[at - 1] ?? '')) at -= 1;
  const head = text.slice(0, at);
  return reopen ? [head + CLOSE, `${fenceAtLimit}\n${text.slice(at)}`] : [head, text.slice(at)];
}

function split(text: string, b: Boundary): [string, string] {
  const head = text.slice(0, b.at);
  const tail = b.kind === 'word' ? text.slice(b.at + 1) : text.slice(b.at).replace(/^\n+/, '');
  return b.fence === null ? [head, tail] : [head + CLOSE, `${b.fence}\n${tail}`];
}

/** Every newline and space up to `limit`, with the code fence open at each, and the fence open at `limit`. */
function boundaries(text: string, limit: number): { found: Boundary[]; fenceAtLimit: string | null } {
  const found: Boundary[] = [];
  let fence: string | null = null;
  let start = 0;
  while (start <= limit) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    for (let i = line.indexOf(' ', 1); i !== -1 && start + i <= limit; i = line.indexOf(' ', i + 1)) {
      found.push({ at: start + i, kind: 'word', fence });
    }
    if (newline === -1 || newline >= limit) return { found, fenceAtLimit: fence };
    const marker = line.trim();
    if (fence === null && /^(```|~~~)/.test(marker)) fence = marker;
    else if (fence !== null && marker.startsWith(fence.slice(0, 3)) && /^(```|~~~)\s*$/.test(marker))
      fence = null;
    found.push({ at: newline, kind: text[newline + 1] === '\n' ? 'paragraph' : 'line', fence });
    start = newline + 1;
  }
  return { found, fenceAtLimit: fence };
}
