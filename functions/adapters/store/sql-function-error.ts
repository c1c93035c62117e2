/**
 * An error raised inside a SQL function and reported by a transport that does not throw
 * Postgres errors itself (PostgREST). `code` is the SQLSTATE, as on PGlite and postgres.js
 * errors, so callers can branch on it the same way for every adapter.
 */
export class SqlFunctionError extends Error {
  override name = 'SqlFunctionError';
  constructor(
    readonly fn: string,
    message: string,
    readonly code?: string,
    readonly detail?: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
