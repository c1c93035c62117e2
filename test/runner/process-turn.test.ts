import { pinnedOutbound } from '#core/adapters/http/pinned-fetch.ts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TurnRepository } from '#core/ports/turns.ts';
import { TurnFencedError } from '#core/ports/turns.ts';
import { McpPool } from '#core/mcp/pool.ts';
import { APOLOGY, processTurnRequest, TurnBusyError, type RunnerDeps } from '#core/turns/process-turn.ts';
import { EchoModel, httpError } from './support/echo-model.ts';
import { turnRequest } from './support/requests.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { testRunnerDeps } from './support/runner-deps.ts';

// The runner's logic over the in-memory turns; test/store/turns-contract.test.ts holds them to the SQL.
let turns: InMemoryTurnRepository;
beforeEach(() => {
  turns = new InMemoryTurnRepository();
});

const deps = (model: EchoModel, extra: Partial<RunnerDeps> = {}) => testRunnerDeps(turns, model, extra);

describe('processTurnRequest', () => {
  it('answers a request, stores the reply on the turn and delivers it once', async () => {
    const { runner, delivery } = deps(new EchoModel());
    const request = turnRequest({ text: 'hello there' });

    await expect(processTurnRequest(request, { receiveCount: 1 }, runner)).resolves.toBe('answered');

    expect(delivery.sent).toEqual([
      { id: request.id, conversation: 'room-1', outcome: { kind: 'reply', text: 'echo: hello there' } },
    ]);
    const row = await turns.get(request.id);
    expect(row).toMatchObject({ status: 'done', attempts: 1, result: { reply: 'echo: hello there' } });
    expect(row?.usage).toMatchObject({ requests: 1, totalTokens: 15 });
  });

  it('ignores a redelivered request: no second reply, no second memories, no second model call', async () => {
    const model = new EchoModel();
    const { runner, delivery, memory } = deps(model);
    const request = turnRequest();

    await processTurnRequest(request, { receiveCount: 1 }, runner);
    await expect(processTurnRequest(request, { receiveCount: 2 }, runner)).resolves.toBe('duplicate');

    expect(delivery.count(request.id)).toBe(1);
    expect(model.calls).toBe(1);
    const recalled = await memory.recall({ agentId: 'ada', userId: 'u1', roomId: 'room-1', text: 'x' });
    expect(recalled.recent).toHaveLength(2);
  });

  it('gives a failed attempt back to the queue with the reason, then answers on the retry', async () => {
    const model = new EchoModel((call) => {
      if (call === 1) throw httpError(429, 'rate limited');
    });
    const { runner, delivery } = deps(model);
    const request = turnRequest();

    await expect(processTurnRequest(request, { receiveCount: 1 }, runner)).rejects.toThrow('rate limited');
    expect(await turns.get(request.id)).toMatchObject({
      status: 'queued',
      error: 'APIError 429: rate limited',
    });

    await expect(processTurnRequest(request, { receiveCount: 2 }, runner)).resolves.toBe('answered');
    expect(delivery.count(request.id)).toBe(1);
    expect(await turns.get(request.id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('apologises on the last attempt and marks the turn failed with the reason', async () => {
    const model = new EchoModel(() => {
      throw httpError(503, 'model unavailable');
    });
    const { runner, delivery } = deps(model);
    const request = turnRequest();

    await expect(processTurnRequest(request, { receiveCount: 3 }, runner)).resolves.toBe('apologised');

    expect(delivery.sent).toEqual([
      {
        id: request.id,
        conversation: 'room-1',
        outcome: {
          kind: 'apology',
          text: APOLOGY,
          reason: 'APIError 503: model unavailable',
          code: 'agent_failed',
        },
      },
    ]);
    expect(await turns.get(request.id)).toMatchObject({
      status: 'failed',
      error: 'APIError 503: model unavailable',
    });
  });

  it('delivers the stored reply again, resuming after what was sent and without a new model call, when delivery failed', async () => {
    const model = new EchoModel();
    const { runner, delivery } = deps(model);
    const request = turnRequest({ text: 'once' });
    let failures = 1;
    delivery.next = async (_request, _outcome, options) => {
      if (failures-- > 0) {
        await options.onProgress?.({ sent: 1 });
        throw new Error('Discord 502');
      }
      return undefined;
    };

    await expect(processTurnRequest(request, { receiveCount: 1 }, runner)).rejects.toThrow('Discord 502');
    expect(await turns.get(request.id)).toMatchObject({ status: 'answered' });

    await expect(processTurnRequest(request, { receiveCount: 2 }, runner)).resolves.toBe('redelivered');
    expect(delivery.options[1]?.resumeFrom).toEqual({ sent: 1 });
    expect(model.calls).toBe(1);
    expect(delivery.sent.map((s) => s.outcome)).toEqual([{ kind: 'reply', text: 'echo: once' }]);
    expect(await turns.get(request.id)).toMatchObject({ status: 'done' });
  });

  it('finishes the turn and keeps the memory when the reply target is gone', async () => {
    const { runner, delivery, memory } = deps(new EchoModel());
    delivery.next = async () => ({ status: 'undeliverable', reason: 'Discord 10015: Unknown Webhook' });
    const request = turnRequest({ conversation: 'gone' });

    await processTurnRequest(request, { receiveCount: 1 }, runner);

    expect(await turns.get(request.id)).toMatchObject({
      status: 'done',
      delivery: { status: 'undeliverable', reason: 'Discord 10015: Unknown Webhook' },
    });
    const recalled = await memory.recall({ agentId: 'ada', userId: 'u1', roomId: 'gone', text: 'x' });
    expect(recalled.recent).toHaveLength(2);
  });

  it('leaves a turn another runner holds a live lease on to a later retry', async () => {
    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 60 });
    const { runner, delivery } = deps(new EchoModel());

    await expect(processTurnRequest(request, { receiveCount: 2 }, runner)).rejects.toBeInstanceOf(
      TurnBusyError,
    );
    expect(delivery.sent).toEqual([]);
  });

  it('claims a turn again once the lease of a crashed runner has expired', async () => {
    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 0 });
    const { runner, delivery } = deps(new EchoModel());

    await expect(processTurnRequest(request, { receiveCount: 2 }, runner)).resolves.toBe('answered');
    expect(delivery.count(request.id)).toBe(1);
    expect(await turns.get(request.id)).toMatchObject({ attempts: 2 });
  });

  it('stops a hung attempt that outlived its lease before it delivers or remembers, once the retry answered', async () => {
    let resume!: () => void;
    const hung = new Promise<void>((resolve) => (resume = resolve));
    const model = new EchoModel(async (call) => {
      if (call === 1) await hung;
    });
    // Lease 0: the first attempt's lease is over at once, as if it outlived invocationTimeoutMs.
    const { runner, delivery, memory } = deps(model, { leaseSeconds: 0 });
    const request = turnRequest({ text: 'race' });

    const first = processTurnRequest(request, { receiveCount: 1 }, runner);
    await vi.waitFor(() => expect(model.calls).toBe(1));
    await expect(processTurnRequest(request, { receiveCount: 2 }, runner)).resolves.toBe('answered');
    resume();

    await expect(first).resolves.toBe('superseded');
    expect(delivery.count(request.id)).toBe(1);
    const recalled = await memory.recall({ agentId: 'ada', userId: 'u1', roomId: 'room-1', text: 'x' });
    expect(recalled.recent).toHaveLength(2);
    expect(await turns.get(request.id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('keeps in memory the reply it records, not one from an attempt whose answer was refused', async () => {
    const { runner, memory } = deps(new EchoModel());
    const request = turnRequest({ text: 'only once' });
    const answer = turns.answer.bind(turns);
    let refused = false;
    runner.turns = Object.assign(Object.create(turns) as TurnRepository, {
      answer: async (...args: Parameters<TurnRepository['answer']>) => {
        if (!refused) {
          refused = true;
          throw new TurnFencedError(request.id, args[1], 'answer');
        }
        return answer(...args);
      },
    });

    await expect(processTurnRequest(request, { receiveCount: 1 }, runner)).resolves.toBe('superseded');
    const recalled = await memory.recall({ agentId: 'ada', userId: 'u1', roomId: 'room-1', text: 'x' });
    expect(recalled.recent).toHaveLength(0);
  });

  it('forgets a user on a forget request and confirms it', async () => {
    const forgotten: Array<{ agentId: string; userId: string; keepTurnId?: string }> = [];
    const { runner, delivery } = deps(new EchoModel(), {
      forget: async (query) => {
        forgotten.push(query);
        return { deleted: 4 };
      },
    });
    const request = turnRequest({ action: 'forget', text: '' });

    await expect(processTurnRequest(request, { receiveCount: 1 }, runner)).resolves.toBe('forgotten');
    expect(forgotten).toEqual([{ agentId: 'ada', userId: 'u1', keepTurnId: request.id }]);
    expect(delivery.sent[0]?.outcome).toEqual({
      kind: 'reply',
      text: 'Done: I forgot 4 memories about you.',
    });
  });

  it('answers anyway when the character’s MCP server is down', async () => {
    const mcp = new McpPool(
      {
        mcpServers: {
          everything: {
            type: 'streamable-http',
            url: 'http://127.0.0.1:9/mcp',
            cache_tools_list: true,
            timeout_ms: 2000,
          },
        },
      },
      { allowStdio: false, outbound: pinnedOutbound('loopback') },
    );
    const warnings: string[] = [];
    const log = { info: () => undefined, error: () => undefined, warn: (m: string) => warnings.push(m) };
    const { runner, delivery } = deps(new EchoModel(), { mcp, log });
    const request = turnRequest({ character: 'orbit', text: 'still there?' });

    await expect(processTurnRequest(request, { receiveCount: 1 }, runner)).resolves.toBe('answered');
    expect(delivery.sent[0]?.outcome).toEqual({ kind: 'reply', text: 'echo: still there?' });
    expect(warnings).toContain('MCP server skipped for this turn');
    await mcp.close();
  });
});
