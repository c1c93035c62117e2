import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '#core/api/app.ts';
import { listen } from '#core/local/http-server.ts';

let server: Awaited<ReturnType<typeof listen>>;
/** Body sizes the handler was given: what the server read and passed on. */
const seen: number[] = [];

beforeAll(async () => {
  const echo = async (event: { body?: string; isBase64Encoded: boolean }) => {
    seen.push(event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').length : 0);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
  };
  server = await listen({ api: echo, interactions: echo }, { port: 0 });
});
afterAll(async () => server.close());

/** A raw connection: what the test writes is exactly what the server gets. */
function raw(): Promise<{ socket: Socket; response: Promise<string> }> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      const response = new Promise<string>((done) => {
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('latin1')));
        socket.on('close', () => done(text));
        socket.on('error', () => done(text));
      });
      resolve({ socket, response });
    });
  });
}

function bodyOf(response: string): unknown {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
}

describe('the local server in front of the handlers', () => {
  it('refuses a declared body over the limit at once, reading none of it', async () => {
    const { socket, response } = await raw();
    socket.write(
      'POST /v1/agents/ada/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
        `content-length: ${10 * 1024 * 1024}\r\n\r\n{"text":`,
    );
    const text = await response;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(bodyOf(text)).toEqual({ error: { code: 'too_large', message: 'the body is over 64 KB' } });
  });

  it('stops reading a chunked body past the limit: 413, the connection closed, the upload cut off', async () => {
    const before = seen.length;
    const { socket, response } = await raw();
    socket.write('POST /v1/x HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const frame = Buffer.concat([
      Buffer.from(`${chunk.length.toString(16)}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    ]);
    const total = 64 * 1024 * 1024;
    let sent = 0;
    let closed = false;
    void response.then(() => (closed = true));
    while (sent < total && !closed) {
      if (!socket.write(frame)) {
        const drained = await Promise.race([
          new Promise((r) => socket.once('drain', () => r(true))),
          new Promise((r) => setTimeout(() => r(false), 1000)),
        ]);
        if (!drained) break;
      }
      sent += chunk.length;
    }
    socket.destroy();
    const text = await response;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).toContain('connection: close');
    // What the kernel buffers is not read by the server; far less than the upload went out.
    expect(sent).toBeLessThan(total / 2);
    expect(seen.length).toBe(before);
  });

  it('passes a body at the limit to the handler whole', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/v1/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'a'.repeat(MAX_BODY_BYTES),
    });
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toBe(MAX_BODY_BYTES);
  });

  it('answers a path that is not valid percent-encoding with 400, and malformed HTTP with 400, in the one error shape', async () => {
    for (const path of [
      '/discord/%ZZ/interactions',
      '/discord/%E0%A4%A/interactions',
      '/v1/agents/%zz',
      '/v1/jobs/%E0%A4%A',
    ]) {
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method: 'POST', body: '{}' });
      expect(res.status, path).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
    }
    const { socket, response } = await raw();
    socket.write('NOT HTTP AT ALL\r\n\r\n');
    const text = await response;
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(text)).toEqual({
      error: { code: 'bad_request', message: 'the request is not valid HTTP/1.1' },
    });
  });
});
