import {
  askInteraction,
  forgetInteraction,
  pingInteraction,
  type TestDiscordApp,
} from '#test/factories/discord.ts';

/** A small seeded generator (mulberry32): the same seed makes the same requests on every run. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
export type Random = ReturnType<typeof seeded>;

export interface FuzzRequest {
  /** Which endpoint it aims at. */
  target: 'api' | 'discord';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Strings callers get wrong: bad escapes, control characters, huge, unicode, injection. */
const NASTY = [
  '',
  ' ',
  '%',
  '%ZZ',
  '%E0%A4%A',
  '%00',
  '..',
  '../../etc/passwd',
  "'; drop table turns; --",
  '<script>alert(1)</script>',
  '\u0000',
  '\n\r',
  '😀'.repeat(40),
  'a'.repeat(300),
  'x'.repeat(5000),
  '${secret:DATABASE_URL}',
  'api:other:alice',
  '112233445566778899',
  'null',
  '-1',
  '1e309',
];
const NASTY_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  Number.MAX_VALUE * 2, // Infinity: JSON writes it as null
  1.5,
  [],
  {},
  [1, 2],
  { text: 'nested' },
  'x'.repeat(17_000),
  ...NASTY,
];
const WEBHOOKS = [
  'http://127.0.0.1/hook',
  'https://10.0.0.1/x',
  'https://[::1]/x',
  'https://0x7f000001/x',
  'ftp://example.com/x',
  'not a url',
];
const HEADER_JUNK = [
  '',
  'x',
  'Bearer',
  'Bearer ',
  'Bearer ck_',
  'Basic Zm9vOmJhcg==',
  'a'.repeat(300),
  'ünïcödé',
];

/** Header values fetch can send: printable Latin-1 only (it refuses the rest before sending). */
const sendable = (value: string) => value.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');

/** A mutated copy of `value`: a field dropped, retyped or replaced by something nasty. */
function mutate(r: Random, value: unknown, depth = 0): unknown {
  if (r.chance(0.08)) return r.pick(NASTY_VALUES);
  if (Array.isArray(value)) {
    const copy = value.map((v) => (r.chance(0.3) ? mutate(r, v, depth + 1) : v));
    if (r.chance(0.1)) copy.push(r.pick(NASTY_VALUES));
    return copy;
  }
  if (value && typeof value === 'object' && depth < 6) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of Object.keys(copy)) {
      if (r.chance(0.1)) delete copy[key];
      else if (r.chance(0.2)) copy[key] = mutate(r, copy[key], depth + 1);
    }
    if (r.chance(0.1))
      copy[r.pick(['extra', '__proto__', 'constructor', 'type', 'id'])] = r.pick(NASTY_VALUES);
    return copy;
  }
  return value;
}

/** The text of a body: usually JSON of a mutated value, sometimes broken JSON or not JSON at all. */
function bodyText(r: Random, value: unknown): string {
  const json = JSON.stringify(mutate(r, value)) ?? 'null';
  if (r.chance(0.05)) return json.slice(0, r.int(json.length));
  if (r.chance(0.02)) return 'a'.repeat(70 * 1024); // over the 64 KB limit
  if (r.chance(0.03)) return r.pick(NASTY);
  return json;
}

/**
 * One API request: a real route with a mutated method, path, query, headers or body, sent with
 * the given key most of the time. About one in twenty is a valid message, which must be answered.
 */
export function apiRequest(r: Random, key: string): FuzzRequest {
  const segment = () =>
    r.chance(0.7) ? r.pick(['ada', 'juniper', 'nobody']) : encodeURIComponent(r.pick(NASTY));
  const raw = () => (r.chance(0.5) ? r.pick(['%ZZ', '%E0%A4%A', '%', '%00']) : segment());
  const paths = [
    () => `/v1/agents/${r.chance(0.9) ? segment() : raw()}/messages`,
    () => `/v1/jobs/${r.chance(0.8) ? encodeURIComponent(r.pick(NASTY)) : raw()}`,
    () => `/v1/agents/${segment()}/memories`,
    () => '/v1/agents',
    () => `/v1/posts${r.chance(0.5) ? `/${encodeURIComponent(r.pick(NASTY))}` : ''}`,
    () => '/v1/openapi.json',
    () => `/v1/${raw()}`,
    () => `/${raw()}`,
  ];
  const valid = r.chance(0.05);
  const path = valid ? '/v1/agents/ada/messages' : r.pick(paths)();
  const query =
    !valid && r.chance(0.3)
      ? `?${r.pick(['wait', 'limit', 'userId', 'query', 'type', 'offset', 'x'])}=${encodeURIComponent(r.pick(NASTY))}`
      : '';
  const headers: Record<string, string> = {};
  if (valid || r.chance(0.75)) headers.authorization = `Bearer ${key}`;
  else if (r.chance(0.6)) headers.authorization = sendable(r.pick(HEADER_JUNK));
  if (valid || r.chance(0.8)) headers['content-type'] = 'application/json';
  else if (r.chance(0.5))
    headers['content-type'] = r.pick(['text/plain', 'application/x-www-form-urlencoded', 'x']);
  if (r.chance(0.1)) headers['idempotency-key'] = sendable(r.pick(NASTY)) || 'k';
  const message = {
    text: `hello ${r.int(1_000_000)}`,
    userId: r.pick(['alice', 'bob', 'carol']),
    conversationId: `c${r.int(20)}`,
    ...(r.chance(0.2) ? { webhookUrl: r.pick(WEBHOOKS) } : {}),
  };
  const method = valid
    ? 'POST'
    : r.chance(0.7)
      ? 'POST'
      : r.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
  return {
    target: 'api',
    method,
    path: `${path}${query}`,
    headers,
    ...(method === 'GET'
      ? {}
      : {
          body: valid ? JSON.stringify({ text: message.text, userId: message.userId }) : bodyText(r, message),
        }),
  };
}

/**
 * One request to the Discord endpoint: a mutated /ask, /forget or PING, signed with the app's key
 * most of the time (so it reaches the parser), else unsigned, badly signed or stale. About one in
 * ten is a valid signed /ask, which must be answered.
 */
export function discordRequest(r: Random, app: TestDiscordApp): FuzzRequest {
  const valid = r.chance(0.1);
  const base = r.pick([
    () => askInteraction(`question ${r.int(1_000_000)}`, { applicationId: app.applicationId }),
    () => forgetInteraction({ applicationId: app.applicationId }),
    () => pingInteraction(app.applicationId),
  ])();
  const body = valid
    ? JSON.stringify(askInteraction(`question ${r.int(1_000_000)}`, { applicationId: app.applicationId }))
    : bodyText(r, base);
  const character =
    valid || r.chance(0.85) ? 'ada' : r.pick(['%ZZ', 'nobody', '%E0%A4%A', encodeURIComponent('😀')]);
  const timestamp = String(Math.floor(Date.now() / 1000) - (!valid && r.chance(0.05) ? 3600 : 0));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signing = valid ? 'good' : r.pick(['good', 'good', 'good', 'good', 'none', 'bad']);
  if (signing !== 'none') {
    headers['x-signature-timestamp'] = timestamp;
    headers['x-signature-ed25519'] = signing === 'good' ? app.sign(timestamp, body) : 'ab'.repeat(64);
  }
  return { target: 'discord', method: 'POST', path: `/discord/${character}/interactions`, headers, body };
}
