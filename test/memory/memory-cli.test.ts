import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerMemory } from '../../bin/commands/memory.ts';
import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { SqlVector } from '#core/ports/sql-vector.ts';
import { axisVector } from '#test/memory/support/vectors.ts';
import { runCommand, withStdin } from '#test/cli/in-process.ts';
import { seedFreshDataDir } from '#test/support/pglite.ts';

let dataDir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'carrier-memory-cli-'));
  // Past initdb, before any migration: `memory init` applies them all.
  await seedFreshDataDir(dataDir);
  for (const key of ['DATABASE_URL', 'SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY', 'OPENAI_API_KEY'])
    delete process.env[key];
  process.env.CARRIER_DATA_DIR = dataDir;
});
afterAll(async () => {
  process.env = saved;
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `carrier memory ...` in this process; returns what it printed and the exit code. */
async function carrier(args: string[], stdin = '') {
  const result = await withStdin(stdin, () => runCommand('memory', registerMemory, 'memory', ...args));
  return { ...result, code: result.exitCode ?? 0 };
}

const lines = [
  { type: 'fact', text: 'Sam likes teal', userId: 'u1' },
  {
    type: 'message',
    text: 'my boat is called Heron',
    userId: 'u1',
    roomId: 'c1',
    createdAt: '2025-01-01T00:00:00Z',
  },
  {
    type: 'message',
    text: 'my boat is called Swift',
    userId: 'u2',
    roomId: 'c1',
    metadata: { via: 'import' },
  },
  { type: 'knowledge', text: 'Boats float.' },
]
  .map((l) => JSON.stringify(l))
  .join('\n');

describe('carrier memory', () => {
  it('initialises the store and says when it is up to date', async () => {
    expect((await carrier(['init'])).stdout).toMatch(/^applied 0001_memories, .* to pglite at /);
    expect((await carrier(['init'])).stdout).toMatch(/is up to date \(\d+ migrations\)\n$/);
  }, 60_000);

  it('adds JSON Lines from stdin once, however often it is run', async () => {
    expect((await carrier(['add', 'ada', '--jsonl'], lines)).stdout).toBe(
      'ada: stored 4 memories (0 were there already)\n',
    );
    expect((await carrier(['add', 'ada', '--jsonl'], lines)).stdout).toBe(
      'ada: stored 0 memories (4 were there already)\n',
    );
  }, 60_000);

  it('rejects bad lines together and stores none of them', async () => {
    const result = await carrier(
      ['add', 'ada', '--jsonl'],
      '{"type":"fact","text":"ok"}\n{"type":"diary","text":"x"}\n{',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'carrier: nothing was stored:\nstdin line 2: type: Invalid option: expected one of "message"|"fact"|"description"|"lore"|"document"|"knowledge"\nstdin line 3: not JSON\n',
    );
  }, 60_000);

  it('searches as JSON with ids, metadata and score parts, one user or all', async () => {
    const all = JSON.parse((await carrier(['search', 'ada', 'boat name', '--json'])).stdout) as Array<{
      text: string;
      id: string;
      metadata: object;
      why: object;
    }>;
    expect(all.map((h) => h.text).sort()).toEqual([
      'Boats float.',
      'my boat is called Heron',
      'my boat is called Swift',
    ]);
    expect(all.find((h) => h.text.endsWith('Swift'))).toMatchObject({
      id: expect.any(String),
      metadata: { via: 'import' },
      why: { fullText: expect.any(Number), fullTextRank: expect.any(Number) },
    });
    const mine = JSON.parse(
      (await carrier(['search', 'ada', 'boat', '--user', 'u1', '--json'])).stdout,
    ) as Array<{
      text: string;
    }>;
    expect(mine.map((h) => h.text).sort()).toEqual(['Boats float.', 'my boat is called Heron']);
  }, 60_000);

  it('forgets one user and says how much went', async () => {
    expect((await carrier(['forget', 'ada', '--user', 'u1'])).stdout).toBe(
      'ada: forgot u1: 2 memories, 0 cached embeddings, 0 turn records\n',
    );
    const left = await carrier(['list', 'ada', '--json']);
    const users = (JSON.parse(left.stdout) as Array<{ userId: string | null }>).map(
      (m) => m.userId ?? 'shared',
    );
    expect(users.sort()).toEqual(['shared', 'u2']);
  }, 60_000);

  it('prints counts per type with the store it used', async () => {
    const { stdout } = await carrier(['stats', 'ada']);
    expect(stdout).toContain(`store: pglite at ${join(dataDir, 'pglite')}`);
    expect(stdout).toMatch(/ada\s+knowledge\s+1\s+0\s+0\s+0/);
    expect(stdout).toContain('total: 2');
  }, 60_000);

  it('builds the agent-wide vector index on reindex, when asked or when the memories have grown', async () => {
    expect((await carrier(['reindex'])).stdout).toBe(
      'no vector index yet: it is built once 2000 memories have a vector; until then search is exact\n',
    );
    expect((await carrier(['reindex', '--force'])).stdout).toContain(
      'no memory has a vector yet, so there is nothing to index',
    );
    const store = await PgliteStore.open(join(dataDir, 'pglite'));
    try {
      await store.query(`update memories set embedding = $1`, [new SqlVector(axisVector(3))]);
    } finally {
      await store.close();
    }
    expect((await carrier(['reindex'])).stdout).toContain('no vector index yet');
    expect((await carrier(['reindex', '--force'])).stdout).toBe(
      'vector index built over 2 memories (10 lists)\n',
    );
    expect((await carrier(['reindex'])).stdout).toBe(
      'vector index up to date: built over 2 memories (10 lists)\n',
    );
  }, 60_000);
});
