import { describe, expect, it } from 'vitest';
import { register as registerMemory } from '../../bin/commands/memory.ts';
import { runCommand } from './in-process.ts';
import { runCli } from './run-cli.ts';

describe('carrier memory import', () => {
  // A real process, as the deploy step runs it.
  it(
    'imports every character with --all, the deploy step, one line each, then the vector index',
    { timeout: 90_000 },
    async () => {
      const result = await runCli(['memory', 'import', '--all']);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.trim().split('\n')).toEqual([
        'ada: no knowledge',
        'juniper: no knowledge',
        'orbit: no knowledge',
        'no vector index yet: it is built once 2000 memories have a vector; until then search is exact',
      ]);
    },
  );

  it('asks for one character or --all, before opening any store', async () => {
    const result = await runCommand('memory', registerMemory, 'memory', 'import');
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe(
      'carrier: name one character (`carrier memory import ada`) or pass --all for every one in characters/',
    );
  });
});
