import { describe, expect, it } from 'vitest';
import { useMigratedPglite } from '#test/support/pglite.ts';

// Postgres plans a SQL-language function's body on every call unless it can inline it; a
// PL/pgSQL function keeps its plans (0072_plpgsql_plans.sql). Our set-returning functions
// are therefore PL/pgSQL, and only inlinable scalar helpers are SQL.
describe('stored functions', () => {
  const store = useMigratedPglite();

  const ours = `
    from pg_proc p join pg_language l on l.oid = p.prolang
    where p.pronamespace = 'public'::regnamespace
      and not exists (
        select 1 from pg_depend d
        where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
      )`;

  it('returns sets only from PL/pgSQL, whose plans are kept between calls', async () => {
    const sql = await store().query<{ name: string }>(
      `select p.proname as name ${ours} and p.proretset and l.lanname = 'sql' order by 1`,
    );
    expect(sql.map((r) => r.name)).toEqual([]);
    const [count] = await store().query<{ n: number }>(
      `select count(*)::int as n ${ours} and p.proretset and l.lanname = 'plpgsql'`,
    );
    expect(count?.n).toBeGreaterThan(50);
  });

  it('keeps each converted function as stable or volatile as it was written', async () => {
    const rows = await store().query<{ name: string; volatility: string }>(
      `select p.proname as name, p.provolatile as volatility ${ours}
       and p.proname in ('memory_recall', 'memory_recent', 'turn_get', 'turn_finish', 'memory_insert')
       order by 1`,
    );
    expect(rows).toEqual([
      { name: 'memory_insert', volatility: 'v' },
      { name: 'memory_recall', volatility: 's' },
      { name: 'memory_recent', volatility: 's' },
      { name: 'turn_finish', volatility: 'v' },
      { name: 'turn_get', volatility: 's' },
    ]);
  });

  it('answers through a converted function as before, parameter names and all', async () => {
    await store().query(`select * from memory_insert($1::jsonb)`, [
      JSON.stringify([
        {
          agent_id: 'ada',
          user_id: 'u1',
          room_id: 'r1',
          type: 'message',
          content: { text: 'I like tea', role: 'user' },
        },
      ]),
    ]);
    const rows = await store().query<{ section: string; text: string }>(
      `select section, text from memory_recall(p_agent_id => 'ada', p_user_id => 'u1', p_room_id => 'r1', p_query => 'tea')`,
    );
    expect(rows).toContainEqual(expect.objectContaining({ section: 'recent', text: 'I like tea' }));
  });
});
