import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A character in ElizaOS's legacy (v0) layout: `user` in examples, `lore`, `clients`, `modelProvider`. */
export function legacyCharacter(name: string, reply: string, question = 'What do you think?') {
  return {
    name,
    clients: ['discord'],
    modelProvider: 'anthropic',
    settings: { secrets: {}, voice: { model: 'en_US-male-medium' } },
    plugins: [],
    bio: [`${name} speaks in short, loud sentences.`],
    lore: [`${name} once gave a speech that lasted four hours.`],
    knowledge: [`${name} knows every rally number.`],
    messageExamples: [
      [
        { user: '{{user1}}', content: { text: question } },
        { user: name, content: { text: reply, action: 'NONE' } },
      ],
    ],
    postExamples: [`${name} posted this.`],
    topics: ['politics'],
    style: { all: ['loud'], chat: ['short'], post: ['capitals'] },
    adjectives: ['loud'],
    people: [],
    templates: { messageHandlerTemplate: '{{bio}}' },
  };
}

/** A character in ElizaOS's current layout: `name` in examples, a UUID `id`, top-level `secrets`. */
export function currentCharacter(name: string, reply: string, question = 'How do I stake ATOM?') {
  return {
    id: 'b850bc30-45f8-0041-a00a-83df46d8555d',
    name,
    username: name.toLowerCase(),
    system: `You are ${name}, a patient guide to the Cosmos ecosystem.`,
    plugins: ['@elizaos/plugin-sql', '@elizaos/plugin-openai'],
    settings: { secrets: {}, avatar: 'https://example.invalid/avatar.png' },
    secrets: { COSMOS_RPC: 'unused' },
    bio: `${name} has answered Cosmos questions for years.`,
    topics: ['staking', 'IBC'],
    adjectives: ['patient'],
    messageExamples: [
      [
        { name: '{{name1}}', content: { text: question } },
        { name, content: { text: reply, actions: ['REPLY'] } },
      ],
    ],
    postExamples: ['Stake with more than one validator.'],
    style: { all: ['clear'], chat: ['step by step'], post: ['short'] },
    knowledge: ['IBC moves tokens between chains.'],
  };
}

export const COSMOS_REPLY = 'Open Keplr, pick a validator with a fair commission, and delegate.';
export const TRUMP_REPLY = 'NOBODY knows it better than me. NOBODY!';
export const ANAKIN_REPLY = 'I have brought peace to my new empire.';

/**
 * A folder as people fill it from ElizaOS repositories: `<name>.character.json`, a camelCase
 * name, an extension-less file, and files that are not characters (ignored).
 */
export function writeElizaFolder(dir = mkdtempSync(join(tmpdir(), 'carrier-eliza-'))): string {
  const json = (value: unknown) => `${JSON.stringify(value, null, 4)}\n`;
  writeFileSync(join(dir, 'trump.character.json'), json(legacyCharacter('trump', TRUMP_REPLY)));
  writeFileSync(
    join(dir, 'cosmosHelper.character.json'),
    json(currentCharacter('CosmosHelper', COSMOS_REPLY)),
  );
  writeFileSync(
    join(dir, 'Anakin Skywalker'),
    json(legacyCharacter('Anakin', ANAKIN_REPLY, 'Tell me about your empire.')),
  );
  writeFileSync(join(dir, 'README.md'), '# Characters\n');
  writeFileSync(join(dir, 'notes'), 'not a character, just notes\n');
  writeFileSync(join(dir, '.DS_Store'), '\u0000\u0000\u0000\u0001Bud1');
  mkdirSync(join(dir, 'knowledge'));
  return dir;
}
