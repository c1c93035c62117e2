import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback Instagram Graph API that behaves like Meta where it matters to a publisher:
 * - creating a container really downloads its `image_url` / `video_url` (with Meta's crawler
 *   user agent) and refuses what it cannot fetch (9004/2207052) or read (36001, 352/2207026);
 * - containers stay IN_PROGRESS for `pollsUntilReady` status reads, then FINISHED;
 * - media_publish refuses a container that is not FINISHED (9007/2207027), publishes a
 *   container once, and enforces a rolling-window quota (9/2207042);
 * - a token it does not know gets code 190; refresh_access_token swaps a token for a new one.
 * Faults can be scripted per operation with `failNext`, and `dropNextPublishResponse` publishes
 * but cuts the connection before answering, like a timeout after Meta acted.
 */

export type GraphOp = 'create' | 'status' | 'publish' | 'limit' | 'refresh' | 'media';

export interface FakeError {
  status?: number;
  code: number;
  subcode?: number;
  message?: string;
  transient?: boolean;
}

interface Container {
  id: string;
  account: string;
  params: Record<string, string>;
  reads: number;
  statusCode: 'IN_PROGRESS' | 'FINISHED' | 'PUBLISHED' | 'ERROR' | 'EXPIRED';
  mediaId?: string;
}

interface Published {
  mediaId: string;
  containerId: string;
  account: string;
  caption?: string;
  at: Date;
  kind: string;
}

export interface FakeGraphOptions {
  /** Status reads a container answers IN_PROGRESS before FINISHED. Default 2. */
  pollsUntilReady?: number;
  quotaTotal?: number;
  /** Omit config from content_publishing_limit, like an API version that does not send it. */
  hideQuotaConfig?: boolean;
  tokens?: string[];
  now?: () => Date;
}

export interface FakeGraphApi {
  url: string;
  readonly containers: Map<string, Container>;
  readonly published: Published[];
  /** media_publish calls per container, successful or not. */
  readonly publishCalls: Map<string, number>;
  readonly downloads: string[];
  readonly tokens: Set<string>;
  requests: Array<{ method: string; path: string }>;
  options: Required<Omit<FakeGraphOptions, 'tokens'>>;
  failNext(op: GraphOp, error: FakeError, times?: number): void;
  dropNextPublishResponse(): void;
  /** Publishes in the rolling window ending now, per account. */
  usage(account: string): number;
  close(): Promise<void>;
}

const CRAWLER_UA = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';
const WINDOW_MS = 86_400_000;

export async function startFakeGraphApi(opts: FakeGraphOptions = {}): Promise<FakeGraphApi> {
  const options = {
    pollsUntilReady: opts.pollsUntilReady ?? 2,
    quotaTotal: opts.quotaTotal ?? 50,
    hideQuotaConfig: opts.hideQuotaConfig ?? false,
    now: opts.now ?? (() => new Date()),
  };
  const containers = new Map<string, Container>();
  const published: Published[] = [];
  const publishCalls = new Map<string, number>();
  const downloads: string[] = [];
  const tokens = new Set(opts.tokens ?? ['good-token']);
  const faults = new Map<GraphOp, FakeError[]>();
  const requests: FakeGraphApi['requests'] = [];
  let dropPublish = false;
  let seq = 0;
  const next = (prefix: string) => `${prefix}${++seq}${Math.floor(Math.random() * 1e6)}`;

  const usage = (account: string) =>
    published.filter((p) => p.account === account && +options.now() - +p.at < WINDOW_MS).length;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const params = Object.fromEntries(url.searchParams);
    if (req.method === 'POST')
      Object.assign(params, Object.fromEntries(new URLSearchParams(await read(req))));
    requests.push({ method: req.method ?? 'GET', path: url.pathname });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (e: FakeError) =>
      send(e.status ?? 400, {
        error: {
          message: e.message ?? `fake error ${e.code}`,
          type: 'OAuthException',
          code: e.code,
          ...(e.subcode ? { error_subcode: e.subcode } : {}),
          is_transient: e.transient ?? false,
          fbtrace_id: 'fake-trace',
        },
      });
    const scripted = (op: GraphOp) => {
      const queue = faults.get(op);
      const fault = queue?.shift();
      if (fault) fail(fault);
      return Boolean(fault);
    };

    if (!tokens.has(params.access_token ?? '')) {
      return fail({ code: 190, subcode: 463, message: 'Error validating access token: Session has expired' });
    }
    if (url.pathname === '/refresh_access_token') {
      if (scripted('refresh')) return;
      const token = next('refreshed-token-');
      tokens.add(token);
      return send(200, { access_token: token, token_type: 'bearer', expires_in: 5_184_000 });
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (!/^v\d+\.\d+$/.test(parts[0] ?? ''))
      return fail({ status: 404, code: 2500, message: 'unknown path' });
    const [, node, edge] = parts;

    if (req.method === 'POST' && edge === 'media') {
      if (scripted('create')) return;
      return createContainer(node!, params, send, fail);
    }
    if (req.method === 'POST' && edge === 'media_publish') {
      const id = params.creation_id ?? '';
      publishCalls.set(id, (publishCalls.get(id) ?? 0) + 1);
      if (scripted('publish')) return;
      const container = containers.get(id);
      if (!container) return fail({ code: 24, subcode: 2207008, message: 'Media builder not found' });
      if (container.statusCode === 'PUBLISHED')
        return fail({ code: 100, message: 'container already published' });
      if (container.statusCode !== 'FINISHED') {
        return fail({ code: 9007, subcode: 2207027, message: 'Media ID is not available' });
      }
      if (usage(node!) >= options.quotaTotal) {
        return fail({ code: 9, subcode: 2207042, message: 'You reached maximum number of posts' });
      }
      const mediaId = next('1790');
      container.statusCode = 'PUBLISHED';
      container.mediaId = mediaId;
      published.push({
        mediaId,
        containerId: id,
        account: node!,
        caption: container.params.caption,
        at: options.now(),
        kind: container.params.media_type ?? 'IMAGE',
      });
      if (dropPublish) {
        dropPublish = false;
        res.socket?.destroy();
        return;
      }
      return send(200, { id: mediaId });
    }
    if (req.method === 'GET' && edge === 'content_publishing_limit') {
      if (scripted('limit')) return;
      const config = options.hideQuotaConfig
        ? {}
        : { config: { quota_total: options.quotaTotal, quota_duration: 86_400 } };
      return send(200, { data: [{ quota_usage: usage(node!), ...config }] });
    }
    if (req.method === 'GET' && edge === 'media') {
      if (scripted('media')) return;
      const data = published
        .filter((p) => p.account === node)
        .reverse()
        .slice(0, Number(params.limit ?? 25))
        .map((p) => ({
          id: p.mediaId,
          caption: p.caption,
          timestamp: p.at.toISOString(),
          permalink: link(p.mediaId),
        }));
      return send(200, { data });
    }
    if (req.method === 'GET' && !edge) {
      const container = containers.get(node!);
      if (container) {
        if (scripted('status')) return;
        container.reads++;
        if (container.statusCode === 'IN_PROGRESS' && container.reads > options.pollsUntilReady) {
          container.statusCode = 'FINISHED';
        }
        return send(200, { id: container.id, status_code: container.statusCode });
      }
      const media = published.find((p) => p.mediaId === node);
      if (media) {
        if (scripted('media')) return;
        return send(200, { id: media.mediaId, permalink: link(media.mediaId) });
      }
    }
    return fail({ status: 404, code: 100, message: `unsupported request ${req.method} ${url.pathname}` });
  }

  async function createContainer(
    account: string,
    params: Record<string, string>,
    send: (status: number, body: unknown) => void,
    fail: (e: FakeError) => void,
  ): Promise<void> {
    const type = params.media_type;
    if (type === 'CAROUSEL') {
      const children = (params.children ?? '').split(',').filter(Boolean);
      const ok = children.length >= 2 && children.length <= 10;
      if (!ok || children.some((c) => containers.get(c)?.statusCode !== 'FINISHED')) {
        return fail({
          code: 36004,
          subcode: 2207028,
          message: 'carousel children must be 2 to 10 finished items',
        });
      }
    } else {
      const mediaUrl = params.video_url ?? params.image_url;
      if (!mediaUrl) return fail({ code: 100, message: 'image_url or video_url is required' });
      let bytes: Buffer;
      try {
        const response = await fetch(mediaUrl, { headers: { 'user-agent': CRAWLER_UA } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        bytes = Buffer.from(await response.arrayBuffer());
        downloads.push(mediaUrl);
      } catch {
        return fail({ code: 9004, subcode: 2207052, message: 'Media download has failed.' });
      }
      const isVideo = Boolean(params.video_url);
      if (isVideo && bytes.subarray(4, 8).toString('latin1') !== 'ftyp') {
        return fail({ code: 352, subcode: 2207026, message: 'The video format is not supported.' });
      }
      if (!isVideo && !(bytes[0] === 0xff && bytes[1] === 0xd8)) {
        return fail({ code: 36001, subcode: 2207005, message: 'The image format is not supported.' });
      }
    }
    const id = next('1800');
    containers.set(id, { id, account, params, reads: 0, statusCode: 'IN_PROGRESS' });
    send(200, { id });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(error), code: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    containers,
    published,
    publishCalls,
    downloads,
    tokens,
    requests,
    options,
    failNext(op, error, times = 1) {
      faults.set(op, [...(faults.get(op) ?? []), ...Array.from({ length: times }, () => error)]);
    },
    dropNextPublishResponse() {
      dropPublish = true;
    },
    usage,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function link(mediaId: string): string {
  return `https://www.instagram.com/p/${Buffer.from(mediaId).toString('base64url').slice(0, 11)}/`;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => resolve(raw));
    req.on('error', reject);
  });
}
