import { describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { Character } from '#core/characters/schema.ts';
import { importKnowledge } from '#core/local/knowledge-import.ts';
import type { Log } from '#core/ports/log.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import { axisVector } from '#test/memory/support/vectors.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';

const store = useMigratedPglite();
const load = async (id: string) => ({ id, name: id, knowledge: ['Tides follow the moon.'] }) as Character;

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

describe('the knowledge import at `npm start`', () => {
  it('builds the agent-wide vector index once 2,000 memories carry a vector, and not again', async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => ({
      agentId: 'ada',
      userId: `user${i % 20}`,
      type: 'message' as const,
      text: `message ${i}`,
      embedding: axisVector(i % 64, (i + 1) % 64, 0.3),
    }));
    const repo = new SqlMemoryRepository(store());
    for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500));

    const log = recordingLog();
    const results = await importKnowledge(['ada'], store(), { load, log });
    expect(results).toMatchObject([{ id: 'ada', inserted: 1 }]);
    expect(log.lines).toContainEqual('info vector index built over 2000 memories (45 lists)');
    const again = recordingLog();
    await importKnowledge(['ada'], store(), { load, log: again });
    expect(again.lines.filter((l) => l.includes('vector index'))).toEqual([]);
  }, 60_000);

  it('logs a failed index build and still reports the import: search stays exact', async () => {
    const failing: SqlStore = {
      rpc: (fn, args) =>
        fn === 'memory_vector_index_refresh'
          ? Promise.reject(new Error('connection reset'))
          : store().rpc(fn, args),
      close: async () => {},
    };
    const log = recordingLog();
    const results = await importKnowledge(['kit'], failing, { load, log });
    expect(results).toMatchObject([{ id: 'kit', inserted: 1 }]);
    expect(log.lines).toContainEqual('error vector index not built; `carrier memory reindex` tries again');
  });
});
