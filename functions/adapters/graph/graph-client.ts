import { GraphError } from '../../instagram/errors.ts';
import { graphError, type GraphErrorBody } from '../../instagram/graph-errors.ts';
import type { GraphApi } from '../../instagram/settings.ts';
import type {
  ContainerStatus,
  ContainerStatusCode,
  GraphParams,
  InstagramGraph,
  PublishingLimit,
  RecentMedia,
} from '../../instagram/graph.ts';

export interface GraphClientOptions {
  api: GraphApi;
  /** e.g. https://graph.instagram.com, or a loopback fake in tests. */
  baseUrl: string;
  version: string;
  accountId: string;
  accessToken: string;
  fetch?: typeof fetch;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
}

/**
 * The Instagram Graph API calls the publisher needs, for both login flavours (Instagram Login on
 * graph.instagram.com, Facebook Login on graph.facebook.com). Error answers become GraphErrors
 * classified retry / fix_input / reauth; a request whose answer never arrived (network error,
 * timeout) becomes `unknown_outcome`, which for media_publish means "reconcile, do not resend".
 *
 * @example
 * const graph = new GraphClient({ api: 'instagram', baseUrl: 'https://graph.instagram.com', version: 'v24.0', accountId, accessToken });
 * const id = await graph.createContainer({ image_url: 'https://media.example/abc.jpg', caption: 'hi' });
 */
export class GraphClient implements InstagramGraph {
  private readonly fetch: typeof fetch;

  constructor(readonly options: GraphClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** POST /{account}/media: an image, reel, story, carousel item or carousel container. */
  async createContainer(params: GraphParams): Promise<string> {
    const body = await this.call<{ id: string }>('POST', `${this.options.accountId}/media`, params);
    return body.id;
  }

  /** GET /{container}?fields=status_code,status */
  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const body = await this.call<{ status_code: ContainerStatusCode; status?: string }>('GET', containerId, {
      fields: 'status_code,status',
    });
    return { statusCode: body.status_code, ...(body.status ? { status: body.status } : {}) };
  }

  /** POST /{account}/media_publish. Never call it twice for one container without reading its status first. */
  async publish(containerId: string): Promise<string> {
    const body = await this.call<{ id: string }>('POST', `${this.options.accountId}/media_publish`, {
      creation_id: containerId,
    });
    return body.id;
  }

  async permalink(mediaId: string): Promise<string | undefined> {
    const body = await this.call<{ permalink?: string }>('GET', mediaId, { fields: 'permalink' });
    return body.permalink;
  }

  /** The account's latest media, to find what a publish of unknown outcome produced. */
  async recentMedia(limit = 25): Promise<RecentMedia[]> {
    const body = await this.call<{ data?: RecentMedia[] }>('GET', `${this.options.accountId}/media`, {
      fields: 'id,caption,timestamp,permalink',
      limit,
    });
    return body.data ?? [];
  }

  /** GET /{account}/content_publishing_limit: the live rolling-window usage and quota. */
  async publishingLimit(): Promise<PublishingLimit> {
    const body = await this.call<{
      data?: Array<{ quota_usage?: number; config?: { quota_total?: number; quota_duration?: number } }>;
    }>('GET', `${this.options.accountId}/content_publishing_limit`, { fields: 'quota_usage,config' });
    const row = body.data?.[0];
    return {
      quotaUsage: row?.quota_usage ?? 0,
      ...(row?.config?.quota_total !== undefined ? { quotaTotal: row.config.quota_total } : {}),
      ...(row?.config?.quota_duration !== undefined
        ? { quotaDurationSeconds: row.config.quota_duration }
        : {}),
    };
  }

  /**
   * Instagram Login only: swaps a long-lived token at least 24 h old for a new one valid 60 days.
   * Facebook Login tokens need the app secret to be exchanged, which the publisher does not hold.
   */
  async refreshToken(): Promise<{ accessToken: string; expiresInSeconds: number }> {
    const body = await this.call<{ access_token: string; expires_in: number }>(
      'GET',
      'refresh_access_token',
      { grant_type: 'ig_refresh_token' },
      { versioned: false },
    );
    return { accessToken: body.access_token, expiresInSeconds: body.expires_in };
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    params: GraphParams,
    { versioned = true } = {},
  ): Promise<T> {
    const { baseUrl, version, accessToken, timeoutMs = 30_000 } = this.options;
    const url = new URL(`${baseUrl}/${versioned ? `${version}/` : ''}${path}`);
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...params, access_token: accessToken })) {
      if (value !== undefined) (method === 'GET' ? url.searchParams : form).set(key, String(value));
    }
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        signal: AbortSignal.timeout(timeoutMs),
        ...(method === 'POST' ? { body: form } : {}),
      });
    } catch (error) {
      // No answer: the request may or may not have been applied. Never name the URL (it holds the token).
      throw new GraphError(
        `no answer from the Graph API for ${method} ${path.replace(/^\d+\//, '{account}/')}: ${(error as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (error as Error).message}`,
        'unknown_outcome',
        { status: 0 },
        { cause: error },
      );
    }
    const text = await response.text();
    const body = parseJson(text);
    if (!response.ok || (body && typeof body === 'object' && 'error' in body)) {
      const error = (body as { error?: GraphErrorBody } | undefined)?.error;
      const classified = graphError(response.status, error);
      // A 5xx without Meta's error body may have been applied (a proxy timed out): unknown, not retry.
      if (response.status >= 500 && !error) {
        throw new GraphError(classified.message, 'unknown_outcome', classified.graph);
      }
      throw classified;
    }
    return (body ?? {}) as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
