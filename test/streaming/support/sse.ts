/** One Server-Sent Event as a client parses it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Reads a `text/event-stream` response event by event, as `curl -N` shows it: each event as
 * soon as its blank line arrives. Comments (keep-alives) are skipped.
 *
 * @example
 * for await (const e of sseEvents(await fetch(url))) if (e.event === 'done') break;
 */
export async function* sseEvents(response: Response): AsyncGenerator<SseEvent> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const [field, ...rest] = line.split(':');
          const text = rest.join(':').replace(/^ /, '');
          if (field === 'id') event.id = text;
          else if (field === 'event') event.event = text;
          else if (field === 'data') data.push(text);
        }
        if (data.length === 0 && !event.id) continue;
        event.data = data.join('\n');
        yield event;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
