import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { Character } from '../characters/schema.ts';
import { sha256 } from './content-hash.ts';
import type { Embedder } from '../ports/embedder.ts';
import { CarrierError } from '../errors.ts';
import type { MemoryRepository } from '../ports/memory-records.ts';
import type { NewMemory } from '../ports/memory-records.ts';

/** A knowledge entry that cannot be read: a missing file or folder. */
export class KnowledgeError extends CarrierError {
  override name = 'KnowledgeError';
}

export interface KnowledgeSource {
  /** Names the source in metadata.source: `inline` for the strings, else the file path. */
  source: string;
  texts: string[];
}

const KNOWLEDGE_FILE = /\.(md|markdown|txt)$/i;

/**
 * Splits text into chunks of at most `maxChars`, on paragraph boundaries where it can, then
 * sentences, then words: each chunk is recalled alone, so it should stand on its own.
 *
 * @example chunkText(readme, 1200)
 */
export function chunkText(text: string, maxChars = 1_200): string[] {
  const pieces = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .flatMap((p) => (p.length <= maxChars ? [p] : splitLong(p, maxChars)));
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && current.length + piece.length + 2 > maxChars) {
      chunks.push(current);
      current = piece;
    } else {
      current = current ? `${current}\n\n${piece}` : piece;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

function splitLong(paragraph: string, maxChars: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const sentence of paragraph.split(/(?<=[.!?])\s+/)) {
    for (let s = sentence; s;) {
      const room = maxChars - (current ? current.length + 1 : 0);
      if (s.length <= room) {
        current = current ? `${current} ${s}` : s;
        s = '';
      } else if (current) {
        out.push(current);
        current = '';
      } else {
        const cut = s.lastIndexOf(' ', maxChars) > 0 ? s.lastIndexOf(' ', maxChars) : maxChars;
        out.push(s.slice(0, cut));
        s = s.slice(cut).trimStart();
      }
    }
  }
  if (current) out.push(current);
  return out;
}

/**
 * A character's knowledge as sources: its strings (one source), and each .md/.txt file named
 * by a `path` or found under a `directory`. Paths are relative to the character file's folder,
 * or to its `knowledge/` subfolder (ElizaOS's layout).
 */
export async function knowledgeSources(character: Character): Promise<KnowledgeSource[]> {
  const base = dirname(character.source ?? join('characters', `${character.id}.json`));
  const sources: KnowledgeSource[] = [];
  const inline: string[] = [];
  for (const [i, item] of (character.knowledge ?? []).entries()) {
    if (typeof item === 'string') {
      inline.push(item);
      continue;
    }
    // looseObject types unknown keys as unknown: narrow on the value, not the key.
    const isFile = typeof item.path === 'string';
    const given = String(isFile ? item.path : item.directory);
    const found = await locate(base, given);
    const field = `knowledge[${i}].${isFile ? 'path' : 'directory'}`;
    if (!found || found.isDirectory !== !isFile) {
      throw new KnowledgeError(
        `${character.source ?? character.id}: ${field}: ${given} is not a ${isFile ? 'file' : 'folder'} in ${base}/ or ${join(base, 'knowledge')}/`,
        'knowledge_missing',
      );
    }
    const files = isFile ? [found.path] : await filesUnder(found.path);
    for (const file of files) {
      sources.push({ source: relative(base, file) || file, texts: [await readFile(file, 'utf8')] });
    }
  }
  if (inline.length) sources.unshift({ source: 'inline', texts: inline });
  return sources;
}

async function locate(
  base: string,
  given: string,
): Promise<{ path: string; isDirectory: boolean } | undefined> {
  for (const path of isAbsolute(given) ? [given] : [join(base, given), join(base, 'knowledge', given)]) {
    const info = await stat(path).catch(() => undefined);
    if (info) return { path, isDirectory: info.isDirectory() };
  }
  return undefined;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && KNOWLEDGE_FILE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export interface ImportedSource {
  source: string;
  chunks: number;
  inserted: number;
  kept: number;
  removed: number;
}

/**
 * Imports a character's knowledge as `knowledge` memories shared by all its users. Each chunk's
 * source id is its content hash, so importing again stores nothing new; a source's chunks that
 * are gone from it, and sources the character no longer lists, are removed.
 *
 * @example await importKnowledge(character, new SqlMemoryRepository(store), { embedder });
 */
export async function importKnowledge(
  character: Character,
  repository: MemoryRepository,
  options: { embedder?: Embedder; onSource?: (imported: ImportedSource) => void } = {},
): Promise<{ sources: ImportedSource[]; pruned: number }> {
  const results: ImportedSource[] = [];
  const sources = await knowledgeSources(character);
  for (const { source, texts } of sources) {
    const chunks = texts.flatMap((t) => chunkText(t));
    const vectors = options.embedder && chunks.length ? await options.embedder.embed(chunks) : [];
    const rows: NewMemory[] = chunks.map((text, i) => ({
      agentId: character.id,
      type: 'knowledge',
      text,
      sourceId: `knowledge:${character.id}:${source}:${sha256(text)}`,
      metadata: { source, chunk: i },
      ...(vectors[i] && options.embedder
        ? { embedding: vectors[i], embeddingModel: options.embedder.model }
        : {}),
    }));
    const counts = await repository.replaceSource(character.id, source, rows);
    const imported = { source, chunks: chunks.length, ...counts };
    options.onSource?.(imported);
    results.push(imported);
  }
  const pruned = await repository.pruneSources(
    character.id,
    sources.map((s) => s.source),
  );
  return { sources: results, pruned };
}
