import { Hono } from 'hono';
import { z } from 'zod';
import { requireScope, type ApiEnv } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { checkIdempotencyKey, idempotencyKeyReused, requestSha256 } from '../idempotency-key.ts';
import { jsonBody, query } from '../validate.ts';
import { localMediaIndexes, toCreateInput } from '../../instagram/new-post.ts';
import { newPostSchema, POST_STATES } from '../../instagram/post.ts';
import type { RouteDoc } from '../openapi.ts';
import { errorSchema } from '../schemas.ts';
import type { PostRepository } from '../../instagram/post-repository.ts';
import { postView } from '../../instagram/post-view.ts';

export interface PostsRoutesDeps {
  posts: PostRepository;
  /** The ids of the characters this deployment serves. */
  characterIds(): Promise<string[]>;
  now?: () => Date;
}

const listQuery = z.strictObject({
  character: z.string().optional(),
  state: z.enum(POST_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * The posts endpoints, mounted under /v1 behind API-key auth (scope `posts`):
 * POST /posts queues a post, GET /posts lists them, GET /posts/{id} shows one, DELETE
 * /posts/{id} cancels one that has not started publishing. Media must be http(s) URLs here.
 *
 * @example
 * createApiApp({ ...deps, extraRoutes: [{ path: '/', app: postsRoutes({ posts, characterIds }) }] });
 */
export function postsRoutes(deps: PostsRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const now = deps.now ?? (() => new Date());
  app.use('/posts', requireScope('posts'));
  app.use('/posts/*', requireScope('posts'));

  app.post('/posts', async (c) => {
    const body = await jsonBody(c, newPostSchema);
    const local = localMediaIndexes(body);
    if (local.length) {
      throw new ApiError(
        400,
        'invalid_request',
        'media must be http(s) URLs over the API; post local files with `npx carrier posts add`',
        local.map((i) => ({ path: `body.media.${i}`, message: 'expected an http(s) URL' })),
      );
    }
    const known = await deps.characterIds();
    if (!known.includes(body.character)) {
      throw new ApiError(
        404,
        'unknown_character',
        `unknown character "${body.character}"; this deployment serves: ${known.join(', ') || 'none'}`,
      );
    }
    const key =
      checkIdempotencyKey(c.req.header('idempotency-key'), 'header.idempotency-key') ?? body.idempotencyKey;
    if (!key) return c.json({ post: postView(await deps.posts.create(toCreateInput(body, now()))) }, 201);
    // Where the key came from (header or body) is not part of the request.
    const hash = requestSha256({ ...body, idempotencyKey: undefined });
    const post = await deps.posts.create({
      ...toCreateInput({ ...body, idempotencyKey: key }, now()),
      idempotencyScope: idempotencyScope(c.get('principal').keyId),
      requestSha256: hash,
    });
    if (post.requestSha256 !== null && post.requestSha256 !== hash) throw idempotencyKeyReused(key, 'post');
    return c.json({ post: postView(post) }, 201);
  });

  app.get('/posts', async (c) => {
    const q = query(c, listQuery);
    const posts = await deps.posts.list({
      limit: q.limit,
      offset: q.offset,
      ...(q.character ? { characterId: q.character } : {}),
      ...(q.state ? { state: q.state } : {}),
    });
    return c.json({ posts: posts.map(postView) });
  });

  app.get('/posts/:id', async (c) => {
    const post = await deps.posts.get(c.req.param('id'));
    if (!post) throw notFound(c.req.param('id'));
    return c.json({ post: postView(post) });
  });

  app.delete('/posts/:id', async (c) => {
    const id = c.req.param('id');
    const { outcome, post } = await deps.posts.cancel(id, now());
    if (outcome === 'not_found' || !post) throw notFound(id);
    if (outcome === 'not_cancellable') {
      throw new ApiError(
        409,
        'not_cancellable',
        `post ${id} is ${post.state}; only posts that have not started publishing can be cancelled`,
      );
    }
    return c.json({ post: postView(post) });
  });

  return app;
}

/**
 * Whose idempotency keys these are: two callers using the same key never share a post. The API
 * key id stands in for the tenant until API keys belong to tenants; then this returns
 * `tenant:<id>` and nothing else changes.
 */
function idempotencyScope(apiKeyId: string): string {
  return `api-key:${apiKeyId}`;
}

function notFound(id: string): ApiError {
  return new ApiError(404, 'not_found', `no post ${id}; list posts with GET /v1/posts`);
}

/** How the posts endpoints appear in /v1/openapi.json; bodies and queries are the validated schemas. */
export const POSTS_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/posts',
    summary:
      'Queue an Instagram post (media as http(s) URLs; an Idempotency-Key header makes it safe to resend)',
    scope: 'posts',
    body: newPostSchema,
    responses: {
      201: {
        description:
          'the queued post, as { post }; the first one again for a resend with the same key and body',
      },
      404: { description: 'unknown character', schema: errorSchema },
      409: { description: 'the Idempotency-Key was used for a different post', schema: errorSchema },
    },
  },
  {
    method: 'get',
    path: '/v1/posts',
    summary: 'List posts, newest first',
    scope: 'posts',
    query: listQuery,
    responses: { 200: { description: 'the posts, as { posts }' } },
  },
  {
    method: 'get',
    path: '/v1/posts/{id}',
    summary: 'One post with its state and reason',
    scope: 'posts',
    responses: {
      200: { description: 'the post, as { post }' },
      404: { description: 'no such post', schema: errorSchema },
    },
  },
  {
    method: 'delete',
    path: '/v1/posts/{id}',
    summary: 'Cancel a post that has not started publishing',
    scope: 'posts',
    responses: {
      200: { description: 'the cancelled post, as { post }' },
      404: { description: 'no such post', schema: errorSchema },
      409: { description: 'the post is already publishing or done', schema: errorSchema },
    },
  },
];

/**
 * The posts endpoints ready to mount on the API app, with their OpenAPI entries; the Lambda
 * handler and the local stack both use this.
 *
 * @example
 * createApiApp({ ...deps, extraRoutes: [postsApi(new SqlPostRepository(store), ['juniper'])] });
 */
export function postsApi(posts: PostRepository, characters: string[]) {
  return {
    path: '/',
    app: postsRoutes({ posts, characterIds: async () => characters }),
    docs: POSTS_ROUTE_DOCS,
  };
}
