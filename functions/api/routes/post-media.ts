import { Hono } from 'hono';
import { z } from 'zod';
import type { PostRepository } from '../../instagram/post-repository.ts';
import type { PostTenants } from '../../instagram/post-tenants.ts';
import { downloadMedia } from '../../media/download.ts';
import { MediaError } from '../../media/errors.ts';
import type { MediaFormat } from '../../media/sniff.ts';
import type { OutboundFetch } from '../../ports/outbound.ts';
import type { ApiEnv } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { RouteDoc } from '../openapi.ts';
import { errorSchema } from '../schemas.ts';

/** What a preview may weigh: an API Gateway answer holds 6 MB, and base64 adds a third. */
export const PREVIEW_MAX_BYTES = 4 * 1024 * 1024;

/** The image formats a browser shows, and the type each is served as. */
const SHOWN: Partial<Record<MediaFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

/** A post this tenant does not have, whether it exists or not: post ids cannot be probed. */
export function postNotFound(id: string): ApiError {
  return new ApiError(404, 'not_found', `no post ${id.slice(0, 128)}; list posts with GET /v1/posts`);
}

export interface PostMediaDeps {
  posts: PostRepository;
  tenants: PostTenants;
  /** The outbound fetch: deployed it reaches public addresses only, as the publisher's does. */
  fetch: OutboundFetch;
}

const indexParam = z.coerce.number().int().min(0).max(9);

/**
 * GET /posts/{id}/media/{index}: one image of a tenant's post, read through this origin so the
 * console can show it without loading anything from another host (and an <img> cannot send a
 * key). The hosted copy once there is one, else the source URL; fetched by the outbound policy,
 * capped at 4 MB, served only as the image type its bytes are, never as what the host said.
 *
 * @example
 * app.route('/', postMediaRoutes({ posts, tenants, fetch: pinnedFetch({ reach: 'public' }) }));
 */
export function postMediaRoutes(deps: PostMediaDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/posts/:id/media/:index', async (c) => {
    const id = c.req.param('id');
    const index = indexParam.safeParse(c.req.param('index'));
    const post =
      (await deps.tenants.ownerOf(id)) === c.get('principal').tenant ? await deps.posts.get(id) : undefined;
    if (!post)
      throw new ApiError(404, 'not_found', `no post ${id.slice(0, 128)}; list posts with GET /v1/posts`);
    const item = index.success ? post.media[index.data] : undefined;
    if (!item) {
      throw new ApiError(
        404,
        'not_found',
        `post ${id} has media 0 to ${post.media.length - 1}; ask for one of those`,
      );
    }
    const url = item.url ?? item.source;
    if (!/^https?:\/\//i.test(url)) {
      throw new ApiError(404, 'not_found', `media ${index.data} of post ${id} is not at an http(s) URL`);
    }
    const content = await downloadMedia(url, {
      fetch: deps.fetch,
      timeoutMs: 10_000,
      plan: (format) => {
        if (!SHOWN[format]) throw new MediaError(`${url}: a ${format} has no preview here`, false);
        return { maxBytes: PREVIEW_MAX_BYTES, store: 'memory' };
      },
    }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      throw new ApiError(
        502,
        'media_unavailable',
        `no preview of media ${index.data} of post ${id}: ${message}`,
      );
    });
    if (content.kind !== 'memory')
      throw new ApiError(502, 'media_unavailable', 'the preview was not kept in memory');
    return c.body(new Uint8Array(content.bytes), 200, {
      'content-type': SHOWN[content.format]!,
      'cache-control': 'private, max-age=300',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });
  });
  return app;
}

export const POST_MEDIA_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/posts/{id}/media/{index}',
    summary:
      "One image of a post (the hosted copy, else its source), through this origin: what the console's thumbnails show",
    scope: 'posts',
    responses: {
      200: { description: 'the image (JPEG, PNG, WebP, GIF or AVIF), at most 4 MB' },
      404: { description: 'no such post for this key, or no such media', schema: errorSchema },
      502: { description: 'the media could not be read, is a video, or is over 4 MB', schema: errorSchema },
    },
  },
];
