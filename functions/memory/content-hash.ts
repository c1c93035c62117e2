import { createHash } from 'node:crypto';

/** The key of a text in embedding_cache and in memories.content_sha256. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
