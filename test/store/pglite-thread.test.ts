import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { PgliteThreadStore } from '#core/adapters/store/pglite-thread.ts';
import { readLockHolder } from '#core/adapters/store/pglite-lock.ts';
import { SqlVector } from '#core/ports/sql-vector.ts';
import { openMigratedPgliteThread, seedMigratedDataDir } from '#test/support/pglite.ts';

describe('PGlite on a worker thread (the local stack store)', () => {
  it('calls SQL functions, binds parameters and vectors, and reports Postgres errors as PGlite does', async () => {
    const store = await openMigratedPgliteThread();
    try {
      // By literal arguments (rpc), and with parameters, including a quote and a NUL-free backslash.
      expect(await store.rpc('turn_get', { p_id: "o'neil\\x" })).toEqual([]);
      expect(await store.query('select $1::int + 1 as n, $2::text as t', [41, 'a\\b'])).toEqual([
        { n: 42, t: 'a\\b' },
      ]);
      // Vectors cross as pgvector's binary form, looked up and sent as PGlite's own store does.
      expect(await store.query('select $1::vector(3)::text as v', [new SqlVector([1, 0.5, -2])])).toEqual([
        { v: '[1,0.5,-2]' },
      ]);
      await expect(store.query('select * from no_such_table')).rejects.toMatchObject({
        code: '42P01',
        message: 'relation "no_such_table" does not exist',
      });
      await expect(store.rpc('turn_claim', { p_id: 'x' })).rejects.toMatchObject({ code: '42883' });
    } finally {
      await store.close();
    }
  });

  it('rolls back a script that fails inside begin, and keeps serving', async () => {
    const store = await openMigratedPgliteThread();
    try {
      await store.exec('create table kept (n int)');
      await expect(
        store.exec('begin; insert into kept values (1); insert into kept values (1/0); commit;'),
      ).rejects.toMatchObject({ code: '22012' });
      await store.exec('insert into kept values (2)');
      expect(await store.query('select n from kept')).toEqual([{ n: 2 }]);
    } finally {
      await store.close();
    }
  });

  it('holds the data folder while open, keeps what it wrote, and refuses calls once closed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'carrier-thread-'));
    await seedMigratedDataDir(dataDir);
    const folder = join(dataDir, 'pglite');
    const store = await PgliteThreadStore.open(folder);
    expect(await readLockHolder(folder)).toEqual({ pid: process.pid });
    await expect(PgliteThreadStore.open(folder)).rejects.toMatchObject({ code: 'store_in_use' });
    await store.exec(
      "insert into api_keys (id, name, hash, scopes, tenant) values ('k1', 'n', 'h', '{}', 't')",
    );
    await store.close();
    expect(await readLockHolder(folder)).toBeUndefined();
    await expect(store.rpc('api_key_list')).rejects.toMatchObject({
      code: 'store_closed',
      message: 'the embedded database is closed',
    });

    const reopened = await PgliteThreadStore.open(folder);
    expect(await reopened.rpc('api_key_list')).toMatchObject([{ id: 'k1' }]);
    await reopened.close();
  }, 60_000);

  it('fails what waits, and what follows, with a clear error when its thread dies', async () => {
    const store = await openMigratedPgliteThread();
    const worker = (store as unknown as { worker: Worker }).worker;
    const waiting = store.query('select pg_sleep(0.5)');
    await worker.terminate();
    const stopped = {
      code: 'store_unavailable',
      message: expect.stringMatching(/^the embedded database stopped: /),
    };
    await expect(waiting).rejects.toMatchObject(stopped);
    await expect(store.rpc('api_key_list')).rejects.toMatchObject(stopped);
    await store.close();
  });
});
