import { rpcCall } from '../../ports/sql.ts';

/**
 * `select * from fn(a => '…', b => null)` with every argument written as a quoted literal, for
 * PGlite's simple query protocol: one call into Postgres where a parameterised query costs six
 * (parse, describe, bind, describe, execute, sync), which was most of PGlite's JavaScript time per
 * turn. A quoted literal has no type of its own, as an untyped parameter has none, so Postgres
 * resolves the function and converts each argument exactly as it does for `$1`. Values are
 * written as PGlite's own serialisers would send them; objects, and lists of objects, as JSON.
 * Undefined when an argument cannot be written so (lists of other values, whose text form
 * depends on the parameter's type; bytes; vectors; text holding NUL, which ends a simple
 * query): the caller sends those as parameters.
 *
 * Quotes are doubled. Text with a backslash is written as an escape string (`E'a\\b'`, the
 * backslash doubled), whose meaning does not depend on `standard_conforming_strings`: a session
 * that turned it off cannot make a backslash end the literal.
 *
 * @example
 * literalRpcCall('turn_get', { p_id: "o'neil" }); // select * from turn_get(p_id => 'o''neil')
 */
export function literalRpcCall(fn: string, args: Record<string, unknown> = {}): string | undefined {
  const { sql, params } = rpcCall(fn, args);
  const literals: string[] = [];
  for (const param of params) {
    const literal = sqlLiteral(param);
    if (literal === undefined) return undefined;
    literals.push(literal);
  }
  // rpcCall numbers the parameters $1…$n, each once, in a text with no other `$`.
  return sql.replace(/\$(\d+)/g, (_, n: string) => literals[Number(n) - 1]!);
}

function sqlLiteral(value: unknown): string | undefined {
  if (value === null) return 'null';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'boolean') text = value ? 't' : 'f';
  else if (value instanceof Date) text = value.toISOString();
  else if (!isPlainObject(value) && !(Array.isArray(value) && value.length > 0 && value.every(isPlainObject)))
    return undefined;
  else text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (text.includes('\u0000')) return undefined;
  const quoted = text.replaceAll("'", "''");
  return text.includes('\\') ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
