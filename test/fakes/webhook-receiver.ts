import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it; the body is kept raw because signatures cover its bytes. */
export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  /** The port on 127.0.0.1, for tests that build their own URL (e.g. an `https://` one). */
  port: number;
  /** `http://127.0.0.1:<port>/hook` */
  url: string;
  /** Every request so far, in arrival order, whatever status it was answered with. */
  requests: ReceivedWebhook[];
  /**
   * The `n`th request (1-based), once it has arrived. Rejects after `timeoutMs` naming how many
   * did arrive, so a webhook that never comes fails the test with a reason instead of a hang.
   */
  nth(n: number, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  /** The status to answer the `n`th request (1-based) with; 204 unless told. */
  status?: (n: number) => number;
}

/**
 * A loopback webhook endpoint (node:http on 127.0.0.1, a free port) that records each request.
 *
 * @example
 * const receiver = await startWebhookReceiver({ status: (n) => (n === 1 ? 503 : 204) });
 * const retry = await receiver.nth(2);
 * await receiver.close();
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const status = options.status ?? (() => 204);
  const requests: ReceivedWebhook[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers, body });
      res.statusCode = status(requests.length);
      res.end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function nth(n: number, timeoutMs = 5000): Promise<ReceivedWebhook> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const request = requests[n - 1];
        if (!request) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(request);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `webhook receiver: request ${n} did not arrive within ${timeoutMs} ms (${requests.length} arrived)`,
          ),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    nth,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
