/**
 * The public /v1 API with the key the page holds: every call sends it as a bearer token, so
 * there is no cookie and nothing another site can make the browser send.
 */
const KEY = 'carrier.key';

export const key = {
  get: () => sessionStorage.getItem(KEY) ?? '',
  /** Keeps `value` for this tab; check it with keyProblem first. */
  set: (value) => sessionStorage.setItem(KEY, value.trim()),
  clear: () => sessionStorage.removeItem(KEY),
};

/**
 * Why `value` cannot be used as a key, or undefined: an API key (ck_…) or an access token (a JWT)
 * is one word of printable ASCII, and a request header cannot carry most other characters at
 * all (fetch throws before anything is sent), so a key holding one is refused before it is kept.
 */
export function keyProblem(value) {
  const trimmed = value.trim();
  if (!trimmed)
    return 'Paste a key: the dev key the start banner printed, or one from `carrier keys create`.';
  const bad = [...trimmed].find((c) => !/^[\x21-\x7e]$/.test(c));
  if (bad === undefined) return undefined;
  if (/\s/.test(bad)) return 'This key has a space or line break inside it: an API key is one word (ck_…).';
  return `This key holds “${bad}”, which an HTTP header cannot carry: an API key is plain ASCII (ck_…). Paste it as the start banner or \`carrier keys create\` printed it.`;
}

/** What the API answered when it said no, or status 0 when it could not be reached at all. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = body?.error ?? {};
    const details = (error.details ?? []).map((d) => `${d.path}: ${d.message}`).join('; ');
    super(
      `${error.message ?? `the API answered ${status}`}${details && !error.message?.includes(details) ? ` (${details})` : ''}`,
    );
    this.status = status;
    this.code = error.code ?? 'http_error';
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** The stack (or the deployed API) did not answer: fetch gives only "Failed to fetch". */
const unreachable = () =>
  new ApiError(0, {
    error: {
      code: 'unreachable',
      message: `Cannot reach the stack at ${location.origin}: is it running? ${LOOPBACK.test(location.hostname) ? 'Start it again (npm start)' : 'Check the connection'}, then retry.`,
    },
  });

/** The key as a header, refused (as a 401 would be) when it is not one a header can carry. */
function authorization() {
  const problem = keyProblem(key.get());
  if (problem) throw new ApiError(401, { error: { code: 'unauthenticated', message: problem } });
  return `Bearer ${key.get()}`;
}

/**
 * fetch on this origin with the key; a request that never got an answer throws ApiError status 0
 * (a network error is a TypeError, and an abort stays an AbortError).
 */
export async function send(url, init = {}) {
  const headers = { ...init.headers, authorization: authorization() };
  try {
    return await fetch(url, { ...init, headers });
  } catch (error) {
    throw error instanceof TypeError ? unreachable() : error;
  }
}

/** One API call; JSON in and out. Throws ApiError with the API's own message. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = body !== undefined ? { 'content-type': 'application/json' } : {};
  const res = await send(`/v1${path}`, {
    method,
    headers,
    signal,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const data = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/**
 * One image of a post, read through this origin (GET /v1/posts/{id}/media/{index}: an <img>
 * cannot send the key, and the page loads nothing from other hosts), as an object URL.
 */
export async function mediaPreview(postId, index) {
  const res = await send(`/v1/posts/${encodeURIComponent(postId)}/media/${index}`);
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => undefined));
  return URL.createObjectURL(await res.blob());
}

/** A query string from the set values only. */
export function qs(params) {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries)}` : '';
}
