import type { ModelRequest } from '@openai/agents';
import { describe, expect, it } from 'vitest';
import { DYNAMIC_MARKER } from '#core/agents/instructions.ts';
import { toMessagesRequest } from '#core/adapters/models/anthropic-request.ts';

const request = (fields: Partial<ModelRequest>): ModelRequest => ({
  input: 'hi',
  modelSettings: {},
  tools: [],
  outputType: 'text',
  handoffs: [],
  tracing: false,
  ...fields,
});

describe('toMessagesRequest', () => {
  it('answers two parallel tool calls with one user message holding both results', () => {
    const body = toMessagesRequest(
      request({
        input: [
          { role: 'user', content: 'time in Paris and Tokyo?' },
          {
            type: 'function_call',
            callId: 'a',
            name: 'current_time',
            arguments: '{"timeZone":"Europe/Paris"}',
          },
          {
            type: 'function_call',
            callId: 'b',
            name: 'current_time',
            arguments: '{"timeZone":"Asia/Tokyo"}',
          },
          {
            type: 'function_call_result',
            callId: 'a',
            name: 'current_time',
            status: 'completed',
            output: '10:00',
          },
          {
            type: 'function_call_result',
            callId: 'b',
            name: 'current_time',
            status: 'completed',
            output: { type: 'text', text: '17:00' },
          },
        ],
      }),
      'claude-sonnet-5-5',
      1024,
    );
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'time in Paris and Tokyo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'a', name: 'current_time', input: { timeZone: 'Europe/Paris' } },
          { type: 'tool_use', id: 'b', name: 'current_time', input: { timeZone: 'Asia/Tokyo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'a', content: '10:00' },
          { type: 'tool_result', tool_use_id: 'b', content: '17:00' },
        ],
      },
    ]);
  });

  it('keeps the stable prompt alone in the cached block and moves system messages after it', () => {
    const body = toMessagesRequest(
      request({
        systemInstructions: `You are Ada.${DYNAMIC_MARKER}# What you remember\n- likes teal`,
        input: [
          { role: 'system', content: 'Answer briefly.' },
          { role: 'user', content: 'hi' },
        ],
      }),
      'claude-sonnet-5-5',
      1024,
    );
    expect(body.system).toEqual([
      { type: 'text', text: 'You are Ada.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: '# What you remember\n- likes teal' },
      { type: 'text', text: 'Answer briefly.' },
    ]);
  });

  it('maps tool choice and max tokens from the model settings', () => {
    const tool = {
      type: 'function' as const,
      name: 'f',
      description: 'd',
      parameters: { type: 'object' as const, properties: {}, required: [], additionalProperties: false },
      strict: true,
    };
    const body = toMessagesRequest(
      request({
        tools: [tool],
        modelSettings: { toolChoice: 'required', parallelToolCalls: false, maxTokens: 99 },
      }),
      'claude-sonnet-5-5',
      1024,
    );
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(body.max_tokens).toBe(99);
  });

  it('says plainly what it cannot send: structured output and OpenAI hosted tools', () => {
    expect(() =>
      toMessagesRequest(
        request({
          outputType: {
            type: 'json_schema',
            name: 'o',
            strict: true,
            schema: { type: 'object', properties: {}, required: [], additionalProperties: false },
          },
        }),
        'claude-sonnet-5-5',
        1024,
      ),
    ).toThrow('the Anthropic model answers in text only; give the agent no outputType');
    expect(() =>
      toMessagesRequest(
        request({ tools: [{ type: 'hosted_tool', name: 'web_search' }] }),
        'claude-sonnet-5-5',
        1024,
      ),
    ).toThrow(
      'tool "web_search" (hosted_tool) runs on OpenAI only; the Anthropic model takes function and MCP tools',
    );
  });
});
