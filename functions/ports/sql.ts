/**
 * The store port every repository (memories, turns, posts, api keys) is written against.
 * Every operation is a SQL function defined in `functions/store/migrations/`, so an adapter
 * only has to call a function by name: PGlite and Postgres with `select * from fn(a => $1)`,
 * Supabase through PostgREST RPC. SQL functions return tables (RETURNS TABLE or SETOF), so
 * `rpc` always yields rows.
 */
export interface SqlStore {
  /** Calls SQL function `fn` with named arguments (keys are the parameter names) and returns its rows. */
  rpc<Row = Record<string, unknown>>(fn: string, args?: Record<string, unknown>): Promise<Row[]>;
  close(): Promise<void>;
}

/** A store that can run raw SQL: what migrations need. Supabase's RPC transport cannot. */
export interface MigratableStore extends SqlStore {
  exec(sql: string): Promise<void>;
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

/** Builds `select * from fn(a => $1, b => $2)` and its parameter list. */
export function rpcCall(fn: string, args: Record<string, unknown> = {}): { sql: string; params: unknown[] } {
  if (!/^[a-z_][a-z0-9_]*$/.test(fn)) throw new Error(`invalid SQL function name: ${fn}`);
  const names = Object.keys(args).filter((k) => args[k] !== undefined);
  const list = names.map((name, i) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid SQL argument name: ${name}`);
    return `${name} => $${i + 1}`;
  });
  return { sql: `select * from ${fn}(${list.join(', ')})`, params: names.map((n) => args[n]) };
}
