/**
 * How a JavaScript argument travels as a SQL parameter over the wire: objects and arrays of
 * objects as JSON text (jsonb parameters), arrays of scalars as Postgres arrays, the rest as is.
 * PGlite does the same by itself; postgres.js would send an object as "[object Object]".
 *
 * @example toSqlParam({ a: 1 }) // '{"a":1}'
 */
export function toSqlParam(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (Array.isArray(value))
    return value.some((v) => typeof v === 'object' && v !== null) ? JSON.stringify(value) : value;
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}
