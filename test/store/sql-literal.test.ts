import { describe, expect, it } from 'vitest';
import { literalRpcCall } from '#core/adapters/store/sql-literal.ts';
import { SqlVector } from '#core/ports/sql-vector.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';

describe('SQL function calls written with literal arguments (PGlite)', () => {
  it('quotes every argument as an untyped literal, doubling quotes, and leaves out undefined', () => {
    expect(
      literalRpcCall('f', {
        p_text: "o'neil",
        p_n: 60,
        p_big: 12n,
        p_ok: true,
        p_at: new Date('2030-01-02T03:04:05.000Z'),
        p_none: null,
        p_skipped: undefined,
        p_json: { a: "it's", b: [1, 2n] },
        p_list: [{ seq: 1 }],
      }),
    ).toBe(
      `select * from f(p_text => 'o''neil', p_n => '60', p_big => '12', p_ok => 't', ` +
        `p_at => '2030-01-02T03:04:05.000Z', p_none => null, p_json => '{"a":"it''s","b":[1,"2"]}', ` +
        `p_list => '[{"seq":1}]')`,
    );
  });

  it('gives up on what only a typed parameter can carry: lists of values, bytes, vectors, NUL', () => {
    for (const value of [['a', 'b'], [], new Uint8Array([1]), new SqlVector([0.5]), 'a\u0000b'])
      expect(literalRpcCall('f', { p: value })).toBeUndefined();
  });

  it('writes text with a backslash as an escape string, so its meaning holds whatever the session set', () => {
    expect(literalRpcCall('f', { p: "a\\' b" })).toBe(`select * from f(p => E'a\\\\'' b')`);
  });

  const store = useMigratedPglite();

  it('stores what it was given, quotes, backslashes and SQL in text included', async () => {
    const text = "x'); delete from turns; -- \\' $1 $$";
    await store().rpc('turn_claim', {
      p_id: text,
      p_agent_id: 'ada',
      p_user_id: "o'neil",
      p_conversation: 'c\\n',
      p_source: 'api',
      p_lease_seconds: 60,
    });
    const [row] = await store().rpc<{ id: string; user_id: string; conversation: string; attempts: number }>(
      'turn_get',
      { p_id: text },
    );
    expect(row).toMatchObject({ id: text, user_id: "o'neil", conversation: 'c\\n', attempts: 1 });
    // With standard_conforming_strings off a backslash escapes in plain literals; not in ours.
    await store().exec('set standard_conforming_strings = off');
    try {
      const [again] = await store().rpc<{ id: string }>('turn_get', { p_id: text });
      expect(again?.id).toBe(text);
    } finally {
      await store().exec('set standard_conforming_strings = on');
    }
  });
});
