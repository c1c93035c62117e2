import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { embeddings, responsesText, responsesTextStream } from '#test/fakes/openai-server.ts';

export interface OpenAIEchoPeer {
  /** `http://127.0.0.1:<port>/v1`: the OPENAI_BASE_URL the secret holds. */
  baseUrl: string;
  /** The user text of every turn the model answered, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

/** What the model answers to `text`: tests compare the Discord message with it. */
export const echoReply = (text: string) => `You said: ${text}`;

/**
 * An OpenAI-protocol server on loopback that answers by content instead of by script, so any
 * number of turns in any order get a predictable answer: the Responses API echoes the last user
 * message (`echoReply`), structured-output requests (reflection) get an empty fact list, and
 * embeddings are small deterministic vectors.
 *
 * @example
 * const openai = await startOpenAIEcho(); // OPENAI_BASE_URL=openai.baseUrl
 */
export async function startOpenAIEcho(): Promise<OpenAIEchoPeer> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as ModelRequest;
      let reply: unknown;
      if (req.url?.endsWith('/embeddings')) {
        const inputs = Array.isArray(body.input) ? body.input : [body.input];
        reply = embeddings(inputs.length, (i) => vectorOf(String(inputs[i]))).body;
      } else if (req.url?.endsWith('/responses')) {
        const structured = body.text?.format?.type === 'json_schema';
        const text = lastUserText(body.input);
        if (!structured) asked.push(text);
        const answer = structured ? '{"facts":[]}' : echoReply(text);
        if (body.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          return res.end(responsesTextStream(answer));
        }
        reply = responsesText(answer).body;
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    asked,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

interface ModelRequest {
  input?: unknown;
  stream?: boolean;
  text?: { format?: { type?: string } };
}

type Item = { role?: string; content?: string | Array<{ type?: string; text?: string }> };

function lastUserText(input: unknown): string {
  if (typeof input === 'string') return input;
  const items = (Array.isArray(input) ? input : []) as Item[];
  const user = items.filter((item) => item.role === 'user').at(-1);
  if (!user) return '';
  if (typeof user.content === 'string') return user.content;
  return (user.content ?? []).map((part) => part.text ?? '').join('');
}

/** 1536 numbers from the text's characters: the same text always embeds the same. */
function vectorOf(text: string): number[] {
  const v = Array.from(
    { length: 1536 },
    (_, i) => ((text.charCodeAt(i % Math.max(1, text.length)) || 1) % 17) / 17,
  );
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}
