import { describe, expect, it } from 'vitest';
import { useMigratedPglite } from '#test/support/pglite.ts';

// PGlite runs no autovacuum, so a GIN index with fast update kept every new memory in its
// pending list, and the planner scanned the whole table rather than read it
// (0073_memory_text_nearest.sql). The index now takes each memory as it is written.
describe('the full-text index', () => {
  const store = useMigratedPglite();

  it('finds the memories holding a word through the index once thousands are stored', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      agent_id: 'ada',
      user_id: `u${i % 30}`,
      room_id: `r${i % 30}`,
      type: 'message',
      content: { text: `message ${i} about ${i % 100 === 0 ? 'kayaking' : 'the weather'}`, role: 'user' },
    }));
    await store().query(`select count(*) from memory_insert($1::jsonb)`, [JSON.stringify(rows)]);
    await store().exec('analyze memories');
    const plan = await store().query<{ 'QUERY PLAN': string }>(
      `explain select id from memories where agent_id = 'ada' and tsv @@ 'kayak'::tsquery`,
    );
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Bitmap Index Scan on memories_tsv/);
    const found = await store().query<{ text: string }>(
      `select text from memory_search(p_agent_id => 'ada', p_query => 'kayaking', p_all_users => true, p_limit => 50)`,
    );
    expect(found).toHaveLength(30);
    expect(found.every((r) => r.text.endsWith('about kayaking'))).toBe(true);
  });
});
