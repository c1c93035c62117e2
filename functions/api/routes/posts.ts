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
import type { PostTenants } from '../../instagram/post-tenants.ts';
import { postView } from '../../instagram/post-view.ts';
import type { OutboundFetch } from '../../ports/outbound.ts';
import { POST_MEDIA_ROUTE_DOCS, postMediaRoutes, postNotFound as notFound } from './post-media.ts';

export interface PostsRoutesDeps {
  posts: PostRepository;
  /** Which tenant queued which post: each tenant reaches its own posts only. */
  tenants: PostTenants;
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
 * /posts/{id} cancels one that has not started publishing, POST /posts/{id}/retry starts a failed
 * one again. Media must be http(s) URLs here.
 * Every post belongs to the tenant that queued it: another tenant's post is reported missing,
 * and Idempotency-Keys are the tenant's own (two tenants' equal keys name two posts).
 *
 * @example
 * createApiApp({ ...deps, extraRoutes: [{ path: '/', app: postsRoutes({ posts, tenants, characterIds }) }] });
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
    const { tenant } = c.get('principal');
    const key =
      checkIdempotencyKey(c.req.header('idempotency-key'), 'header.idempotency-key') ?? body.idempotencyKey;
    // Where the key came from (header or body) is not part of the request.
    const hash = key ? requestSha256({ ...body, idempotencyKey: undefined }) : undefined;
    const post = await deps.posts.create({
      ...toCreateInput({ ...body, ...(key ? { idempotencyKey: key } : {}) }, now()),
      ...(key ? { idempotencyScope: idempotencyScope(tenant), requestSha256: hash } : {}),
    });
    if (key && post.requestSha256 !== null && post.requestSha256 !== hash)
      throw idempotencyKeyReused(key, 'post');
    // Recorded after the post: a crash in between leaves a post only the operator sees, and the
    // resend with the same Idempotency-Key finds the post and records it then. Keys are scoped
    // by tenant, so the owner found is this tenant unless the store was written by hand.
    if ((await deps.tenants.claim(post.id, tenant)) !== tenant) throw notFound(post.id);
    return c.json({ post: postView(post) }, 201);
  });

  app.get('/posts', async (c) => {
    const q = query(c, listQuery);
    const posts = await deps.tenants.list(c.get('principal').tenant, {
      limit: q.limit,
      offset: q.offset,
      ...(q.character ? { characterId: q.character } : {}),
      ...(q.state ? { state: q.state } : {}),
    });
    return c.json({ posts: posts.map(postView) });
  });

  app.get('/posts/:id', async (c) => {
    const id = c.req.param('id');
    const post = (await owned(deps, id, c.get('principal').tenant)) ? await deps.posts.get(id) : undefined;
    if (!post) throw notFound(id);
    return c.json({ post: postView(post) });
  });

  app.delete('/posts/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await owned(deps, id, c.get('principal').tenant))) throw notFound(id);
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

  app.post('/posts/:id/retry', async (c) => {
    const id = c.req.param('id');
    if (!(await owned(deps, id, c.get('principal').tenant))) throw notFound(id);
    const { outcome, post } = await deps.posts.retry(id, now());
    if (outcome === 'not_found' || !post) throw notFound(id);
    if (outcome === 'publish_attempted') {
      throw new ApiError(
        409,
        'publish_attempted',
        `post ${id} failed after it was sent to Instagram for publishing, so a retry could publish it twice; check the account on Instagram and queue it again if it is not there`,
      );
    }
    if (outcome === 'not_retryable') {
      throw new ApiError(
        409,
        'not_retryable',
        `post ${id} is ${post.state}; only failed posts (or waiting ones, which are tried now) can be retried`,
      );
    }
    return c.json({ post: postView(post) });
  });

  return app;
}

async function owned(deps: PostsRoutesDeps, id: string, tenant: string): Promise<boolean> {
  return (await deps.tenants.ownerOf(id)) === tenant;
}

/** Whose idempotency keys these are: two tenants using the same key never share a post. */
function idempotencyScope(tenant: string): string {
  return `tenant:${tenant}`;
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
  {
    method: 'post',
    path: '/v1/posts/{id}/retry',
    summary:
      'Start a failed post again from the beginning (never one whose publish was sent to Instagram); a waiting post is tried now',
    scope: 'posts',
    responses: {
      200: { description: 'the post, scheduled again, as { post }' },
      404: { description: 'no such post', schema: errorSchema },
      409: {
        description: 'the post is not failed, or its publish may have reached Instagram',
        schema: errorSchema,
      },
    },
  },
];

/**
 * The posts endpoints ready to mount on the API app, with their OpenAPI entries, and the
 * media previews read through `fetch` (see postMediaRoutes); the Lambda handler and the local
 * stack both use this.
 *
 * @example
 * createApiApp({ ...deps, extraRoutes: [postsApi(new SqlPostRepository(store), new SqlPostTenants(store), ['juniper'], fetch)] });
 */
export function postsApi(
  posts: PostRepository,
  tenants: PostTenants,
  characters: string[],
  fetch: OutboundFetch,
) {
  const app = postsRoutes({ posts, tenants, characterIds: async () => characters });
  app.route('/', postMediaRoutes({ posts, tenants, fetch }));
  return { path: '/', app, docs: [...POSTS_ROUTE_DOCS, ...POST_MEDIA_ROUTE_DOCS] };
}
