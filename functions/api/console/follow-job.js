import { ApiError, api, qs, send } from './api.js';

/** What the page says while it cannot reach the stack; it keeps trying. */
export const LOST = 'Lost the connection to the stack; retrying…';

/** Whether a frame ends the job's events: its reply is done, or it failed for good. */
const ends = (frame) => frame.kind === 'done' || (frame.kind === 'error' && frame.data.final);

/** The wait before the nth try in a row: 0.25 s, 0.5 s, 1 s, then every 2 s (one small request). */
const backoff = (n) => Math.min(250 * 2 ** (n - 1), 2000);

/** Worth asking again: no answer at all, or one that says "later" (429, 5xx). */
const retriable = (error) =>
  error instanceof ApiError
    ? error.status === 0 || error.status === 429 || error.status >= 500
    : // A stream cut off mid-read fails the read with a TypeError ("network error").
      error instanceof TypeError;

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = window.setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        window.clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * Follows a job's events (GET /v1/jobs/{id}/events): calls `onEvent(frame)` for each until the
 * job ends or `signal` aborts. The page says how (`<body data-live>`): `stream` reads the
 * Server-Sent Events over fetch, since EventSource cannot send the key; `poll` long-polls
 * `?after=`, as behind API Gateway, which hands a stream over only once it is whole.
 *
 * A dropped connection does not end it (the stack stopped and started again, a proxy closed the
 * stream): it asks again for the events after the last one it was given (Last-Event-ID, or
 * `?after=`) with a backoff, calling `onStatus(LOST)` while the stack cannot be reached and
 * `onStatus('')` once it answers again. An answer a retry would not change (401, 404) is thrown.
 *
 * @example
 * await followJob(jobId, (frame) => show(frame), { signal, onStatus: (line) => (note.textContent = line) });
 */
export async function followJob(jobId, onEvent, { signal, onStatus = () => {} } = {}) {
  const read = document.body.dataset.live === 'poll' ? pollJob : streamJob;
  let after = 0;
  let tries = 0;
  let lost = false;
  const follow = {
    signal,
    connected() {
      if (lost) onStatus('');
      lost = false;
    },
    /** Takes one frame; true once it ends the job. */
    seen(frame) {
      after = frame.seq;
      tries = 0;
      onEvent(frame);
      return ends(frame);
    },
  };
  for (;;) {
    try {
      if (await read(jobId, after, follow)) return;
      // Closed before the job ended (a stream lasts at most 14 minutes): go on after `after`.
    } catch (error) {
      if (signal?.aborted || !retriable(error)) throw error;
      if (!lost) onStatus(LOST);
      lost = true;
    }
    tries += 1;
    await pause(backoff(tries), signal);
  }
}

/** Long-polls the events after `after`; true once the job has ended. */
async function pollJob(jobId, after, { seen, connected, signal }) {
  for (;;) {
    const page = await api(`/jobs/${encodeURIComponent(jobId)}/events${qs({ after, wait: 20 })}`, { signal });
    connected();
    for (const frame of page.events) if (seen(frame)) return true;
    if (page.done) return true;
    after = page.next;
  }
}

/** Reads the event stream from after `after`; true once the job has ended, false if it closed first. */
async function streamJob(jobId, after, { seen, connected, signal }) {
  const res = await send(`/v1/jobs/${encodeURIComponent(jobId)}/events`, {
    headers: { accept: 'text/event-stream', ...(after ? { 'last-event-id': String(after) } : {}) },
    signal,
  });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => undefined));
  connected();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return false;
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
      if (seen(JSON.parse(data))) {
        await reader.cancel();
        return true;
      }
    }
  }
}
