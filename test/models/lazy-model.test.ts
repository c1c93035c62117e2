import type { Model, ModelRequest, ModelResponse, StreamEvent } from '@openai/agents';
import { describe, expect, it } from 'vitest';
import { LazyModel } from '#core/adapters/models/lazy-model.ts';

const response = { output: [], usage: {} } as unknown as ModelResponse;
const inner: Model = {
  getResponse: async () => response,
  async *getStreamedResponse(): AsyncIterable<StreamEvent> {
    yield { type: 'response_started' };
  },
};
const request = {} as ModelRequest;

describe('a model loaded at its first request', () => {
  it('loads once, answers and streams through the loaded model', async () => {
    let loads = 0;
    const model = new LazyModel(async () => (loads++, inner));
    expect(loads).toBe(0);
    expect(await model.getResponse(request)).toBe(response);
    const events: StreamEvent[] = [];
    for await (const event of model.getStreamedResponse(request)) events.push(event);
    expect(events).toEqual([{ type: 'response_started' }]);
    expect(loads).toBe(1);
  });

  it('tries a failed load again at the next request', async () => {
    let loads = 0;
    const model = new LazyModel(async () => {
      if (++loads === 1) throw new Error('not installed');
      return inner;
    });
    await expect(model.getResponse(request)).rejects.toThrow('not installed');
    expect(await model.getResponse(request)).toBe(response);
  });
});
