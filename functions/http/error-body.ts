// Imports nothing: the Discord interactions bundle uses this and must stay free of zod and hono.

export interface ErrorDetail {
  /** Where the problem is: `body.text`, `query.wait`. */
  path: string;
  message: string;
}

/** Every Carrier HTTP error response has this one shape: the API, Discord interactions, the local server. */
export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] };
}

/**
 * The JSON body of an error response; `details` only appears when there are some.
 *
 * @example
 * errorBody('not_found', 'no route GET /v2; see /v1/openapi.json');
 * // { error: { code: 'not_found', message: 'no route GET /v2; see /v1/openapi.json' } }
 */
export function errorBody(code: string, message: string, details?: ErrorDetail[]): ErrorBody {
  return { error: { code, message, ...(details ? { details } : {}) } };
}
