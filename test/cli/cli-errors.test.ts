import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { userMistake } from '../../bin/cli-errors.ts';
import { register as registerDev } from '../../bin/commands/dev.ts';
import { runCommand } from './in-process.ts';
import { runCli } from './run-cli.ts';

describe('CLI errors for user mistakes', () => {
  it('rejects a port that is not a number in one line, before starting anything', async () => {
    const result = await runCommand('dev', registerDev, 'dev', '--port', 'abc');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      'carrier: --port abc: expected a port number from 1 to 65535, e.g. --port 3000\n',
    );
  });

  // A real process: a failed listen must end it with exit code 1 and the one line.
  it('says which port is in use and how to pick another, without a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as AddressInfo;
    try {
      const result = await runCli(['dev', '--port', String(port)], { CARRIER_MODEL: 'offline' });
      expect(result.stderr).toBe(`carrier: port ${port} is in use; pass --port or set PORT\n`);
      expect(result.code).toBe(1);
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('leaves other errors to their stack trace', () => {
    expect(userMistake(new TypeError('x is undefined'))).toBeUndefined();
  });
});
