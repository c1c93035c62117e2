import { beforeEach, describe, expect, it } from 'vitest';
import { SqlTurnRepository } from '#core/adapters/store/turns.ts';
import {
  InFlightLimitError,
  TurnFencedError,
  type StoredReply,
  type TurnRepository,
} from '#core/ports/turns.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { claimedJob, turnRequest } from '#test/runner/support/requests.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

const reply = (text: string): StoredReply => ({
  reply: text,
  model: { provider: 'offline', name: 'echo' },
  notices: [],
  toolCalls: 0,
});

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('turns store contract: %s', (name) => {
  let turns: TurnRepository;
  beforeEach(async () => {
    if (name === 'in-memory') {
      turns = new InMemoryTurnRepository();
      return;
    }
    await stores().reset();
    turns = new SqlTurnRepository(stores().adapters[name]);
  });

  it('writes an API job once: writing the same id again returns the first row', async () => {
    const request = turnRequest({ text: 'first' });
    const job = await turns.createJob(request, { apiKeyId: 'key-1', tenant: 'key-1' });
    const again = await turns.createJob(
      { ...request, text: 'second' },
      { apiKeyId: 'key-2', tenant: 'key-2' },
    );
    expect(job).toMatchObject({ id: request.id, source: 'api', status: 'queued', attempts: 0 });
    expect(again).toMatchObject({ api_key_id: 'key-1', tenant: 'key-1', request: { text: 'first' } });
    expect(await turns.get(request.id)).toMatchObject({
      agent_id: 'ada',
      user_id: 'u1',
      conversation: 'room-1',
    });
    expect(await turns.get('no-such-turn')).toBeUndefined();
  });

  it('claims a turn once while its lease lives, and again once it has expired', async () => {
    const request = turnRequest({ source: 'discord' });
    expect(await turns.claim(request, { leaseSeconds: 60 })).toEqual({ outcome: 'claimed', attempts: 1 });
    expect(await turns.claim(request, { leaseSeconds: 60 })).toEqual({ outcome: 'busy' });
    expect(await turns.get(request.id)).toMatchObject({
      source: 'discord',
      status: 'running',
      request: null,
    });

    const crashed = turnRequest();
    await turns.claim(crashed, { leaseSeconds: 0 });
    expect(await turns.claim(crashed, { leaseSeconds: 60 })).toEqual({ outcome: 'claimed', attempts: 2 });
  });

  it('hands an answered turn back with its reply and how much of it is out, and a finished one as finished', async () => {
    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 60 });
    await turns.answer(request.id, 1, reply('hello'), { timings: { model: 5 }, usage: { totalTokens: 15 } });
    await turns.delivered(request.id, 2);
    await turns.delivered(request.id, 1);
    expect(await turns.claim(request, { leaseSeconds: 60 })).toEqual({
      outcome: 'answered',
      attempts: 1,
      result: reply('hello'),
      delivered: 2,
    });
    expect(await turns.get(request.id)).toMatchObject({
      status: 'answered',
      lease_until: null,
      timings: { model: 5 },
      usage: { totalTokens: 15 },
    });

    await turns.finish(request.id, 1, { status: 'delivered', messages: 2 });
    expect(await turns.claim(request, { leaseSeconds: 60 })).toEqual({ outcome: 'finished', status: 'done' });
    const done = await turns.get(request.id);
    expect(done).toMatchObject({ status: 'done', delivery: { status: 'delivered', messages: 2 } });
    expect(done?.finished_at).not.toBeNull();
  });

  it('refuses a turn write from an attempt that is no longer the latest claim', async () => {
    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 0 });
    await turns.claim(request, { leaseSeconds: 60 });

    await expect(turns.answer(request.id, 1, reply('stale'))).rejects.toBeInstanceOf(TurnFencedError);
    await expect(turns.release(request.id, 1, 'late')).rejects.toBeInstanceOf(TurnFencedError);
    await expect(turns.answer(request.id, 2, reply('fresh'))).resolves.toBeUndefined();
    await expect(turns.finish(request.id, 1, { status: 'delivered' })).rejects.toBeInstanceOf(
      TurnFencedError,
    );
    expect(await turns.get(request.id)).toMatchObject({
      status: 'answered',
      attempts: 2,
      result: reply('fresh'),
    });
    await expect(turns.answer('no-such-turn', 1, reply('x'))).rejects.toMatchObject({
      name: 'TurnFencedError',
      message:
        'turn no-such-turn: answer by attempt 1 refused; a later attempt holds the turn or it already moved on',
    });
  });

  it('gives a failed attempt back with its reason, but only while that attempt runs', async () => {
    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 60 });
    await turns.release(request.id, 1, 'APIError 429: rate limited');
    expect(await turns.get(request.id)).toMatchObject({
      status: 'queued',
      lease_until: null,
      error: 'APIError 429: rate limited',
    });
    await expect(turns.release(request.id, 1, 'again')).rejects.toBeInstanceOf(TurnFencedError);

    expect(await turns.claim(request, { leaseSeconds: 60 })).toEqual({ outcome: 'claimed', attempts: 2 });
    await turns.answer(request.id, 2, reply('ok'));
    expect(await turns.get(request.id)).toMatchObject({ status: 'answered', error: null });
    await expect(turns.release(request.id, 2, 'too late')).rejects.toBeInstanceOf(TurnFencedError);
  });

  it('fails a never-claimed job with attempt 0 and keeps the apology’s delivery of the attempt that failed it', async () => {
    const job = turnRequest();
    await turns.createJob(job);
    await turns.fail(
      job.id,
      0,
      { error: 'the queue refused the message', code: 'queue_unavailable' },
      { status: 'none' },
    );
    expect(await turns.get(job.id)).toMatchObject({
      status: 'failed',
      error: 'the queue refused the message',
      error_code: 'queue_unavailable',
    });
    await expect(
      turns.fail(job.id, 0, { error: 'twice', code: 'queue_unavailable' }, {}),
    ).rejects.toBeInstanceOf(TurnFencedError);

    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 60 });
    await turns.fail(request.id, 1, { error: 'APIError 503: model unavailable', code: 'agent_failed' }, {});
    await turns.recordDelivery(request.id, 1, { status: 'delivered', messages: 1 });
    await expect(turns.recordDelivery(request.id, 2, { status: 'late' })).rejects.toBeInstanceOf(
      TurnFencedError,
    );
    expect(await turns.get(request.id)).toMatchObject({
      status: 'failed',
      error: 'APIError 503: model unavailable',
      delivery: { status: 'delivered', messages: 1 },
    });
    expect(await turns.claim(request, { leaseSeconds: 60 })).toEqual({
      outcome: 'finished',
      status: 'failed',
    });
  });

  it('sweeps a job whose last attempt ran out of time, and leaves the ones that may still end', async () => {
    const stale = await claimedJob(turns, 3);
    const retryComing = await claimedJob(turns, 1);
    const stillRunning = await claimedJob(turns, 3, 60);

    const swept = await turns.sweepStale(3, { error: 'out of time', code: 'timed_out' });

    expect(swept.map((t) => t.id)).toEqual([stale]);
    expect(await turns.get(stale)).toMatchObject({
      status: 'failed',
      error: 'out of time',
      error_code: 'timed_out',
      lease_until: null,
    });
    expect(await turns.get(retryComing)).toMatchObject({ status: 'running', attempts: 1 });
    expect(await turns.get(stillRunning)).toMatchObject({ status: 'running', attempts: 3 });
    expect(await turns.sweepStale(3, { error: 'out of time', code: 'timed_out' })).toEqual([]);
  });

  it('lists the API jobs not finished yet, oldest first', async () => {
    const [a, b, c, d] = [turnRequest(), turnRequest(), turnRequest(), turnRequest()];
    for (const r of [a, b, c, d]) await turns.createJob(r!);
    await turns.claim(b!, { leaseSeconds: 60 });
    await turns.fail(c!.id, 0, { error: 'refused', code: 'queue_unavailable' }, {});
    await turns.claim(turnRequest({ source: 'discord' }), { leaseSeconds: 60 });

    expect((await turns.unfinishedJobs()).map((t) => t.id)).toEqual([a!.id, b!.id, d!.id]);
    expect((await turns.unfinishedJobs(1)).map((t) => t.id)).toEqual([a!.id]);
  });

  it('caps a key’s unfinished jobs: a new job over the cap writes nothing, a resend of a known one still answers', async () => {
    const owner = { apiKeyId: 'key-1', tenant: 'acme', maxInFlight: 2 };
    const [a, b, c] = [turnRequest(), turnRequest(), turnRequest()];
    await turns.createJob(a!, owner);
    await turns.createJob(b!, owner);
    await expect(turns.createJob(c!, owner)).rejects.toBeInstanceOf(InFlightLimitError);
    expect(await turns.get(c!.id)).toBeUndefined();
    expect(await turns.createJob(a!, owner)).toMatchObject({ id: a!.id, tenant: 'acme' });
    // Another key of the same tenant has a cap of its own.
    await turns.createJob(c!, { ...owner, apiKeyId: 'key-2' });
    // A finished job no longer counts.
    await turns.fail(a!.id, 0, { error: 'refused', code: 'queue_unavailable' }, {});
    expect(await turns.createJob(turnRequest(), owner)).toMatchObject({ status: 'queued' });
  });

  it('lists the jobs no queue took once their grace is over, and not once one is marked enqueued', async () => {
    const [lost, sent, claimed] = [turnRequest(), turnRequest(), turnRequest()];
    for (const r of [lost, sent, claimed]) await turns.createJob(r!, { apiKeyId: 'k', tenant: 'k' });
    await turns.markEnqueued(sent!.id);
    await turns.markEnqueued(sent!.id);
    await turns.claim(claimed!, { leaseSeconds: 60 });
    expect(await turns.unqueuedJobs(30, new Date())).toEqual([]);
    const later = new Date(Date.now() + 60_000);
    expect((await turns.unqueuedJobs(30, later)).map((t) => t.id)).toEqual([lost!.id]);
    expect((await turns.get(sent!.id))?.enqueued_at).not.toBeNull();
    expect(await turns.unqueuedJobs(30, later, 0)).toEqual([]);
  });

  it('gives up on a dead letter: waits for a live lease, fails the rest with the last error, hands back an answer', async () => {
    const failure = { error: 'the message was dead-lettered', code: 'gave_up' } as const;
    const running = turnRequest();
    await turns.claim(running, { leaseSeconds: 60 });
    expect(await turns.giveUp(running, failure)).toEqual({ outcome: 'busy' });

    const crashed = turnRequest();
    await turns.claim(crashed, { leaseSeconds: 60 });
    await turns.release(crashed.id, 1, 'APIError 503');
    expect(await turns.giveUp(crashed, failure)).toEqual({
      outcome: 'failed',
      status: 'failed',
      attempts: 1,
    });
    expect(await turns.get(crashed.id)).toMatchObject({
      status: 'failed',
      error: 'the message was dead-lettered; last error: APIError 503',
      error_code: 'gave_up',
    });
    expect(await turns.giveUp(crashed, failure)).toEqual({
      outcome: 'finished',
      status: 'failed',
      attempts: 1,
    });

    const unseen = turnRequest({ source: 'discord' });
    expect(await turns.giveUp(unseen, failure)).toMatchObject({ outcome: 'failed' });
    expect(await turns.get(unseen.id)).toMatchObject({
      source: 'discord',
      status: 'failed',
      error_code: 'gave_up',
    });

    const answered = turnRequest();
    await turns.claim(answered, { leaseSeconds: 60 });
    await turns.answer(answered.id, 1, reply('late'));
    expect(await turns.giveUp(answered, failure)).toEqual({
      outcome: 'answered',
      attempts: 1,
      result: reply('late'),
      delivered: 0,
    });
  });

  it('grants a failed turn’s apology once, and none to a turn that is not failed or already apologised for', async () => {
    const failed = turnRequest();
    await turns.giveUp(failed, { error: 'dead-lettered', code: 'gave_up' });
    expect(await turns.claimApology(failed.id)).toMatchObject({
      id: failed.id,
      delivery: { status: 'apologising' },
    });
    expect(await turns.claimApology(failed.id)).toBeUndefined();

    const apologised = turnRequest();
    await turns.claim(apologised, { leaseSeconds: 60 });
    await turns.fail(
      apologised.id,
      1,
      { error: 'boom', code: 'agent_failed' },
      { status: 'delivered', messages: 1 },
    );
    expect(await turns.claimApology(apologised.id)).toBeUndefined();

    const running = turnRequest();
    await turns.claim(running, { leaseSeconds: 60 });
    expect(await turns.claimApology(running.id)).toBeUndefined();
    expect(await turns.claimApology('no-such-turn')).toBeUndefined();
  });
});
