import { createServer } from 'node:http';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { listenOnLoopback } from './loopback.ts';

/**
 * A loopback API Gateway Management API (the WebSocket callback endpoint) speaking its REST-JSON
 * protocol: POST /<stage>/@connections/{id} records the frame for an open connection and answers
 * 410 GoneException for any other; DELETE closes one. `failNext` makes the next posts fail with
 * 500 (a throttled or broken endpoint). Point an ApiGatewayManagementApiClient at `endpoint`.
 */
export class FakeManagementApi {
  /** Frames received per open connection, in order, parsed from JSON. */
  readonly frames = new Map<string, unknown[]>();
  readonly requests: Array<{ method: string; connectionId: string; status: number }> = [];
  failNext = 0;

  private constructor(
    readonly endpoint: string,
    private readonly stop: () => Promise<void>,
  ) {}

  static async start(stage = 'dev'): Promise<FakeManagementApi> {
    const ready: { fake?: FakeManagementApi } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = decodeURIComponent(/\/@connections\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
        const status = ready.fake!.handle(req.method ?? 'GET', id, Buffer.concat(chunks).toString('utf8'));
        ready.fake!.requests.push({ method: req.method ?? 'GET', connectionId: id, status });
        const error = status === 410 ? 'GoneException' : status === 500 ? 'InternalServerErrorException' : '';
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(error ? { 'x-amzn-errortype': error } : {}),
        });
        res.end(error ? JSON.stringify({ message: error }) : '');
      });
    });
    const { origin, close } = await listenOnLoopback(server);
    ready.fake = new FakeManagementApi(`${origin}/${stage}`, close);
    return ready.fake;
  }

  /** A client for this endpoint with test credentials. */
  client(): ApiGatewayManagementApiClient {
    return new ApiGatewayManagementApiClient({
      endpoint: this.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      maxAttempts: 1,
    });
  }

  /** Opens a connection the fake accepts frames for. */
  connect(connectionId: string): void {
    this.frames.set(connectionId, []);
  }

  /** What connection `id` received, as parsed frames. */
  received(connectionId: string): Array<Record<string, unknown>> {
    return (this.frames.get(connectionId) ?? []) as Array<Record<string, unknown>>;
  }

  close(): Promise<void> {
    return this.stop();
  }

  private handle(method: string, id: string, body: string): number {
    if (this.failNext > 0) {
      this.failNext--;
      return 500;
    }
    const frames = this.frames.get(id);
    if (!frames) return 410;
    if (method === 'DELETE') {
      this.frames.delete(id);
      return 204;
    }
    if (method !== 'POST') return 400;
    frames.push(JSON.parse(body));
    return 200;
  }
}
