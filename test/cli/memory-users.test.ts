import { beforeAll, describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { openStore } from '#core/adapters/store/open.ts';
import type { NewMemory } from '#core/ports/memory-records.ts';
import { register as registerMemory } from '../../bin/commands/memory.ts';
import { runCommand, useMigratedDataDir } from './in-process.ts';

const dataDir = useMigratedDataDir('carrier-memory-users-');

/** `carrier memory ...` in this process, with the exit code a process would give. */
async function memory(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { stdout, stderr, exitCode } = await runCommand('memory', registerMemory, 'memory', ...args);
  return { code: exitCode ?? 0, stdout, stderr };
}

/** What a refused command gives: exit 1, one line on stderr, nothing on stdout. */
const refused = (line: string) => ({ code: 1, stdout: '', stderr: `${line}\n` });

/** `kim` is stored under two tenants and as a signed-in user, never bare. */
const KIM =
  'carrier: no user "kim" for ada; did you mean one of api:35e9fedca937:kim (API key tenant 35e9fedca937), api:acme:kim (API key tenant acme), api:acme:oidc:cognito:kim (signed-in user of tenant acme, issuer cognito)? pass one with --user';

const fact = (agentId: string, userId: string, text: string): NewMemory => ({
  agentId,
  userId,
  type: 'fact',
  text,
});

beforeAll(async () => {
  // Users as each way in stores them: the API's `sam` under its key's tenant, a signed-in user
  // under tenant and issuer, `carrier chat`'s bare; and a character no longer in characters/.
  const store = await openStore({ CARRIER_DATA_DIR: dataDir() });
  try {
    await new SqlMemoryRepository(store).insert([
      fact('ada', 'api:35e9fedca937:sam', 'Sam keeps bees'),
      fact('ada', 'api:35e9fedca937:kim', 'Kim rows'),
      fact('ada', 'api:acme:kim', 'Kim sails'),
      fact('ada', 'api:acme:oidc:cognito:kim', 'Kim climbs'),
      fact('juniper', 'lee', 'Lee throws pots'),
      fact('juniper', 'api:acme:lee', 'Lee glazes'),
      fact('retired', 'api:acme:max', 'Max paints'),
    ]);
  } finally {
    await store.close();
  }
});

describe('carrier memory --user, given the id an API caller sent', () => {
  it('refuses to forget a bare id stored only under an API tenant, naming the stored id, and keeps its memories', async () => {
    expect(await memory('forget', 'ada', '--user', 'sam')).toEqual(
      refused(
        'carrier: no user "sam" for ada; did you mean api:35e9fedca937:sam (API key tenant 35e9fedca937)? pass it with --user',
      ),
    );
    const kept = await memory('list', 'ada', '--user', 'api:35e9fedca937:sam');
    expect(kept.stdout).toContain('Sam keeps bees');
  });

  it('forgets the stored id, and says plainly that nothing was stored when run again (exit 0)', async () => {
    expect(await memory('forget', 'ada', '--user', 'api:35e9fedca937:sam')).toEqual({
      code: 0,
      stdout: 'ada: forgot api:35e9fedca937:sam: 1 memories, 0 cached embeddings, 0 turn records\n',
      stderr: '',
    });
    expect(await memory('forget', 'ada', '--user', 'api:35e9fedca937:sam')).toEqual({
      code: 0,
      stdout: 'ada: nothing was stored for api:35e9fedca937:sam; nothing to forget\n',
      stderr: '',
    });
  });

  it('says nothing was stored for a user no id ends in, rather than forgetting 0 of everything', async () => {
    expect(await memory('forget', 'ada', '--user', 'ghost')).toEqual({
      code: 0,
      stdout: 'ada: nothing was stored for ghost; nothing to forget\n',
      stderr: '',
    });
  });

  it('names every matching id, tenant and signed-in user alike, when a bare id could be several', async () => {
    expect(await memory('forget', 'ada', '--user', 'kim')).toEqual(refused(KIM));
  });

  it('forgets a bare id that is stored itself, and notes the API id that ends in it', async () => {
    expect(await memory('forget', 'juniper', '--user', 'lee')).toEqual({
      code: 0,
      stdout: 'juniper: forgot lee: 1 memories, 0 cached embeddings, 0 turn records\n',
      stderr:
        'note: juniper also holds api:acme:lee (API key tenant acme); forget those with --user too if they are the same person\n',
    });
  });

  it('lists and searches only a user as stored, naming the stored ids for a bare one', async () => {
    expect(await memory('list', 'ada', '--user', 'kim')).toEqual(refused(KIM));
    expect(await memory('search', 'ada', 'rows', '--user', 'kim')).toEqual(refused(KIM));
    expect((await memory('list', 'ada', '--user', 'api:acme:kim')).stdout).toContain('Kim sails');
  });

  it('says there is no such user when listing or searching one nothing is stored for', async () => {
    const ghost =
      'carrier: no user "ghost" for ada: nothing is stored for them; `carrier memory list ada` shows whose memories it holds';
    expect(await memory('list', 'ada', '--user', 'ghost')).toEqual(refused(ghost));
    expect(await memory('search', 'ada', 'bees', '--user', 'ghost')).toEqual(refused(ghost));
  });
});

describe('carrier memory with a character', () => {
  const unknown = 'carrier: unknown character "nobody"; known characters in characters/: ada, juniper, orbit';

  it.each([
    ['forget', ['forget', 'nobody', '--user', 'x']],
    ['list', ['list', 'nobody']],
    ['search', ['search', 'nobody', 'bees']],
    ['add', ['add', 'nobody', '--text', 'a fact', '--user', 'x']],
    ['stats', ['stats', 'nobody']],
  ])('refuses an unknown one in %s as `carrier chat` does', async (_, args) => {
    expect(await memory(...args)).toEqual(refused(unknown));
  });

  it('still reaches one whose file is gone while the store holds its memories, to forget a user', async () => {
    expect((await memory('list', 'retired')).stdout).toContain('Max paints');
    expect((await memory('forget', 'retired', '--user', 'api:acme:max')).stdout).toBe(
      'retired: forgot api:acme:max: 1 memories, 0 cached embeddings, 0 turn records\n',
    );
  });
});
