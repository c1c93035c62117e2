import { describe, expect, it } from 'vitest';
import { register as registerCharacters } from '../../bin/commands/characters.ts';
import { register as registerChat } from '../../bin/commands/chat.ts';
import { runCommand, useMigratedDataDir, withStdin } from './in-process.ts';
import { runCli } from './run-cli.ts';

useMigratedDataDir('carrier-chat-');
const chat = (...args: string[]) => runCommand('chat', registerChat, 'chat', ...args);
const characters = (...args: string[]) => runCommand('characters', registerCharacters, 'characters', ...args);

describe('carrier chat', () => {
  // A real process: its exit code, and nothing but the reply on stdout.
  it('answers one message in character with no keys, the reply alone on stdout', async () => {
    const result = await runCli(['chat', 'ada', '--message', 'hello']);
    expect(result).toMatchObject({ code: 0, stdout: '(offline) Hi. What do you need?\n' });
    expect(result.stderr).toContain('ada uses openai but OPENAI_API_KEY is not set');
  });

  it('runs as a REPL when no message is given, leaving on end of input', async () => {
    const result = await withStdin('hello\n', () => chat('ada', '--conversation', 'repl'));
    expect(result.exitCode).toBeUndefined();
    expect(result.stdout).toContain('Talking to Ada (ada)');
    expect(result.stdout).toContain('ada> (offline) Hi. What do you need?');
  });

  it('refuses a message longer than a turn carries in one line naming the flag, before anything starts', async () => {
    const long = await chat('ada', '--message', 'x'.repeat(16_001));
    expect(long).toMatchObject({ exitCode: 1, stdout: '' });
    expect(long.stderr).toBe('carrier: --message: 16001 characters, at most 16000; send it in parts\n');
    const user = await chat('ada', '--message', 'hi', '--user', 'u'.repeat(201));
    expect(user.stderr).toBe('carrier: --user: expected 1 to 200 characters, got 201\n');
  });

  it('names the known characters in one line when the id is unknown', async () => {
    const result = await chat('nobody', '--message', 'hi');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      'carrier: unknown character "nobody"; known characters in characters/: ada, juniper, orbit',
    );
  });
});

describe('carrier characters validate', () => {
  it('exits 0 for the shipped characters and the ElizaOS fixtures', async () => {
    const result = await characters('validate', 'characters', 'test/fixtures/characters');
    expect(result).toMatchObject({ exitCode: undefined, stdout: '' });
  });

  it('prints one line per problem and exits 1', async () => {
    const result = await characters('validate', 'test/fixtures/invalid-characters');
    expect(result.exitCode).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      'test/fixtures/invalid-characters/bad-types.json: bio: does not match any accepted shape',
      'test/fixtures/invalid-characters/bad-types.json: style.chat[1]: expected string, got boolean',
      'test/fixtures/invalid-characters/bad-types.json: temperature: expected number, got string',
      'test/fixtures/invalid-characters/no-name.json: name: expected string, got nothing',
    ]);
  });
});
