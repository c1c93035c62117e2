import { holdsNul } from './nul-guard.ts';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, validationError } from './errors.ts';

/** Parses the JSON body against `schema`, or throws a 400 naming each bad field. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().includes('application/json')) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'send the body as JSON with content-type: application/json',
    );
  }
  let data: unknown;
  try {
    data = await c.req.json();
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is not valid JSON');
  }
  if (holdsNul(data)) {
    throw new ApiError(400, 'invalid_request', 'the body contains a NUL character (\\u0000); remove it');
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw validationError('body', parsed.error);
  return parsed.data;
}

/** Parses the query string against `schema`, or throws a 400 naming each bad parameter. */
export function query<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationError('query', parsed.error);
  return parsed.data;
}
