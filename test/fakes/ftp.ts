import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { FtpSrv } from 'ftp-srv';

/** ftp-srv logs through bunyan by default; tests want silence. */
const quiet = {
  child: () => quiet,
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  fatal: () => {},
};

export interface FtpFake {
  port: number;
  /** The folder the FTP user's root maps to. */
  root: string;
  user: string;
  password: string;
  uploads: string[];
  close(): Promise<void>;
}

/**
 * A real FTP server (ftp-srv) on 127.0.0.1 whose user root is a temporary folder. With `tls`,
 * it speaks explicit FTPS with a throwaway self-signed certificate.
 */
export async function startFtpServer(opts: { tls?: boolean; root?: string } = {}): Promise<FtpFake> {
  const root = opts.root ?? (await mkdtemp(join(tmpdir(), 'carrier-ftp-')));
  const user = 'carrier';
  const password = 'secret-pass';
  const port = await freePort();
  const server = new FtpSrv({
    url: `ftp://127.0.0.1:${port}`,
    pasv_url: '127.0.0.1',
    pasv_min: 30_000,
    pasv_max: 40_000,
    anonymous: false,
    greeting: 'carrier test ftp',
    log: quiet,
    tls: opts.tls ? await selfSignedCert() : false,
  });
  const uploads: string[] = [];
  server.on('login', ({ connection, username, password: given }, resolve, reject) => {
    if (username !== user || given !== password) return reject(new Error('bad credentials'));
    connection.on('STOR', (error: unknown, fileName: string) => {
      if (!error) uploads.push(fileName);
    });
    resolve({ root });
  });
  await server.listen();
  return { port, root, user, password, uploads, close: async () => void (await server.close()) };
}

export interface StaticServer {
  url: string;
  requests: Array<{ path: string; userAgent: string; status: number }>;
  /** Answers 403 to user agents matching this, like a firewall that blocks Meta's crawler. */
  blockUserAgent?: RegExp;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
};

/** A static HTTP server over a folder: the public side of the FTP host (HTTP_SERVER). */
export async function startStaticServer(root: string): Promise<StaticServer> {
  const state: StaticServer = { url: '', requests: [], close: async () => {} };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const userAgent = req.headers['user-agent'] ?? '';
    const file = join(root, normalize(path).replace(/^(\.\.[/\\])+/, ''));
    const answer = (status: number) => state.requests.push({ path, userAgent, status });
    if (state.blockUserAgent?.test(userAgent)) {
      answer(403);
      res.writeHead(403).end('forbidden');
      return;
    }
    stat(file).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file');
        answer(200);
        res.writeHead(200, {
          'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'content-length': info.size,
        });
        if (req.method === 'HEAD') res.end();
        else createReadStream(file).pipe(res);
      },
      () => {
        answer(404);
        res.writeHead(404).end('not found');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  return state;
}

/** The FTP fake and the HTTP server over its root, wired as the publisher's environment expects. */
export async function startMediaHost(opts: { tls?: boolean } = {}) {
  const ftp = await startFtpServer(opts);
  const http = await startStaticServer(ftp.root);
  return {
    ftp,
    http,
    env: {
      FTP_SERVER: '127.0.0.1',
      FTP_PORT: String(ftp.port),
      FTP_USERNAME: ftp.user,
      FTP_PASSWORD: ftp.password,
      FTP_DIRECTORY: '/',
      FTP_SECURE: opts.tls ? 'true' : 'false',
      // The fake's certificate is self-signed.
      FTP_INSECURE_TLS: opts.tls ? 'true' : 'false',
      HTTP_SERVER: http.url,
    },
    readHosted: (name: string) => readFile(join(ftp.root, name)),
    close: async () => {
      await http.close();
      await ftp.close();
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function selfSignedCert(): Promise<{ key: Buffer; cert: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'carrier-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'];
  execFileSync('openssl', [...args, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { key: await readFile(key), cert: await readFile(cert) };
}
