/** Graph API request parameters; undefined values are left out. */
export type GraphParams = Record<string, string | number | boolean | undefined>;

export type ContainerStatusCode = 'EXPIRED' | 'ERROR' | 'FINISHED' | 'IN_PROGRESS' | 'PUBLISHED';

export interface ContainerStatus {
  statusCode: ContainerStatusCode;
  /** When statusCode is ERROR, Meta's error subcode and text. */
  status?: string;
}

export interface PublishingLimit {
  quotaUsage: number;
  quotaTotal?: number;
  quotaDurationSeconds?: number;
}

export interface RecentMedia {
  id: string;
  caption?: string;
  timestamp?: string;
  permalink?: string;
}

/** The Instagram Graph API calls the publisher makes, for one account. Implemented by adapters/graph/graph-client.ts. */
export interface InstagramGraph {
  /** POST /{account}/media: an image, reel, story, carousel item or carousel container. */
  createContainer(params: GraphParams): Promise<string>;
  /** GET /{container}?fields=status_code,status */
  containerStatus(containerId: string): Promise<ContainerStatus>;
  /** POST /{account}/media_publish. Never call it twice for one container without reading its status first. */
  publish(containerId: string): Promise<string>;
  permalink(mediaId: string): Promise<string | undefined>;
  /** The account's latest media, to find what a publish of unknown outcome produced. */
  recentMedia(limit?: number): Promise<RecentMedia[]>;
  /** GET /{account}/content_publishing_limit: the live rolling-window usage and quota. */
  publishingLimit(): Promise<PublishingLimit>;
  /**
   * Instagram Login only: swaps a long-lived token at least 24 h old for a new one valid 60 days.
   * Facebook Login tokens need the app secret to be exchanged, which the publisher does not hold.
   */
  refreshToken(): Promise<{
    accessToken: string;
    expiresInSeconds: number;
  }>;
}
