import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  address: string;
  port: number;
  /** The requests it received, in order. */
  requests: Array<{ method: string; url: string; host: string; body: string }>;
  close(): Promise<void>;
}

/**
 * A server on one loopback address that records every request. As the target an attacker
 * aims at, it must record nothing; as the stand-in for a public host, it answers.
 */
export async function startLoopbackServer(
  address: string,
  port = 0,
  handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('ok'),
): Promise<LoopbackServer> {
  const requests: LoopbackServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host ?? '', body });
      handle(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, address, resolve));
  return {
    address,
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A resolver that answers each lookup with the next list in `answers` (the last one repeats). */
export function scriptedResolver(...answers: string[][]) {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    return answers[Math.min(asked.length - 1, answers.length - 1)]!;
  };
  return { resolve, asked };
}
