import type { ScriptedReply } from './scripted-http-server.ts';

/**
 * Reply bodies in the Anthropic Messages wire format, for scripting a loopback server that
 * stands in for `ANTHROPIC_BASE_URL` (the client posts to `/v1/messages`).
 */
export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export function toolUse(
  name: string,
  input: object,
  usage: FakeUsage,
  id = 'toolu_1',
  preamble = 'Let me look that up.',
): ScriptedReply {
  return message(
    [
      { type: 'text', text: preamble, citations: null },
      { type: 'tool_use', id, name, input, caller: { type: 'direct' } },
    ],
    'tool_use',
    usage,
  );
}

export function text(answer: string, usage: FakeUsage): ScriptedReply {
  return message([{ type: 'text', text: answer, citations: null }], 'end_turn', usage);
}

function message(content: object[], stopReason: string, usage: FakeUsage): ScriptedReply {
  return {
    body: {
      id: `msg_${stopReason}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
    },
  };
}

/**
 * A scripted message as the Messages API streams it when asked with `stream: true`: message_start,
 * each text block in word-sized deltas, each tool_use block's input as one JSON delta, then
 * message_delta (stop reason, output tokens) and message_stop.
 *
 * @example
 * const server = await startScriptedServer([streamed(text('kiln is cooling.', usage))]);
 */
export function streamed(reply: ScriptedReply): ScriptedReply {
  const message = reply.body as {
    content: Array<{ type: string; text?: string; input?: object }>;
    stop_reason: string;
    usage: FakeUsage;
  };
  const events: Array<[string, object]> = [
    ['message_start', { message: { ...message, content: [], stop_reason: null } }],
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(['content_block_start', { index, content_block: { ...block, text: '' } }]);
      for (const word of block.text!.match(/\s*\S+\s*/g) ?? [])
        events.push(['content_block_delta', { index, delta: { type: 'text_delta', text: word } }]);
    } else {
      events.push(['content_block_start', { index, content_block: { ...block, input: {} } }]);
      const json = JSON.stringify(block.input ?? {});
      events.push([
        'content_block_delta',
        { index, delta: { type: 'input_json_delta', partial_json: json } },
      ]);
    }
    events.push(['content_block_stop', { index }]);
  });
  events.push(
    [
      'message_delta',
      {
        delta: { stop_reason: message.stop_reason, stop_sequence: null },
        usage: { output_tokens: message.usage.output_tokens },
      },
    ],
    ['message_stop', {}],
  );
  return {
    headers: { 'content-type': 'text/event-stream' },
    body: events
      .map(([type, data]) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`)
      .join(''),
  };
}
