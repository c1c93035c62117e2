/** Instagram's caption limits. */
export const CAPTION_LIMITS = { chars: 2200, hashtags: 30, mentions: 20 } as const;

const HASHTAG = /#[\p{L}\p{N}_]+/gu;
const MENTION = /(^|[^\p{L}\p{N}_@])@([A-Za-z0-9._]{1,30})/gu;
/** A run of hashtags (and spaces) at the very end: the caption's tag block. */
const TAG_BLOCK = /(?:\s*#[\p{L}\p{N}_]+)+\s*$/u;

export function countHashtags(caption: string): number {
  return caption.match(HASHTAG)?.length ?? 0;
}

export function countMentions(caption: string): number {
  return [...caption.matchAll(MENTION)].length;
}

/**
 * Fits a caption within Instagram's limits with one predictable rule:
 * 1. hashtags past the 30th are removed;
 * 2. mentions past the 20th lose their `@` (the name stays, the mention goes);
 * 3. past 2,200 characters the text before the trailing hashtag block is cut at a word boundary
 *    and ends with "…", keeping the block; if the block alone does not fit, its last tags go.
 * A caption within the limits comes back unchanged (but trimmed).
 *
 * @example limitCaption('a '.repeat(2000) + '#cats') // ends with '… #cats', 2,200 characters at most
 */
export function limitCaption(caption: string, limits = CAPTION_LIMITS): string {
  let text = caption.trim();

  let tags = 0;
  text = text.replace(HASHTAG, (tag) => (++tags > limits.hashtags ? '' : tag));
  let mentions = 0;
  text = text.replace(MENTION, (all, before: string, name: string) =>
    ++mentions > limits.mentions ? `${before}${name}` : all,
  );
  if (tags > limits.hashtags) text = text.replace(/[ \t]{2,}/g, ' ').replace(/\s+$/u, '');

  if (text.length <= limits.chars) return text;
  const block = TAG_BLOCK.exec(text);
  let body = block ? text.slice(0, block.index) : text;
  let keptBlock = block ? block[0].trim() : '';
  while (keptBlock && keptBlock.length > limits.chars / 2) {
    keptBlock = keptBlock.replace(/\s*#[\p{L}\p{N}_]+$/u, '');
  }
  const room = limits.chars - (keptBlock ? keptBlock.length + 2 : 0) - 1;
  if (body.length > room) {
    const cut = body.slice(0, room);
    const lastSpace = cut.search(/\s\S*$/u);
    body = `${(lastSpace > room / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
  }
  return keptBlock ? `${body}\n\n${keptBlock}` : body;
}

/**
 * Appends the character's own hashtags that are not in the caption yet, as long as the caption
 * stays within the limits.
 */
export function appendHashtags(
  caption: string,
  hashtags: readonly string[] = [],
  limits = CAPTION_LIMITS,
): string {
  const present = new Set((caption.match(HASHTAG) ?? []).map((t) => t.toLowerCase()));
  let out = caption;
  let count = present.size;
  for (const raw of hashtags) {
    const tag = raw.startsWith('#') ? raw : `#${raw}`;
    if (!/^#[\p{L}\p{N}_]+$/u.test(tag) || present.has(tag.toLowerCase())) continue;
    const next = TAG_BLOCK.test(out) ? `${out} ${tag}` : `${out}\n\n${tag}`;
    if (next.length > limits.chars || count + 1 > limits.hashtags) break;
    out = next;
    count++;
    present.add(tag.toLowerCase());
  }
  return out;
}
