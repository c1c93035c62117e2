import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCharacter, readCharacterFile, validateCharacters } from '#core/characters/load.ts';
import { loadMcpConfig } from '#core/mcp/config.ts';

const fixtures = 'test/fixtures/characters';

async function writeCharacter(name: string, body: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'carrier-chars-'));
  const file = join(dir, name);
  await writeFile(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
}

describe('character files', () => {
  it('validates every shipped example character against the MCP config', async () => {
    const mcp = await loadMcpConfig();
    expect(await validateCharacters(['characters'], mcp)).toEqual([]);
  });

  it('loads an ElizaOS legacy (v0) character unchanged, keeping unknown fields', async () => {
    const character = await readCharacterFile(join(fixtures, 'eliza-legacy.json'));
    expect(character.id).toBe('eliza-legacy');
    expect(character.clients).toEqual(['discord']);
    expect(character.messageExamples?.[0]?.[0]?.user).toBe('{{user1}}');
    expect((character as Record<string, unknown>).templates).toBeDefined();
  });

  it('loads an ElizaOS current character with name-based examples and top-level secrets', async () => {
    const character = await readCharacterFile(join(fixtures, 'eliza-current.json'));
    expect(character.messageExamples?.[0]?.[1]?.name).toBe('Sage');
    expect(character.secrets).toMatchObject({ SOME_KEY: 'value' });
    expect(character.postExamples?.length).toBeGreaterThan(0);
  });

  it('names the file and exact field path of a wrong type', async () => {
    const file = await writeCharacter('broken.json', {
      name: 'Broken',
      messageExamples: [[{ user: 'a', content: { text: 'ok' } }], [], [{ user: 'b', content: { text: 3 } }]],
    });
    expect(await validateCharacters([file])).toEqual([
      { file, path: 'messageExamples[2][0].content.text', message: 'expected string, got number' },
    ]);
  });

  it('reports bad JSON as one problem naming the file', async () => {
    const file = await writeCharacter('bad.json', '{ "name": ');
    const [problem, ...rest] = await validateCharacters([file]);
    expect(rest).toEqual([]);
    expect(problem?.file).toBe(file);
    expect(problem?.message).toMatch(/^not valid JSON/);
  });

  it('rejects a character naming an unknown MCP server, listing the known ones', async () => {
    const file = await writeCharacter('tooly.json', { name: 'Tooly', mcp_servers: ['nope'] });
    const problems = await validateCharacters([file], await loadMcpConfig());
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('mcp_servers[0]');
    expect(problems[0]?.message).toMatch(/unknown MCP server "nope".*known: everything/);
  });

  it('names the known characters when asked for an unknown one', async () => {
    await expect(loadCharacter('nobody')).rejects.toThrow(/unknown character "nobody".*ada, juniper, orbit/);
  });
});
