// The worker thread behind PgliteThreadStore (pglite-thread.ts): it holds the PGlite and runs
// each statement it is sent, one at a time, as PGlite does anyway. Plain JavaScript that imports
// nothing but PGlite, so it starts the same from the sources, from the CLI's bundle (which copies
// it beside its chunks) and under the test runner.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

/** A tarball handed to PGlite as it is (PGlite only reads it). */
class Tarball extends Blob {
  #bytes;
  constructor(bytes) {
    super([]);
    this.#bytes = bytes;
  }
  async arrayBuffer() {
    return this.#bytes;
  }
}

/** What an error carries across: its message, name and Postgres fields (code, detail, hint, ...). */
function plain(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function') continue;
    if (key === 'queryOptions') continue; // holds the serializers: functions cannot be sent
    fields[key] = value;
  }
  return { ...fields, name: error.name, message: error.message };
}

async function run(db, message) {
  if (message.op === 'exec') {
    try {
      return (await db.exec(message.sql))[0]?.rows ?? [];
    } catch (error) {
      // A script that fails inside `begin` is rolled back, not left open.
      if (db.isInTransaction()) await db.exec('rollback');
      throw error;
    }
  }
  // Parameters of these types arrive as bytes in the type's binary form (pgvector's vectors).
  const asIs = (value) => value;
  const serializers = Object.fromEntries((message.binary ?? []).map((oid) => [oid, asIs]));
  return (await db.query(message.sql, message.params, { serializers })).rows;
}

const { dataDir, tarball, startParams } = workerData;
let db;
try {
  db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(tarball ? { loadDataDir: new Tarball(tarball) } : {}),
    extensions: { vector },
    startParams: [...PGlite.defaultStartParams, ...startParams],
  });
} catch (error) {
  parentPort.postMessage({ started: false, error: plain(error) });
  process.exit(1);
}
parentPort.postMessage({ started: true });

parentPort.on('message', async (message) => {
  if (message.op === 'close') {
    await db.close();
    parentPort.postMessage({ id: message.id, rows: [] });
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, rows: await run(db, message) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: plain(error) });
  }
});
