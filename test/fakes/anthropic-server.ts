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
