import postgres from 'postgres';
import { rpcCall, type MigratableStore } from '../../ports/sql.ts';
import { vectorArgsAsText } from '../../ports/sql-vector.ts';
import { StoreError } from '../../ports/sql-errors.ts';

export interface PostgresStoreOptions {
  /** Connections in the pool. Default 5; openStore gives a Lambda 1 (see LAMBDA_POOL_SIZE). */
  max?: number;
  /** Seconds to wait for a connection before giving up. Default 10. */
  connectTimeout?: number;
}

/**
 * Any Postgres with pgvector, reached by a connection string (DATABASE_URL). Statements are
 * never prepared, so it is safe behind Supabase's transaction pooler (Supavisor, port 6543),
 * which hands each transaction to a different server connection.
 *
 * @example
 * const store = PostgresStore.open(process.env.DATABASE_URL!);
 * await store.rpc('memory_stats', {});
 */
export class PostgresStore implements MigratableStore {
  private constructor(
    private readonly sql: postgres.Sql,
    private readonly where: string,
    /** Connections the pool may open. */
    readonly max: number,
  ) {}

  static open(url: string, options: PostgresStoreOptions = {}): PostgresStore {
    let where: string;
    try {
      const parsed = new URL(url);
      where = `DATABASE_URL (${parsed.hostname}:${parsed.port || '5432'})`;
    } catch {
      throw new StoreError(
        'DATABASE_URL is not a connection string: expected postgres://user:password@host:5432/database',
        'store_config',
      );
    }
    const max = options.max ?? 5;
    const sql = postgres(url, {
      prepare: false,
      max,
      connect_timeout: options.connectTimeout ?? 10,
      onnotice: () => {},
      // Values as PGlite gives and takes them, so every adapter yields the same rows: int8 as a
      // number; json parsed, and JSON text given for a json parameter taken as is (PGlite does
      // the same), not encoded a second time.
      types: {
        int8: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) },
        json: {
          to: 3802,
          from: [114, 3802],
          serialize: (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x)),
          parse: (s: string) => JSON.parse(s) as unknown,
        },
      },
    });
    return new PostgresStore(sql, where, max);
  }

  async rpc<Row>(fn: string, args?: Record<string, unknown>): Promise<Row[]> {
    const { sql, params } = rpcCall(fn, args);
    return this.query<Row>(sql, params);
  }

  async query<Row>(text: string, params: unknown[] = []): Promise<Row[]> {
    const values = vectorArgsAsText(params) as postgres.ParameterOrJSON<never>[];
    return this.run(() => this.sql.unsafe(text, values));
  }

  /** Runs a script (several statements) as one transaction: all of it or nothing. */
  async exec(script: string): Promise<void> {
    await this.run(() => this.sql.begin((tx) => tx.unsafe(stripTransaction(script))));
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }

  private async run<Row>(call: () => Promise<unknown>): Promise<Row[]> {
    try {
      return [...((await call()) as Row[])];
    } catch (error) {
      throw describePostgresError(error, this.where);
    }
  }
}

// migrate() wraps each migration in begin/commit for stores without transactions of their
// own; sql.begin() already is one, and a nested `begin` would only warn, but `commit` inside
// it would end the transaction early.
function stripTransaction(script: string): string {
  return script.replace(/^\s*begin;\s*/i, '').replace(/;\s*commit;\s*$/i, ';');
}

/** Connection problems become one line naming DATABASE_URL; SQL errors pass through. */
export function describePostgresError(error: unknown, where: string): unknown {
  const e = error as { code?: string; message?: string };
  const fix = {
    ECONNREFUSED: 'nothing is listening there: start Postgres or fix the host and port',
    ENOTFOUND: 'the host name does not resolve: check the host',
    ETIMEDOUT: 'the connection timed out: check the host, port and firewall',
    CONNECT_TIMEOUT: 'the connection timed out: check the host, port and firewall',
    ECONNRESET: 'the server closed the connection: check the port and whether SSL is required',
    '28P01': 'the password was rejected: check the user and password',
    '28000': 'the server refused this user: check the user name and pg_hba rules',
    '3D000': 'the database does not exist: check the database name',
  }[e.code ?? ''];
  if (!fix) return error;
  return new StoreError(
    `cannot use the store at ${where}: ${fix} (${e.message ?? e.code})`,
    'store_unreachable',
    {
      cause: error,
    },
  );
}
