import { Agent, Runner } from '@openai/agents';
import { SECTIONS } from '../agents/instructions.ts';
import { sample, seededRandom } from '../agents/seeded.ts';
import type { Character } from '../characters/schema.ts';
import type { ResolvedModel } from '../ports/model.ts';
import { turnUsage, type TurnUsage } from '../usage/turn-usage.ts';
import { appendHashtags, CAPTION_LIMITS, limitCaption } from './caption-limits.ts';

const lines = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const bullets = (items: string[]) => items.map((i) => `- ${i}`).join('\n');

/** What the examples section pairs each post example with (the offline model reads these pairs). */
export const POST_EXAMPLE_PROMPT = 'write an Instagram caption';

/**
 * The instructions for writing a post as the character: who they are, their post style, and
 * their post examples as replies (sampled with `seed`, so one post always sees the same prompt).
 *
 * @example composePostPrompt(character, 'post:42')
 */
export function composePostPrompt(character: Character, seed: string): string {
  const random = seededRandom(`${character.id}\u0000${seed}`);
  const name = character.name;
  const parts = [character.system ?? `You are ${name}. Stay in character and write as ${name} would.`];
  const bio = sample(lines(character.bio), 5, random);
  if (bio.length) parts.push(`# About ${name}\n${bullets(bio)}`);
  const adjectives = sample(character.adjectives, 5, random);
  if (adjectives.length) parts.push(`# Personality\n${name} is ${adjectives.join(', ')}.`);
  const topics = sample(character.topics, 6, random);
  if (topics.length) parts.push(`# Topics you know well\n${topics.join(', ')}`);
  const style = [...(character.style?.all ?? []), ...(character.style?.post ?? [])];
  if (character.instagram?.caption_style) style.push(character.instagram.caption_style);
  if (style.length) parts.push(`# Style\n${bullets(style)}`);
  const examples = sample(character.postExamples, 5, random);
  if (examples.length) {
    parts.push(
      `${SECTIONS.examples}\n${examples.map((e) => `user: ${POST_EXAMPLE_PROMPT}\n${name}: ${e}`).join('\n\n')}`,
    );
  }
  parts.push(
    `# Your task\nWrite one Instagram caption in your own voice. Reply with the caption only: no quotes, no preamble. ` +
      `At most ${CAPTION_LIMITS.chars} characters, ${CAPTION_LIMITS.hashtags} hashtags and ${CAPTION_LIMITS.mentions} @mentions.`,
  );
  return parts.join('\n\n');
}

export interface WrittenCaption {
  caption: string;
  /** Whether the model's text had to be cut to fit the limits. */
  trimmed: boolean;
  model: { provider: string; name: string };
  /** What the model call used and cost, as a turn's usage is counted. */
  usage: TurnUsage;
}

// Tracing would export spans to OpenAI; the publisher logs its own outcome instead.
const runner = new Runner({ tracingDisabled: true });

/**
 * Writes a caption in the character's voice with one model call, then fits it to Instagram's
 * limits (see limitCaption) and appends the character's `instagram.hashtags` that still fit.
 *
 * @example
 * const { caption } = await writeCaption(character, 'sunrise over the harbour', selectModel(character, { deployed }), 'post:42');
 */
export async function writeCaption(
  character: Character,
  prompt: string,
  model: ResolvedModel,
  seed: string,
  opts: { timeoutMs?: number } = {},
): Promise<WrittenCaption> {
  const agent = new Agent({
    name: character.name,
    instructions: composePostPrompt(character, seed),
    model: model.model,
    modelSettings: character.temperature === undefined ? {} : { temperature: character.temperature },
  });
  // Asked the way the examples are, so the model (and the offline one) sees the same request shape.
  const result = await runner.run(agent, `${POST_EXAMPLE_PROMPT} about: ${prompt}`, {
    maxTurns: 1,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
  });
  const raw = cleanReply(typeof result.finalOutput === 'string' ? result.finalOutput : '');
  const limited = limitCaption(raw);
  const caption = appendHashtags(limited, character.instagram?.hashtags);
  const ran = { provider: model.provider, name: model.name };
  return { caption, trimmed: limited !== raw, model: ran, usage: turnUsage(ran, result.runContext.usage) };
}

/** Models like to wrap a caption in quotes or label it; the caption is what is inside. */
function cleanReply(text: string): string {
  let out = text.trim().replace(/^(caption|here'?s (your|the|a) caption)\s*:\s*/i, '');
  const quoted = /^(["“'])([\s\S]*)(["”'])$/u.exec(out);
  if (quoted && !quoted[2]!.includes(quoted[1]!)) out = quoted[2]!.trim();
  return out;
}
