import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { runCli } from '#test/cli/run-cli.ts';

export interface PostgresPeer {
  /** `postgres://…@127.0.0.1:<port>/postgres`: the DATABASE_URL the secret holds. */
  url: string;
  /** The same database in process, to look at what the functions wrote. */
  db: PgliteStore;
  /** `npx carrier …` against this database, as an operator runs it. */
  cli(args: string[]): Promise<string>;
  close(): Promise<void>;
}

/**
 * Postgres over the wire (PGlite with pgvector behind pglite-socket, on loopback), migrated the
 * way the README's deploy guide says: `DATABASE_URL=… npx carrier memory init`. Each function
 * holds one connection (LAMBDA_POOL_SIZE), so a few are allowed at once.
 *
 * @example
 * const pg = await startPostgres();
 * await pg.cli(['keys', 'create', '-n', 'ci']);
 */
export async function startPostgres(maxConnections = 8): Promise<PostgresPeer> {
  const db = await PgliteStore.open();
  const server = new PGLiteSocketServer({
    db: cycleExclusive(db.db),
    host: '127.0.0.1',
    port: 0,
    maxConnections,
  });
  await server.start();
  const url = `postgres://postgres:postgres@${server.getServerConn()}/postgres`;
  const cli = async (args: string[]) => {
    const { code, stdout, stderr } = await runCli(args, { DATABASE_URL: url });
    if (code !== 0) throw new Error(`carrier ${args.join(' ')} exited ${code}: ${stderr || stdout}`);
    return stdout;
  };
  await cli(['memory', 'init']);
  return {
    url,
    db,
    cli,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

/** Protocol messages that end a query cycle: Sync, simple Query, Terminate; 0 starts a startup message. */
const CYCLE_ENDS = new Set([0x53, 0x51, 0x58, 0x00]);

/**
 * pglite-socket runs each protocol message of every connection on PGlite's one session in
 * arrival order, keeping a connection exclusive only inside a transaction; two functions'
 * extended queries (Parse, Bind, Execute, Sync) then interleave, and one binds the other's
 * unnamed statement ("bind message supplies 1 parameters, but prepared statement requires 5").
 * Reporting a connection with an open query cycle as "in a transaction" makes the socket server
 * keep it exclusive until its Sync, as separate Postgres sessions would be.
 */
function cycleExclusive(db: PGlite): PGlite {
  let open = false;
  return new Proxy(db, {
    get(target, key) {
      if (key === 'isInTransaction') return () => open || target.isInTransaction();
      if (key === 'execProtocolRawStream') {
        return (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          open = !CYCLE_ENDS.has(message[0] ?? 0);
          return target.execProtocolRawStream(message, options);
        };
      }
      if (key === 'exec') {
        // The socket server rolls back after a client left mid-transaction: that cycle is over.
        return (query: string) => ((open = false), target.exec(query));
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
