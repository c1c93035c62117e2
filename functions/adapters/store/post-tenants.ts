import type { Post, PostState } from '../../instagram/post.ts';
import type { PostTenants } from '../../instagram/post-tenants.ts';
import type { SqlStore } from '../../ports/sql.ts';
import { asRow, toPost } from './post-row.ts';

/**
 * Post ownership through the SQL functions of migration 0028 (the post_tenants table beside
 * posts).
 *
 * @example
 * const tenants = new SqlPostTenants(store);
 * await tenants.claim(post.id, 'acme');
 */
export class SqlPostTenants implements PostTenants {
  constructor(private readonly store: SqlStore) {}

  async claim(postId: string, tenant: string): Promise<string | undefined> {
    const [row] = await this.store.rpc<{ tenant: string }>('post_tenant_claim', {
      p_post_id: postId,
      p_tenant: tenant,
    });
    return row?.tenant;
  }

  async ownerOf(postId: string): Promise<string | undefined> {
    const [row] = await this.store.rpc<{ tenant: string }>('post_tenant_of', { p_post_id: postId });
    return row?.tenant;
  }

  async list(
    tenant: string,
    filter: { characterId?: string; state?: PostState; limit?: number; offset?: number } = {},
  ): Promise<Post[]> {
    const rows = await this.store.rpc<{ post: unknown }>('post_tenant_list', {
      p_tenant: tenant,
      p_character_id: filter.characterId,
      p_state: filter.state,
      p_limit: filter.limit ?? 50,
      p_offset: filter.offset ?? 0,
    });
    return rows.map((r) => toPost(asRow(r.post)));
  }
}
