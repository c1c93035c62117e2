import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { migrate, readMigrations } from '#core/adapters/store/migrate.ts';
import { freshPgliteDump } from '#test/support/pglite.ts';

// Supabase's roles and the grants it gives them on schema public before any migration runs.
const SUPABASE_ROLES = `
  create role anon nologin;
  create role authenticated nologin;
  create role service_role nologin bypassrls;
  grant usage on schema public to anon, authenticated, service_role;
  alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
  alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
  alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
`;

let db: PgliteStore;
beforeAll(async () => {
  db = await PgliteStore.open(undefined, { loadDataDir: await freshPgliteDump() });
  await db.exec(SUPABASE_ROLES);
  await migrate(db);
  await db.exec(
    `insert into api_keys (id, name, hash, scopes, tenant) values ('ck_seed', 'seed', 'h', '{*}', 'seed');
     insert into memories (agent_id, type, content, content_sha256) values ('ada', 'knowledge', '{"text": "a secret"}', 'x');`,
  );
}, 60_000);
afterAll(async () => {
  await db?.close();
});

/** Runs `sql` as `role` in a transaction that is rolled back, and returns its error message. */
async function asRole(role: string, sql: string): Promise<string | undefined> {
  try {
    await db.exec(`begin; set local role ${role}; ${sql}; rollback;`);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const tables = async () =>
  await db.query<{ name: string; rls: boolean }>(
    `select c.relname as name, c.relrowsecurity as rls from pg_class c
       join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'`,
  );

describe('store access on Supabase', () => {
  it('switches row-level security on for every table', async () => {
    const all = await tables();
    expect(all.map((t) => t.name)).toEqual(
      expect.arrayContaining(['memories', 'turns', 'api_keys', 'posts']),
    );
    expect(all.filter((t) => !t.rls)).toEqual([]);
  });

  it.each(['anon', 'authenticated'])('lets %s call none of the functions', async (role) => {
    expect(await asRole(role, `select * from api_key_create('ck_evil', 'evil', 'h', '{*}')`)).toMatch(
      /permission denied for function api_key_create/,
    );
    expect(await asRole(role, `select * from memory_stats(null)`)).toMatch(/permission denied/);
    expect(await db.query(`select id from api_keys where id = 'ck_evil'`)).toEqual([]);
  });

  it.each(['anon', 'authenticated'])('lets %s read no table', async (role) => {
    for (const { name } of await tables()) {
      expect(await asRole(role, `select * from ${name}`)).toMatch(/permission denied for table/);
    }
  });

  it('leaves service_role every function and every row', async () => {
    expect(await asRole('service_role', `select * from api_key_list()`)).toBeUndefined();
    await db.exec(`set role service_role`);
    try {
      expect(await db.query(`select id from api_keys`)).toEqual([{ id: 'ck_seed' }]);
      expect(await db.query(`select content ->> 'text' as text from memories`)).toEqual([
        { text: 'a secret' },
      ]);
    } finally {
      await db.exec(`reset role`);
    }
  });

  it('closes tables and functions that later migrations add', async () => {
    await migrate(db, [
      ...(await readMigrations()),
      {
        version: '9999_later',
        sql: `create table later_things (id int primary key);
              create function later_count() returns setof bigint language sql as $$ select count(*) from later_things $$;`,
      },
    ]);
    expect((await tables()).find((t) => t.name === 'later_things')).toEqual({
      name: 'later_things',
      rls: true,
    });
    expect(await asRole('anon', `select * from later_things`)).toMatch(/permission denied/);
    expect(await asRole('anon', `select * from later_count()`)).toMatch(/permission denied/);
    expect(await asRole('service_role', `select * from later_count()`)).toBeUndefined();
  });
});

describe('store access without Supabase roles', () => {
  it('migrates a store that has no anon, authenticated or service_role', async () => {
    const plain = await PgliteStore.open(undefined, { loadDataDir: await freshPgliteDump() });
    try {
      await migrate(plain);
      expect(await plain.rpc('api_key_list', {})).toEqual([]);
    } finally {
      await plain.close();
    }
  }, 60_000);
});
