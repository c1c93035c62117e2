/**
 * Row values as the three adapters return them, made alike: PGlite and postgres.js give
 * timestamps as Date, PostgREST as ISO strings; numbers may arrive as strings from int8.
 */
export function isoTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number') return new Date(value).toISOString();
  throw new TypeError(`expected a timestamp, got ${JSON.stringify(value)}`);
}

/** A number, or undefined for SQL null. */
export function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

/** A jsonb value (PostgREST and PGlite parse it; a text transport may not). */
export function jsonObject(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return JSON.parse(value) as Record<string, unknown>;
  return (value ?? {}) as Record<string, unknown>;
}

/** isoTime, with SQL null kept as null. */
export function optionalIsoTime(value: unknown): string | null {
  return value === null || value === undefined ? null : isoTime(value);
}
