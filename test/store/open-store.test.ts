import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { PostgresStore } from '#core/adapters/store/postgres.ts';
import { openStore } from '#core/adapters/store/open.ts';
import { freshPgliteDump } from '#test/support/pglite.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'carrier-open-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('opens the embedded PGlite under CARRIER_DATA_DIR, migrated when asked, and finds it again', async () => {
    const env = { CARRIER_DATA_DIR: dataDir };
    const first = await openStore(env, { migrate: true });
    expect(first).toBeInstanceOf(PgliteStore);
    try {
      await first.rpc('api_key_create', { p_id: 'k1', p_name: 'ci', p_hash: 'h', p_scopes: ['*'] });
    } finally {
      await first.close();
    }
    const again = await openStore(env);
    try {
      expect((await again.rpc<{ id: string }>('api_key_list', {})).map((k) => k.id)).toEqual(['k1']);
    } finally {
      await again.close();
    }
  }, 60_000);

  it('leaves a Postgres named by DATABASE_URL as it is: deploy or `memory init` migrates it', async () => {
    const bare = await PGlite.create({ loadDataDir: await freshPgliteDump() });
    const server = new PGLiteSocketServer({ db: bare, host: '127.0.0.1', port: 0 });
    await server.start();
    try {
      const store = await openStore(
        { DATABASE_URL: `postgres://postgres:postgres@${server.getServerConn()}/postgres` },
        { migrate: true },
      );
      expect(store).toBeInstanceOf(PostgresStore);
      await store.close();
      expect((await bare.query(`select 1 from pg_tables where schemaname = 'public'`)).rows).toEqual([]);
    } finally {
      await server.stop();
      await bare.close();
    }
  }, 60_000);

  it('opens one Postgres connection per Lambda container and a pool of 5 elsewhere', async () => {
    const url = 'postgres://u:p@127.0.0.1:1/db';
    const lambda = await openStore({ DATABASE_URL: url, AWS_LAMBDA_FUNCTION_NAME: 'carrier-runner' });
    const local = await openStore({ DATABASE_URL: url });
    expect([(lambda as PostgresStore).max, (local as PostgresStore).max]).toEqual([1, 5]);
    await Promise.all([lambda.close(), local.close()]);
  });
});
