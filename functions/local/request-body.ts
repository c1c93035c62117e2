/**
 * A request's body, at most `limit` bytes, or undefined past the limit. A Content-Length over
 * the limit is refused before anything is read; a longer body (chunked, or lying about its
 * length) is read only up to the limit and the rest is left unread, so a client cannot make the
 * local server buffer an endless upload. The caller answers 413 with `connection: close`.
 *
 * @example
 * const body = await limitedBody(request, 64 * 1024); // undefined: too large
 */
export async function limitedBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return undefined;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stops pulling: the rest stays in the socket until the server closes it after the 413.
      void reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
