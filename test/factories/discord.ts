import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { InteractionPayload } from '#core/discord/interaction.ts';

/** A Discord application with a real Ed25519 key pair: what the developer portal would give. */
export interface TestDiscordApp {
  applicationId: string;
  /** 64 hex digits, as the portal shows it. */
  publicKey: string;
  /** Hex signature of `timestamp + body`, as Discord sends in X-Signature-Ed25519. */
  sign(timestamp: string, body: string | Uint8Array): string;
}

let sequence = 0;
/** Snowflake-shaped ids, unique within a test run. */
export function snowflake(): string {
  sequence += 1;
  return (1_300_000_000_000_000_000n + BigInt(Date.now()) * 1000n + BigInt(sequence)).toString();
}

/**
 * A fresh application with its own key pair.
 *
 * @example
 * const app = testDiscordApp();
 * const env = { DISCORD_ADA_PUBLIC_KEY: app.publicKey };
 */
export function testDiscordApp(applicationId = snowflake()): TestDiscordApp {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    applicationId,
    publicKey: rawPublicKey(publicKey).toString('hex'),
    sign: (timestamp, body) =>
      sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), privateKey).toString('hex'),
  };
}

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

export interface CommandOptions {
  id?: string;
  token?: string;
  applicationId?: string;
  channelId?: string;
  /** Leave out for a DM. */
  guildId?: string | null;
  user?: { id: string; username?: string; global_name?: string; nick?: string };
}

/** A chat-input command interaction as Discord sends it to the endpoint. */
export function commandInteraction(
  name: string,
  options: { name: string; type: number; value: unknown }[] = [],
  o: CommandOptions = {},
): InteractionPayload {
  const user = o.user ?? { id: '4242', username: 'sam', global_name: 'Sam' };
  const guildId = o.guildId === undefined ? '9001' : o.guildId;
  const discordUser = {
    id: user.id,
    username: user.username ?? 'user',
    global_name: user.global_name ?? null,
  };
  return {
    id: o.id ?? snowflake(),
    type: 2,
    application_id: o.applicationId ?? '1111',
    token: o.token ?? `interaction-token-${snowflake()}`,
    channel_id: o.channelId ?? '7777',
    channel: { id: o.channelId ?? '7777', type: guildId ? 0 : 1 },
    ...(guildId
      ? { guild_id: guildId, member: { nick: user.nick ?? null, user: discordUser } }
      : { user: discordUser }),
    data: { name, options },
  };
}

/** `/ask text:<text>`, optionally `private:true`. */
export function askInteraction(
  text: string,
  o: CommandOptions & { private?: boolean } = {},
): InteractionPayload {
  const options: { name: string; type: number; value: unknown }[] = [{ name: 'text', type: 3, value: text }];
  if (o.private !== undefined) options.push({ name: 'private', type: 5, value: o.private });
  return commandInteraction('ask', options, o);
}

export function forgetInteraction(o: CommandOptions = {}): InteractionPayload {
  return commandInteraction('forget', [], o);
}

export function pingInteraction(applicationId = '1111'): InteractionPayload {
  return { id: snowflake(), type: 1, application_id: applicationId, token: `ping-token-${snowflake()}` };
}

export interface SignOptions {
  /** Unix seconds as a string; default now. */
  timestamp?: string;
  /** Upper-case header names, as some front ends pass them. */
  upperCaseHeaders?: boolean;
}

/**
 * The headers Discord sends with a body: signature, timestamp and content type.
 *
 * @example
 * await fetch(url, { method: 'POST', headers: signedHeaders(app, body), body });
 */
export function signedHeaders(
  app: TestDiscordApp,
  body: string,
  o: SignOptions = {},
): Record<string, string> {
  const timestamp = o.timestamp ?? String(Math.floor(Date.now() / 1000));
  const headers = {
    'content-type': 'application/json',
    'x-signature-ed25519': app.sign(timestamp, body),
    'x-signature-timestamp': timestamp,
  };
  return o.upperCaseHeaders
    ? Object.fromEntries(
        Object.entries(headers).map(([k, v]) => [k.replace(/(^|-)\w/g, (c) => c.toUpperCase()), v]),
      )
    : headers;
}

/**
 * An API Gateway HTTP API (v2) event carrying a signed interaction to `/discord/{character}/interactions`.
 *
 * @example
 * const event = signedInteractionEvent(app, askInteraction('hi'), { character: 'ada' });
 * const result = await handler(event);
 */
export function signedInteractionEvent(
  app: TestDiscordApp,
  interaction: unknown,
  o: SignOptions & { character?: string; base64?: boolean; body?: string } = {},
): APIGatewayProxyEventV2 {
  const character = o.character ?? 'ada';
  const body = o.body ?? JSON.stringify(interaction);
  const path = `/discord/${character}/interactions`;
  return {
    version: '2.0',
    routeKey: 'POST /discord/{character}/interactions',
    rawPath: path,
    rawQueryString: '',
    headers: signedHeaders(app, body, o),
    pathParameters: { character },
    isBase64Encoded: o.base64 ?? false,
    body: o.base64 ? Buffer.from(body).toString('base64') : body,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: 'POST',
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'Discord-Interactions/1.0',
      },
      requestId: snowflake(),
      routeKey: 'POST /discord/{character}/interactions',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
}
