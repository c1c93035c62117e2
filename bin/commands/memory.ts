import { text as readAll } from 'node:stream/consumers';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { Command } from 'commander';
import { listCharacterIds, loadCharacter } from '#core/characters/load.ts';
import { CarrierError } from '#core/errors.ts';
import { loadSettings } from '#core/wiring/settings.ts';
import { selectEmbedder } from '#core/adapters/embedder/select-embedder.ts';
import { describeImport, importAllKnowledge } from '#core/memory/knowledge-at-start.ts';
import {
  addMemories,
  MEMORY_TYPES,
  parseMemoryInput,
  parseMemoryLines,
  progressBar,
} from '#core/memory/memory-input.ts';
import { migrate, readMigrations } from '#core/adapters/store/migrate.ts';
import { openMigratableStore, storeTarget } from '#core/adapters/store/open.ts';
import { describeVectorIndex, refreshVectorIndex } from '#core/adapters/store/vector-index.ts';
import { checkCharacter } from './known-character.ts';
import { withCharacterStore, withMemoryStore } from './memory-store.ts';
import { describeStoredUsers, matchUser, requireUser } from './user-ids.ts';
import { action } from '../cli-errors.ts';
import { checkId, checkLimit, checkType, describe, parseJson, why } from './memory-args.ts';

/** Beyond this many memories the embedded PGlite gets slow and large: use Postgres or Supabase. */
const PGLITE_COMFORT = 100_000;

interface Filters {
  user?: string;
  room?: string;
  type?: string;
  limit: string;
  json?: boolean;
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** `carrier memory …`: the subcommands of the `memory` command. */
export function register(memory: Command): void {
  memory
    .command('init')
    .description('apply the SQL migrations to the configured store (PGlite, DATABASE_URL)')
    .action(
      action(async () => {
        const { env } = await loadSettings();
        const target = storeTarget(env);
        const store = await openMigratableStore(env);
        try {
          const applied = await migrate(store);
          const total = (await readMigrations()).length;
          out(
            applied.length
              ? `applied ${applied.join(', ')} to ${target.kind} at ${target.where}`
              : `${target.kind} at ${target.where} is up to date (${total} migrations)`,
          );
        } finally {
          await store.close();
        }
      }),
    );

  memory
    .command('add')
    .description('store one memory from flags, or JSON Lines from stdin with --jsonl')
    .argument('<character>', 'character id')
    .option('--jsonl', 'read {type, text, userId?, roomId?, metadata?, createdAt?} lines from stdin')
    .option('--text <text>', 'the memory')
    .option('--type <type>', `${MEMORY_TYPES.join(' | ')} (default: fact with --user, else knowledge)`)
    .option('--user <id>', 'the user it is about (only their recalls see it)')
    .option('--room <id>', 'the conversation it belongs to')
    .option('--metadata <json>', 'a JSON object kept with it')
    .option('--created-at <iso>', 'when it happened (ISO 8601 with offset)')
    .action(
      action(async (character: string, o: Record<string, string | boolean | undefined>) => {
        checkId(character);
        const inputs = o.jsonl
          ? parseMemoryLines(await readAll(process.stdin), 'stdin')
          : [
              parseMemoryInput({
                type: o.type ?? (o.user ? 'fact' : 'knowledge'),
                text: o.text,
                userId: o.user,
                roomId: o.room,
                metadata: o.metadata === undefined ? undefined : parseJson(String(o.metadata), '--metadata'),
                createdAt: o.createdAt,
              }),
            ];
        await withCharacterStore(character, async (store, env) => {
          const embedder = selectEmbedder(env, store);
          const bar = process.stderr.isTTY && inputs.length > 1;
          const result = await addMemories(character, inputs, new SqlMemoryRepository(store), {
            ...(embedder ? { embedder } : {}),
            onProgress: (done, total) => bar && process.stderr.write(`\r${progressBar(done, total)}`),
          });
          if (bar) process.stderr.write('\n');
          out(`${character}: stored ${result.inserted} memories (${result.existing} were there already)`);
        });
      }),
    );

  const search = memory
    .command('search')
    .description('hybrid recall as a turn would see it; every user unless --user')
    .argument('<character>', 'character id')
    .argument('<query>', 'what to look for');
  filterOptions(search, "only this user's memories and shared ones", '10')
    .option('--json', 'print JSON: ids, metadata and score parts')
    .action(
      action(async (character: string, query: string, o: Filters) => {
        checkId(character);
        await withCharacterStore(character, async (store, env) => {
          if (o.user) await requireUser(store, o.user, character, whoseHint(character));
          const embedder = selectEmbedder(env, store);
          const hits = await new SqlMemoryRepository(store).search({
            agentId: character,
            query,
            ...(o.user ? { userId: o.user } : { allUsers: true }),
            ...(embedder ? { embedding: (await embedder.embed([query]))[0]! } : {}),
            ...(o.room ? { roomId: o.room } : {}),
            ...(o.type ? { types: [checkType(o.type)] } : {}),
            limit: checkLimit(o.limit),
          });
          if (o.json) return out(JSON.stringify(hits, null, 2));
          if (!hits.length) return out(`${character}: nothing recalled for "${query}"`);
          for (const h of hits) out(`${h.score.toFixed(4)}  ${describe(h)}  ${why(h)}`);
        });
      }),
    );

  const list = memory
    .command('list')
    .description('memories newest first')
    .argument('<character>', 'character id');
  filterOptions(list, "only this user's", '20')
    .option('--json', 'print JSON')
    .action(
      action(async (character: string, o: Filters) => {
        checkId(character);
        await withCharacterStore(character, async (store) => {
          if (o.user) await requireUser(store, o.user, character, whoseHint(character));
          const rows = await new SqlMemoryRepository(store).list({
            agentId: character,
            ...(o.user ? { userId: o.user } : {}),
            ...(o.room ? { roomId: o.room } : {}),
            ...(o.type ? { type: checkType(o.type) } : {}),
            limit: checkLimit(o.limit),
          });
          if (o.json) return out(JSON.stringify(rows, null, 2));
          if (!rows.length) return out(`${character}: no memories`);
          for (const r of rows) out(`${r.id}  ${describe(r)}${r.supersededBy ? '  (superseded)' : ''}`);
        });
      }),
    );

  memory
    .command('import')
    .description("import a character's knowledge (strings, files, folders of .md/.txt); safe to repeat")
    .argument('[character]', 'character id')
    .option('--all', 'every character in characters/ (the deploy step; `npm start` does this itself)')
    .action(
      action(async (id: string | undefined, o: { all?: boolean }) => {
        if (Boolean(id) === Boolean(o.all)) {
          throw new CarrierError(
            'name one character (`carrier memory import ada`) or pass --all for every one in characters/',
            'import_target',
          );
        }
        const ids = id ? [id] : await listCharacterIds();
        await withMemoryStore(async (store, env) => {
          const embedder = selectEmbedder(env, store);
          const results = await importAllKnowledge(ids, new SqlMemoryRepository(store), {
            load: (c) => loadCharacter(c),
            ...(embedder ? { embedder } : {}),
            onSource: (c, s) =>
              out(
                `${c} ${s.source}: ${s.chunks} chunks, ${s.inserted} new, ${s.kept} unchanged, ${s.removed} removed`,
              ),
          });
          for (const result of results) {
            if ('error' in result) process.stderr.write(`${describeImport(result)}\n`);
            else out(describeImport(result));
          }
          // The deploy step: the agent-wide vector index follows the memories' growth.
          if (o.all) out(describeVectorIndex(await refreshVectorIndex(store)));
          const failed = results.filter((r) => 'error' in r).length;
          if (failed) {
            throw new CarrierError(
              `the knowledge of ${failed} of ${results.length} characters was not imported (see above); fix and run again`,
              'knowledge_not_imported',
            );
          }
        });
      }),
    );

  memory
    .command('forget')
    .description('delete every memory, cached embedding and turn record of one user of a character')
    .argument('<character>', 'character id')
    .requiredOption('--user <id>', 'the user to forget')
    .action(
      action(async (character: string, o: { user: string }) => {
        checkId(character);
        await withCharacterStore(character, async (store) => {
          const { others } = await matchUser(store, o.user, character);
          const n = await new SqlMemoryRepository(store).forgetUser(character, o.user);
          // Exit 0 even so: forget is idempotent, and running it again after a forget (a retried
          // deletion request, a script run twice) finds nothing, which is the outcome it wants.
          if (!n.memories && !n.embeddings && !n.turns)
            out(`${character}: nothing was stored for ${o.user}; nothing to forget`);
          else
            out(
              `${character}: forgot ${o.user}: ${n.memories} memories, ${n.embeddings} cached embeddings, ${n.turns} turn records`,
            );
          // Perhaps the same person by another way in (`sam` in a chat, `api:acme:sam` by the API).
          if (others.length)
            process.stderr.write(
              `note: ${character} also holds ${describeStoredUsers(others)}; forget those with --user too if they are the same person\n`,
            );
        });
      }),
    );

  memory
    .command('reindex')
    .description('build the index agent-wide vector search uses, if the memories have grown (--force: now)')
    .option('--force', 'build it now, whatever the count')
    .action(
      action(async (o: { force?: boolean }) => {
        await withMemoryStore(async (store) => {
          const forced = Boolean(o.force);
          out(describeVectorIndex(await refreshVectorIndex(store, { force: forced }), { forced }));
        });
      }),
    );

  memory
    .command('stats')
    .description('memories per character and type, and where they are stored')
    .argument('[character]', 'only this character')
    .action(
      action(async (character?: string) => {
        await withMemoryStore(async (store, env) => {
          if (character) await checkCharacter(store, character);
          const target = storeTarget(env);
          const rows = await new SqlMemoryRepository(store).stats(character);
          out(`store: ${target.kind} at ${target.where}`);
          if (!rows.length) return out('no memories');
          out('character       type         memories  embedded  superseded  users  newest');
          for (const r of rows) {
            out(
              `${r.agentId.padEnd(15)} ${r.type.padEnd(12)} ${String(r.memories).padStart(8)}  ${String(r.withEmbedding).padStart(8)}  ${String(r.superseded).padStart(10)}  ${String(r.users).padStart(5)}  ${r.newest}`,
            );
          }
          const total = rows.reduce((n, r) => n + r.memories, 0);
          out(`total: ${total}`);
          if (target.kind === 'pglite' && total > PGLITE_COMFORT) {
            out(
              `note: the embedded PGlite is meant for up to ~${PGLITE_COMFORT.toLocaleString('en')} memories; set DATABASE_URL or SUPABASE_URL for more`,
            );
          }
        });
      }),
    );
}

/** --user, --room, --type and --limit, shared by search and list. */
function filterOptions(command: Command, user: string, limit: string): Command {
  return command
    .option('--user <id>', user)
    .option('--room <id>', 'only this conversation')
    .option('--type <type>', `only this type: ${MEMORY_TYPES.join(' | ')}`)
    .option('--limit <n>', 'how many', limit);
}

/** Where to find the users a character holds memories of, for a --user nothing is stored for. */
const whoseHint = (character: string) => `\`carrier memory list ${character}\` shows whose memories it holds`;
