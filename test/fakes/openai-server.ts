import type { ScriptedReply } from './scripted-http-server.ts';

/**
 * Reply bodies in the OpenAI wire formats, for scripting a loopback server that stands in for
 * `OPENAI_BASE_URL` (serve them under `/v1`).
 */
const usage = { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 };

export function chatToolCall(name: string, args: object, id = 'call_1'): ScriptedReply {
  return chat({
    role: 'assistant',
    content: null,
    tool_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }],
  });
}

export function chatText(text: string): ScriptedReply {
  return chat({ role: 'assistant', content: text });
}

function chat(message: object): ScriptedReply {
  return {
    body: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4.1-mini',
      choices: [{ index: 0, message, finish_reason: 'stop', logprobs: null }],
      usage,
    },
  };
}

export function responsesToolCall(name: string, args: object, callId = 'call_1'): ScriptedReply {
  return response([
    {
      type: 'function_call',
      id: 'fc_1',
      call_id: callId,
      name,
      arguments: JSON.stringify(args),
      status: 'completed',
    },
  ]);
}

export function responsesText(text: string): ScriptedReply {
  return response([
    {
      type: 'message',
      id: 'msg_1',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text, annotations: [] }],
    },
  ]);
}

/**
 * A Responses API reply as the server streams it (`stream: true`): created, one text delta
 * per word, then completed with the whole response.
 *
 * @example
 * res.writeHead(200, { 'content-type': 'text/event-stream' }).end(responsesTextStream('Hi there'));
 */
export function responsesTextStream(text: string): string {
  const done = responsesText(text).body as { id: string };
  const events: object[] = [
    { type: 'response.created', response: { ...done, status: 'in_progress', output: [] } },
  ];
  for (const delta of text.match(/\s*\S+\s*/g) ?? []) {
    events.push({
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta,
    });
  }
  events.push({ type: 'response.completed', response: done });
  return events
    .map(
      (e, i) =>
        `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify({ ...e, sequence_number: i })}\n\n`,
    )
    .join('');
}

function response(output: object[]): ScriptedReply {
  return {
    body: {
      id: `resp_${output.length}_${Math.random().toString(36).slice(2)}`,
      object: 'response',
      created_at: 1_700_000_000,
      model: 'gpt-4.1-mini',
      status: 'completed',
      output,
      usage: {
        input_tokens: 120,
        output_tokens: 12,
        total_tokens: 132,
        input_tokens_details: { cached_tokens: 100 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    },
  };
}

/**
 * A `POST /v1/embeddings` answer for `count` inputs, with `vector(index)` as each embedding.
 * The items come in reverse order on purpose: a client must place each by its `index`.
 *
 * @example
 * const server = await startScriptedServer([embeddings(2, (i) => axisVector(i))]);
 */
export function embeddings(
  count: number,
  vector: (index: number) => number[],
  model = 'text-embedding-3-small',
): ScriptedReply {
  const data = Array.from({ length: count }, (_, index) => ({
    object: 'embedding',
    index,
    embedding: vector(index),
  }));
  return { body: { object: 'list', model, data: data.reverse(), usage: {} } };
}
