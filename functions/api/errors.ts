import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { CarrierError } from '../errors.ts';
import { errorBody, type ErrorDetail } from '../http/error-body.ts';
import type { Log } from '../ports/log.ts';

/**
 * A 4xx the caller can fix: the message says what was wrong and how to fix it. `headers` go on
 * the response (a 429's Retry-After).
 */
export class ApiError extends CarrierError {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message, code);
  }
}

export function validationError(where: 'body' | 'query', error: z.ZodError): ApiError {
  const details = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new ApiError(
    400,
    'invalid_request',
    `invalid ${where}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    details,
  );
}

/**
 * The app's error handler: ApiErrors and Hono's own HTTP errors keep their status and message;
 * anything else is a 500 that says nothing about internals (the log has the detail).
 */
export function onApiError(log?: Pick<Log, 'error'>) {
  return (error: Error, c: Context): Response => {
    if (error instanceof ApiError)
      return c.json(errorBody(error.code, error.message, error.details), error.status, error.headers);
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return c.json(errorBody('bad_request', error.message || 'bad request'), status as ContentfulStatusCode);
    }
    log?.error('API request failed', { path: c.req.path, error: `${error.name}: ${error.message}` });
    return c.json(errorBody('internal', 'something went wrong on our side; try again'), 500);
  };
}
