import type { Character } from '../characters/schema.ts';
import type { Recollection } from '../ports/memory.ts';
import { sample, seededRandom } from './seeded.ts';
import { cleanDisplayName, dataBlock, dataLine } from './untrusted-text.ts';

/**
 * Section headings of the composed instructions. The offline model reads the same headings,
 * and the Anthropic adapter caches everything before DYNAMIC_MARKER (the stable character prompt).
 */
export const SECTIONS = {
  examples: '# How you talk (examples)',
  memories: '# What you remember',
  recent: '# Recent conversation',
} as const;
export const DYNAMIC_MARKER = '\n\n---\n\n';

const lines = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const bullets = (items: string[]) => items.map((i) => `- ${i}`).join('\n');

/**
 * The stable part of a character's prompt. Bio, lore, topics and examples are sampled with a
 * seed made of the character id and the conversation, so one conversation always sees the same
 * prompt (and a provider's prompt cache keeps hitting) while conversations differ.
 *
 * @example composeCharacterPrompt(character, 'discord:123')
 */
export function composeCharacterPrompt(character: Character, conversation: string): string {
  const random = seededRandom(`${character.id}\u0000${conversation}`);
  const name = character.name;
  const parts: string[] = [
    character.system ?? `You are ${name}. Stay in character and answer as ${name} would.`,
  ];
  const bio = sample(lines(character.bio), 6, random);
  if (bio.length) parts.push(`# About ${name}\n${bullets(bio)}`);
  const lore = sample(character.lore, 4, random);
  if (lore.length) parts.push(`# Background\n${bullets(lore)}`);
  const adjectives = sample(character.adjectives, 5, random);
  if (adjectives.length) parts.push(`# Personality\n${name} is ${adjectives.join(', ')}.`);
  const topics = sample(character.topics, 6, random);
  if (topics.length) parts.push(`# Topics you know well\n${topics.join(', ')}`);
  const style = [...(character.style?.all ?? []), ...(character.style?.chat ?? [])];
  if (style.length) parts.push(`# Style\n${bullets(style)}`);
  if (character.goals?.length) parts.push(`# Goals\n${bullets(character.goals)}`);
  const examples = sample(character.messageExamples, 3, random);
  if (examples.length) {
    const shown = examples.map((conversation) =>
      conversation
        .map((m) => {
          const speaker = m.name ?? m.user ?? 'user';
          return `${speaker === name || speaker === character.username ? name : 'user'}: ${m.content.text}`;
        })
        .join('\n'),
    );
    parts.push(`${SECTIONS.examples}\n${shown.join('\n\n')}`);
  }
  return parts.join('\n\n');
}

/**
 * The per-turn part: what recall found and the room's recent messages, each in a fenced data
 * block (untrusted-text.ts). A user's line names the user as `<name> (user)`, so a user who
 * calls themselves after the character cannot speak as it.
 */
export function composeMemoryPrompt(character: Character, recollection: Recollection): string {
  const parts: string[] = [];
  if (recollection.memories.length) {
    // A recalled message names who said it, as the conversation's lines do; facts stand alone.
    const lines = bullets(
      recollection.memories.map((m) =>
        m.speaker ? said(character, { ...m.speaker, text: m.text }) : dataLine(m.text),
      ),
    );
    parts.push(
      `${SECTIONS.memories}\n${dataBlock('memories', 'facts and quotes recalled from earlier conversations', [lines])}`,
    );
  }
  if (recollection.recent.length) {
    const lines = recollection.recent.map((m) => said(character, m));
    parts.push(`${SECTIONS.recent}\n${dataBlock('conversation', 'the conversation so far', lines)}`);
  }
  return parts.join('\n\n');
}

/** One line of what was said, after its speaker: the character by name, a user as `<name> (user)`. */
function said(character: Character, m: { role: 'user' | 'assistant'; name?: string; text: string }): string {
  return m.role === 'assistant'
    ? `${character.name}: ${dataLine(m.text)}`
    : `${userLabel(m.name)}: ${dataLine(m.text)}`;
}

function userLabel(name: string | undefined): string {
  const cleaned = cleanDisplayName(name);
  return cleaned ? `${cleaned} (user)` : 'user';
}

export function composeInstructions(
  character: Character,
  conversation: string,
  recollection: Recollection,
): string {
  const memory = composeMemoryPrompt(character, recollection);
  const stable = composeCharacterPrompt(character, conversation);
  return memory ? `${stable}${DYNAMIC_MARKER}${memory}` : stable;
}
