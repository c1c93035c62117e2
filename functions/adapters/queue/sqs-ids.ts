import { createHash } from 'node:crypto';

/**
 * SQS accepts 1-128 printable ASCII characters for group and deduplication ids; anything else
 * (spaces, non-ASCII conversation ids) is replaced by its SHA-256, which keeps it stable.
 *
 * @example fifoId('a room with spaces'); // 64 hex digits, the same every time
 */
export function fifoId(value: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(value) ? value : createHash('sha256').update(value).digest('hex');
}
