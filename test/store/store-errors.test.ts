import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePostgresError, PostgresStore } from '#core/adapters/store/postgres.ts';
import { SupabaseStore } from '#core/adapters/store/supabase.ts';
import { StoreError } from '#core/ports/sql-errors.ts';
import { migrate, readMigrations } from '#core/adapters/store/migrate.ts';
import { storeTarget } from '#core/adapters/store/open.ts';
import { supabaseFetch } from '#test/fakes/supabase-fetch.ts';
import { freshPgliteDump } from '#test/support/pglite.ts';

/** A PGlite without pgvector: what a Postgres server without the extension looks like. */
let bare: PGlite;
let server: PGLiteSocketServer;
beforeAll(async () => {
  bare = await PGlite.create({ loadDataDir: await freshPgliteDump() });
  server = new PGLiteSocketServer({ db: bare, host: '127.0.0.1', port: 0 });
  await server.start();
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await bare?.close();
});

const tables = async () =>
  (
    await bare.query<{ name: string }>(
      `select tablename as name from pg_tables where schemaname = 'public' order by 1`,
    )
  ).rows.map((r) => r.name);

describe('store configuration', () => {
  it('chooses Supabase, then DATABASE_URL, then PGlite under CARRIER_DATA_DIR', () => {
    const supabase = { SUPABASE_URL: 'https://x.supabase.co', SUPABASE_SERVICE_ROLE_KEY: 'k' };
    expect(storeTarget({ ...supabase, DATABASE_URL: 'postgres://h/db' }).kind).toBe('supabase');
    expect(storeTarget({ DATABASE_URL: 'postgres://u:secret@h:6543/db' })).toEqual({
      kind: 'postgres',
      where: 'postgres://u:***@h:6543/db',
    });
    expect(storeTarget({ CARRIER_DATA_DIR: '/data' })).toEqual({ kind: 'pglite', where: '/data/pglite' });
    expect(storeTarget({})).toEqual({ kind: 'pglite', where: '.carrier/pglite' });
  });

  it('names the missing half of the Supabase settings', () => {
    expect(() => storeTarget({ SUPABASE_URL: 'https://x.supabase.co' })).toThrow(
      'SUPABASE_SERVICE_ROLE_KEY is not set: Supabase needs both SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (Project Settings → API)',
    );
  });

  it('rejects a DATABASE_URL that is not a connection string', () => {
    expect(() => PostgresStore.open('not a url')).toThrow(
      'DATABASE_URL is not a connection string: expected postgres://user:password@host:5432/database',
    );
  });
});

describe('unusable stores', () => {
  it('says nothing listens at DATABASE_URL', async () => {
    const store = PostgresStore.open('postgres://u:p@127.0.0.1:1/db', { max: 1, connectTimeout: 5 });
    const error = await store.rpc('memory_stats').catch((e: unknown) => e);
    await store.close();
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(
      /^cannot use the store at DATABASE_URL \(127\.0\.0\.1:1\): nothing is listening there: start Postgres or fix the host and port/,
    );
  });

  it('says when the password is wrong', () => {
    const error = describePostgresError(
      { code: '28P01', message: 'password authentication failed' },
      'DATABASE_URL (h:5432)',
    );
    expect((error as Error).message).toBe(
      'cannot use the store at DATABASE_URL (h:5432): the password was rejected: check the user and password (password authentication failed)',
    );
  });

  it('says Supabase rejected the service-role key', async () => {
    const store = SupabaseStore.open('http://127.0.0.1:54321', 'wrong', {
      fetch: supabaseFetch(bare, 'right'),
    });
    await expect(store.rpc('memory_stats', {})).rejects.toThrow(
      'Supabase at http://127.0.0.1:54321 rejected SUPABASE_SERVICE_ROLE_KEY (Invalid API key): copy the service_role key from Project Settings → API',
    );
  });

  it('says Supabase lacks the SQL functions until the migrations are applied', async () => {
    const store = SupabaseStore.open('http://127.0.0.1:54321', 'k', { fetch: supabaseFetch(bare, 'k') });
    await expect(store.rpc('memory_stats', { p_agent_id: 'ada' })).rejects.toThrow(
      "Supabase at http://127.0.0.1:54321 has no SQL function memory_stats with these arguments: apply the migrations with `npx carrier memory init` (DATABASE_URL set to the project's connection string)",
    );
  });

  it('says Supabase cannot be reached', async () => {
    const down: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    const store = SupabaseStore.open('http://127.0.0.1:1', 'k', { fetch: down });
    await expect(store.rpc('memory_stats', {})).rejects.toThrow(
      /^cannot reach Supabase at http:\/\/127\.0\.0\.1:1: .*fetch failed.*; check SUPABASE_URL and the network$/,
    );
  });
});

describe('migrations', () => {
  it('stops at a server without pgvector, says how to fix it, and leaves nothing behind', async () => {
    const postgres = PostgresStore.open(`postgres://postgres:postgres@${server.getServerConn()}/postgres`, {
      max: 1,
    });
    try {
      const error = await migrate(postgres, (await readMigrations()).slice(0, 1)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toMatch(
        /^migration 0001_memories failed and was rolled back \(nothing of it was applied\): .*vector.*: the pgvector extension is not available; install pgvector on this server \(Supabase: Database → Extensions → vector\)$/,
      );
      expect(await tables()).toEqual(['schema_migrations']);
    } finally {
      await postgres.close();
    }
  });

  it('rolls back a migration that fails half-way and keeps the ones before it', async () => {
    const postgres = PostgresStore.open(`postgres://postgres:postgres@${server.getServerConn()}/postgres`, {
      max: 1,
    });
    try {
      const error = await migrate(postgres, [
        { version: '9001_first', sql: 'create table first_table (id int);' },
        { version: '9002_second', sql: 'create table half_table (id int);\nselect * from no_such_table;' },
      ]).catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        'migration 9002_second failed and was rolled back (nothing of it was applied): relation "no_such_table" does not exist',
      );
      expect(await tables()).toEqual(['first_table', 'schema_migrations']);
      expect(await postgres.query('select version from schema_migrations')).toEqual([
        { version: '9001_first' },
      ]);
    } finally {
      await postgres.close();
    }
  });
});
