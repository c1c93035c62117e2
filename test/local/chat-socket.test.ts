import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CarrierError } from '#core/errors.ts';
import { askStack } from '#core/local/chat-socket.ts';

describe('askStack', () => {
  it('says the stack is starting or stopping when its socket does not answer, in one line a user can act on', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'carrier-chat-socket-')), 'pglite.sock');
    const asked = askStack(path, { character: 'ada', conversation: 'cli', user: 'sam', text: 'hi' });
    await expect(asked).rejects.toBeInstanceOf(CarrierError);
    await expect(asked).rejects.toThrow(
      `the local stack holds the store but does not answer on ${path} (ENOENT): it is starting or stopping; try again in a moment`,
    );
  });
});
