import { z } from 'zod';
import type { Scope } from '../ports/api-keys.ts';
import {
  addFactBody,
  factAddedSchema,
  acceptedSchema,
  agentSchema,
  errorSchema,
  forgetQuery,
  jobSchema,
  memoriesQuery,
  memorySchema,
  sendMessageBody,
  sendMessageQuery,
} from './schemas.ts';

/** One route as the OpenAPI document describes it; the schemas are the ones the handlers validate with. */
export interface RouteDoc {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  scope?: Scope;
  query?: z.ZodObject;
  /** Request headers beside the key, as OpenAPI parameter objects. */
  headers?: Array<Record<string, unknown>>;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

/** One required string parameter per `{name}` in the path. */
function pathParams(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

export const ROUTES: RouteDoc[] = [
  { method: 'get', path: '/v1/health', summary: 'Liveness', responses: { 200: { description: 'ok' } } },
  {
    method: 'get',
    path: '/v1/agents',
    summary: 'The agents (characters) served here',
    scope: 'agents:read',
    responses: { 200: { description: 'agents', schema: z.object({ agents: z.array(agentSchema) }) } },
  },
  {
    method: 'post',
    path: '/v1/agents/{id}/messages',
    summary: 'Send a message; the reply arrives on the job (poll, ?wait, or webhook)',
    scope: 'messages',
    query: sendMessageQuery,
    headers: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'a resend with the same key (per API key) returns the same job instead of a new reply',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      },
    ],
    body: sendMessageBody,
    responses: {
      200: { description: 'the job ended within ?wait', schema: jobSchema },
      202: { description: 'queued, or the wait ran out of time', schema: acceptedSchema },
      404: { description: 'unknown agent', schema: errorSchema },
      409: { description: 'the Idempotency-Key was used for a different message', schema: errorSchema },
      503: { description: 'the queue refused the message; send it again', schema: errorSchema },
    },
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}',
    summary: 'A job created by this key',
    scope: 'messages',
    responses: {
      200: { description: 'the job', schema: jobSchema },
      404: { description: 'no such job', schema: errorSchema },
    },
  },
  {
    method: 'get',
    path: '/v1/agents/{id}/memories',
    summary: "Search an agent's memories",
    scope: 'memories:read',
    query: memoriesQuery,
    responses: {
      200: { description: 'memories, best first', schema: z.object({ memories: z.array(memorySchema) }) },
    },
  },
  {
    method: 'post',
    path: '/v1/agents/{id}/memories',
    summary: 'Tell an agent a lasting fact about a user (the same text twice is stored once)',
    scope: 'memories:write',
    body: addFactBody,
    responses: {
      201: { description: 'the fact and what storing it did', schema: factAddedSchema },
      404: { description: 'unknown agent', schema: errorSchema },
    },
  },
  {
    method: 'delete',
    path: '/v1/agents/{id}/memories',
    summary: 'Forget everything an agent remembers about a user',
    scope: 'memories:write',
    query: forgetQuery,
    responses: {
      200: { description: 'how many were erased', schema: z.object({ deleted: z.number().int() }) },
    },
  },
];

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with
 * (`z.toJSONSchema`), so the two cannot drift. A small generator instead of @hono/zod-openapi:
 * no extra dependency, and the routes stay plain Hono.
 *
 * @example
 * app.get('/v1/openapi.json', (c) => c.json(openApiDocument('0.1.0')));
 */
export function openApiDocument(version: string, extra: RouteDoc[] = []): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...ROUTES, ...extra]) {
    const parameters = [
      ...pathParams(route.path),
      ...(route.query ? queryParameters(route.query) : []),
      ...(route.headers ?? []),
    ];
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      summary: route.summary,
      ...(route.scope
        ? { security: [{ bearer: [] }, { apiKey: [] }], 'x-scope': route.scope }
        : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries({
          ...route.responses,
          ...(route.scope
            ? {
                400: { description: 'invalid input; details name each field', schema: errorSchema },
                401: { description: 'missing, unknown or revoked key', schema: errorSchema },
                403: { description: `the key lacks the ${route.scope} scope`, schema: errorSchema },
              }
            : {}),
        }).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.schema
              ? { content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } } }
              : {}),
          },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Carrier API', version },
    // The WebSocket API and the event stream are not OpenAPI paths: their frames have a schema of their own.
    externalDocs: {
      description: 'Live frames (WebSocket, SSE data, long-poll events[]) as JSON Schema',
      url: '/v1/live-frames.schema.json',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'an API key (ck_…) or an OIDC access token (JWT) from a configured issuer',
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    },
    paths,
  };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function queryParameters(schema: z.ZodObject): Array<Record<string, unknown>> {
  const json = jsonSchema(schema, 'input') as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: json.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}
