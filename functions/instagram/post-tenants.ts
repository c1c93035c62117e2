import type { Post, PostState } from './post.ts';

/**
 * Which API tenant queued which post: the posts endpoints show, resend and cancel a tenant's
 * own posts only. Posts queued by the operator (`carrier posts add`) have no tenant and are not
 * reachable over the API. Implemented by adapters/store/post-tenants.ts.
 */
export interface PostTenants {
  /** Records that `tenant` queued the post; returns its owner (the first tenant that claimed it). */
  claim(postId: string, tenant: string): Promise<string | undefined>;
  ownerOf(postId: string): Promise<string | undefined>;
  /** The tenant's posts, newest schedule first. */
  list(
    tenant: string,
    filter?: { characterId?: string; state?: PostState; limit?: number; offset?: number },
  ): Promise<Post[]>;
}
