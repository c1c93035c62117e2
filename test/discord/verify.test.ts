import { describe, expect, it } from 'vitest';
import { createInteractionsHandler } from '#core/discord/interactions.ts';
import { interactionsLambda } from '#core/adapters/lambda/interactions.ts';
import { verifyInteraction } from '#core/discord/verify.ts';
import type { TurnQueue } from '#core/ports/queue.ts';
import type { TurnRequest } from '#core/ports/turn-request.ts';
import {
  askInteraction,
  pingInteraction,
  signedInteractionEvent,
  testDiscordApp,
} from '#test/factories/discord.ts';

const app = testDiscordApp();
const otherApp = testDiscordApp();

function lambdaFor(publicKey = app.publicKey) {
  const queued: TurnRequest[] = [];
  const queue: TurnQueue = { enqueue: async (r) => void queued.push(r) };
  const handler = interactionsLambda(
    createInteractionsHandler({ queue, characters: ['ada'], env: { DISCORD_ADA_PUBLIC_KEY: publicKey } }),
  );
  return { handler, queued };
}

describe('Discord request verification with real Ed25519 keys', () => {
  it('answers a signed PING with PONG (the endpoint handshake)', async () => {
    const { handler } = lambdaFor();
    const result = await handler(signedInteractionEvent(app, pingInteraction()));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(result.body!)).toEqual({ type: 1 });
  });

  it('accepts a valid signature and queues the command', async () => {
    const { handler, queued } = lambdaFor();
    const result = await handler(signedInteractionEvent(app, askInteraction('hello')));
    expect(JSON.parse(result.body!)).toEqual({ type: 5 });
    expect(queued).toHaveLength(1);
  });

  it('verifies the decoded bytes when API Gateway base64-encodes the body', async () => {
    const { handler } = lambdaFor();
    const body = JSON.stringify(pingInteraction());
    // Non-ASCII makes the byte/char distinction matter.
    const withUnicode = body.replace('}', ',"note":"café ☕"}');
    const result = await handler(signedInteractionEvent(app, null, { body: withUnicode, base64: true }));
    expect(result.statusCode).toBe(200);
  });

  it('finds the signature headers whatever their case', async () => {
    const { handler } = lambdaFor();
    const event = signedInteractionEvent(app, pingInteraction(), { upperCaseHeaders: true });
    expect(Object.keys(event.headers)).toContain('X-Signature-Ed25519');
    expect((await handler(event)).statusCode).toBe(200);
  });

  it('refuses a request without signature headers with 401', async () => {
    const { handler, queued } = lambdaFor();
    const event = signedInteractionEvent(app, askInteraction('hello'));
    delete event.headers['x-signature-ed25519'];
    expect((await handler(event)).statusCode).toBe(401);
    const noTimestamp = signedInteractionEvent(app, askInteraction('hello'));
    delete noTimestamp.headers['x-signature-timestamp'];
    expect((await handler(noTimestamp)).statusCode).toBe(401);
    expect(queued).toEqual([]);
  });

  it('refuses a signature that is not a signature (Discord probes with these)', async () => {
    const { handler } = lambdaFor();
    const event = signedInteractionEvent(app, pingInteraction());
    for (const bad of ['', 'zz', 'not-hex', '00'.repeat(64)]) {
      event.headers['x-signature-ed25519'] = bad;
      const result = await handler(event);
      expect(result.statusCode).toBe(401);
      expect(JSON.parse(result.body!)).toEqual({
        error: { code: 'signature_invalid', message: 'invalid request signature' },
      });
    }
  });

  it('refuses a body changed after signing', async () => {
    const { handler, queued } = lambdaFor();
    const event = signedInteractionEvent(app, askInteraction('hello'));
    event.body = event.body!.replace('hello', 'HELLO');
    expect((await handler(event)).statusCode).toBe(401);
    expect(queued).toEqual([]);
  });

  it('refuses a request signed by another application key', async () => {
    const { handler } = lambdaFor();
    expect((await handler(signedInteractionEvent(otherApp, pingInteraction()))).statusCode).toBe(401);
  });

  it('refuses a stale or future timestamp even when the signature is right', async () => {
    const { handler } = lambdaFor();
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [String(now - 301), String(now + 301), '0']) {
      const result = await handler(signedInteractionEvent(app, pingInteraction(), { timestamp }));
      expect(result.statusCode).toBe(401);
    }
    const fresh = await handler(
      signedInteractionEvent(app, pingInteraction(), { timestamp: String(now - 30) }),
    );
    expect(fresh.statusCode).toBe(200);
  });

  it('reports why verification failed, for the log', async () => {
    const body = JSON.stringify(pingInteraction());
    const timestamp = '1700000000';
    const headers = { 'x-signature-ed25519': app.sign(timestamp, body), 'x-signature-timestamp': timestamp };
    const at = (seconds: number) => ({ now: seconds * 1000 });
    expect(await verifyInteraction({ headers, body }, app.publicKey, at(1700000010))).toEqual({ ok: true });
    expect(await verifyInteraction({ headers, body }, app.publicKey, at(1700000400))).toEqual({
      ok: false,
      reason: 'timestamp_stale',
    });
    expect(
      await verifyInteraction(
        { headers: { ...headers, 'x-signature-timestamp': '17e8' }, body },
        app.publicKey,
      ),
    ).toEqual({ ok: false, reason: 'timestamp_invalid' });
    expect(await verifyInteraction({ headers, body: `${body} ` }, app.publicKey, at(1700000010))).toEqual({
      ok: false,
      reason: 'signature_invalid',
    });
    expect(await verifyInteraction({ headers: {}, body }, app.publicKey)).toEqual({
      ok: false,
      reason: 'signature_missing',
    });
  });
});
