import type { PGlite } from '@electric-sql/pglite';

interface Param {
  name: string;
  type: string;
  hasDefault: boolean;
}

/**
 * A `fetch` for supabase-js that answers PostgREST RPC calls (`POST /rest/v1/rpc/<fn>`) the
 * way PostgREST does, on a PGlite: it picks the function by the names of the JSON body's keys,
 * reads the arguments with `json_to_record` typed by the function's own parameters, and returns
 * the rows as Postgres' `json_agg` writes them. So the requests supabase-js sends and the SQL
 * that runs are both real; only the HTTP hop is skipped.
 *
 * @example
 * SupabaseStore.open('http://127.0.0.1:54321', 'service-key', { fetch: supabaseFetch(db, 'service-key') });
 */
export function supabaseFetch(db: PGlite, serviceRoleKey: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    if (
      headers.get('apikey') !== serviceRoleKey ||
      headers.get('authorization') !== `Bearer ${serviceRoleKey}`
    ) {
      return json(401, {
        message: 'Invalid API key',
        hint: 'Double check your Supabase `anon` or `service_role` API key.',
      });
    }
    const match = /^\/rest\/v1\/rpc\/([a-z_][a-z0-9_]*)$/.exec(url.pathname);
    if (!match || init?.method !== 'POST')
      return json(404, { code: 'PGRST125', message: `Invalid path ${url.pathname}` });
    const fn = match[1]!;
    const body = JSON.parse(typeof init.body === 'string' ? init.body : '{}') as Record<string, unknown>;
    const params = await signature(db, fn, Object.keys(body));
    if (!params) {
      return json(404, {
        code: 'PGRST202',
        message: `Could not find the function public.${fn}(${Object.keys(body).join(', ')}) in the schema cache`,
        details: null,
        hint: null,
      });
    }
    const given = params.filter((p) => p.name in body);
    const record = given.map((p) => `"${p.name}" ${p.type}`).join(', ');
    const call = given.map((p) => `"${p.name}" := _."${p.name}"`).join(', ');
    // `select *` keeps a one-column RETURNS TABLE an object per row, as PostgREST returns it.
    const sql = given.length
      ? `select coalesce(json_agg(r), '[]') as body from json_to_record($1::json) as _(${record}), lateral (select * from ${fn}(${call})) r`
      : `select coalesce(json_agg(r), '[]') as body from (select * from ${fn}()) r`;
    try {
      const rows = await db.query<{ body: unknown }>(sql, given.length ? [JSON.stringify(body)] : []);
      return json(200, rows.rows[0]?.body ?? []);
    } catch (error) {
      const e = error as { code?: string; message?: string; detail?: string; hint?: string };
      const status = e.code?.startsWith('23') ? 409 : e.code === '42501' ? 403 : 400;
      return json(status, {
        code: e.code,
        message: e.message,
        details: e.detail ?? null,
        hint: e.hint ?? null,
      });
    }
  };
}

/** The function's input parameters if `keys` name all its required ones and nothing else. */
async function signature(db: PGlite, fn: string, keys: string[]): Promise<Param[] | undefined> {
  const { rows } = await db.query<{ oid: number; params: Param[] | null }>(
    `select p.oid, (
       select json_agg(json_build_object('name', a.name, 'type', format_type(a.type_oid, null),
         'hasDefault', a.n > p.pronargs - p.pronargdefaults) order by a.n)
       from unnest(p.proargtypes::oid[], p.proargnames[1:p.pronargs]) with ordinality as a (type_oid, name, n)
     ) as params
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = current_schema() and p.proname = $1`,
    [fn],
  );
  for (const row of rows) {
    const params = row.params ?? [];
    const names = new Set(params.map((p) => p.name));
    if (keys.every((k) => names.has(k)) && params.every((p) => p.hasDefault || keys.includes(p.name)))
      return params;
  }
  return undefined;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
