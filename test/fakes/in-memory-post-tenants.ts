import type { Post, PostState } from '#core/instagram/post.ts';
import type { PostRepository } from '#core/instagram/post-repository.ts';
import type { PostTenants } from '#core/instagram/post-tenants.ts';

/**
 * Post ownership in a Map, with the semantics of migration 0028 and the SQL adapter: the first
 * tenant to claim a post owns it, and a tenant lists only its own posts, newest schedule first.
 * Reads the posts themselves from the repository it is given (a fake or a SQL one).
 * test/store/tenant-contract.test.ts runs the same tests against it and the SQL adapters.
 *
 * @example
 * const posts = new InMemoryPostRepository();
 * const tenants = new InMemoryPostTenants(posts);
 * await tenants.claim(post.id, 'acme'); // 'acme'
 */
export class InMemoryPostTenants implements PostTenants {
  private readonly owners = new Map<string, string>();

  constructor(private readonly posts: PostRepository) {}

  async claim(postId: string, tenant: string): Promise<string | undefined> {
    if (!this.owners.has(postId)) this.owners.set(postId, tenant);
    return this.owners.get(postId);
  }

  async ownerOf(postId: string): Promise<string | undefined> {
    return this.owners.get(postId);
  }

  async list(
    tenant: string,
    filter: { characterId?: string; state?: PostState; limit?: number; offset?: number } = {},
  ): Promise<Post[]> {
    const owned: Post[] = [];
    for (const [id, owner] of this.owners) {
      const post = owner === tenant ? await this.posts.get(id) : undefined;
      if (!post) continue;
      if (filter.characterId !== undefined && post.characterId !== filter.characterId) continue;
      if (filter.state !== undefined && post.state !== filter.state) continue;
      owned.push(post);
    }
    const offset = Math.max(filter.offset ?? 0, 0);
    return owned
      .sort(
        (a, b) =>
          +b.scheduledAt - +a.scheduledAt ||
          +b.createdAt - +a.createdAt ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      .slice(offset, offset + Math.max(filter.limit ?? 50, 0));
  }
}
