import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PgliteStore } from '#core/adapters/pglite-store.ts';
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
  const server = new PGLiteSocketServer({ db: db.db, host: '127.0.0.1', port: 0, maxConnections });
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
