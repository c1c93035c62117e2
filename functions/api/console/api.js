/**
 * The public /v1 API with the key the page holds: every call sends it as a bearer token, so
 * there is no cookie and nothing another site can make the browser send.
 */
const KEY = 'carrier.key';

export const key = {
  get: () => sessionStorage.getItem(KEY) ?? '',
  set: (value) => sessionStorage.setItem(KEY, value.trim()),
  clear: () => sessionStorage.removeItem(KEY),
};

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

/** One API call; JSON in and out. Throws ApiError with the API's own message. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { authorization: `Bearer ${key.get()}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/v1${path}`, {
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
  const res = await fetch(`/v1/posts/${encodeURIComponent(postId)}/media/${index}`, {
    headers: { authorization: `Bearer ${key.get()}` },
  });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => undefined));
  return URL.createObjectURL(await res.blob());
}

/** A query string from the set values only. */
export function qs(params) {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries)}` : '';
}

/** Whether a frame ends the job's events: its reply is done, or it failed for good. */
const ends = (frame) => frame.kind === 'done' || (frame.kind === 'error' && frame.data.final);

/**
 * Follows a job's events (GET /v1/jobs/{id}/events): calls `onEvent(frame)` for each until the
 * job ends or `signal` aborts. The page says how (`<body data-live>`): `stream` reads the
 * Server-Sent Events over fetch, since EventSource cannot send the key; `poll` long-polls
 * `?after=`, as behind API Gateway, which hands a stream over only once it is whole.
 */
export function followJob(jobId, onEvent, signal) {
  return document.body.dataset.live === 'poll'
    ? pollJob(jobId, onEvent, signal)
    : streamJob(jobId, onEvent, signal);
}

async function pollJob(jobId, onEvent, signal) {
  let after = 0;
  for (;;) {
    const page = await api(`/jobs/${encodeURIComponent(jobId)}/events${qs({ after, wait: 20 })}`, { signal });
    for (const frame of page.events) {
      onEvent(frame);
      if (ends(frame)) return;
    }
    if (page.done) return;
    after = page.next;
  }
}

async function streamJob(jobId, onEvent, signal) {
  const res = await fetch(`/v1/jobs/${encodeURIComponent(jobId)}/events`, {
    headers: { authorization: `Bearer ${key.get()}`, accept: 'text/event-stream' },
    signal,
  });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => undefined));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      const event = /^event:\s*(.*)$/m.exec(block)?.[1];
      if (!data || event === 'ready') continue;
      const frame = JSON.parse(data);
      onEvent(frame);
      if (ends(frame)) {
        await reader.cancel();
        return;
      }
    }
  }
}
