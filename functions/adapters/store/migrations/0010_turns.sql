-- One row per TurnRequest id (Discord interaction id or API job id). Claiming the row is what
-- makes a redelivered queue message harmless: a turn is answered once, delivered until done.
--
-- status: queued   (API job written, message on its way to the queue)
--         running  (a runner holds the lease; an expired lease may be claimed again)
--         answered (reply stored; delivery not confirmed yet: a redelivery re-delivers it)
--         done     (delivered, or undeliverable but remembered)
--         failed   (gave up after the last attempt; error says why)
create table if not exists turns (
  id text primary key,
  agent_id text not null,
  user_id text not null,
  conversation text not null,
  source text not null,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'answered', 'done', 'failed')),
  -- The TurnRequest of an API job, so a queued job can be enqueued again after a restart.
  request jsonb,
  api_key_id text,
  attempts integer not null default 0,
  lease_until timestamptz,
  result jsonb,
  error text,
  timings jsonb,
  usage jsonb,
  delivery jsonb,
  -- How many of a reply's messages are out (a long Discord reply is @original plus follow-ups).
  -- Follow-ups are not idempotent on Discord's side, so a resumed delivery skips those already posted.
  delivered integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);

create index if not exists turns_unfinished on turns (created_at) where status in ('queued', 'running', 'answered');

-- Writes an API job before its message is queued; writing it twice returns the first row.
create or replace function turn_create_job(
  p_id text, p_agent_id text, p_user_id text, p_conversation text, p_request jsonb, p_api_key_id text default null
) returns setof turns language sql as $$
  insert into turns (id, agent_id, user_id, conversation, source, status, request, api_key_id)
  values (p_id, p_agent_id, p_user_id, p_conversation, 'api', 'queued', p_request, p_api_key_id)
  on conflict (id) do update set updated_at = turns.updated_at
  returning *;
$$;

-- Claims a turn for one attempt. outcome:
--   claimed  the caller runs the turn (attempts counts this attempt)
--   busy     another runner holds a live lease: retry later
--   answered the reply exists but delivery was not confirmed: deliver `result` again
--   finished done or failed already: nothing to do
-- `delivered` says how many messages of an answered reply are already out.
create or replace function turn_claim(
  p_id text, p_agent_id text, p_user_id text, p_conversation text, p_source text, p_lease_seconds integer
) returns table (outcome text, status text, attempts integer, result jsonb, delivered integer)
language plpgsql as $$
declare
  t turns;
begin
  insert into turns (id, agent_id, user_id, conversation, source, status)
  values (p_id, p_agent_id, p_user_id, p_conversation, p_source, 'queued')
  on conflict (id) do nothing;
  select * into t from turns where id = p_id for update;
  if t.status in ('done', 'failed') then
    return query select 'finished'::text, t.status, t.attempts, t.result, t.delivered;
  elsif t.status = 'answered' then
    return query select 'answered'::text, t.status, t.attempts, t.result, t.delivered;
  elsif t.status = 'running' and t.lease_until > now() then
    return query select 'busy'::text, t.status, t.attempts, t.result, t.delivered;
  else
    update turns set status = 'running', attempts = turns.attempts + 1,
      lease_until = now() + make_interval(secs => p_lease_seconds), updated_at = now()
    where id = p_id returning * into t;
    return query select 'claimed'::text, t.status, t.attempts, t.result, t.delivered;
  end if;
end;
$$;

-- Fencing for turn writes. A claim counts its attempt (turns.attempts); every later write of
-- that attempt passes the number back and changes nothing when another claim came since. A
-- hung invocation that outlives its lease therefore cannot overwrite or deliver over the retry
-- that took the turn from it: its write returns no row, and the runner stops there.

-- Stores the reply before delivery, so a crash after this point re-delivers instead of re-running.
create or replace function turn_answer(p_id text, p_attempt integer, p_result jsonb, p_timings jsonb, p_usage jsonb)
returns setof turns language sql as $$
  update turns set status = 'answered', result = p_result, timings = p_timings, usage = p_usage,
    error = null, lease_until = null, updated_at = now()
  where id = p_id and attempts = p_attempt and status in ('running', 'answered')
  returning *;
$$;

-- Delivery is over (delivered, or undeliverable with the reply kept): the turn is done.
create or replace function turn_finish(p_id text, p_attempt integer, p_delivery jsonb)
returns setof turns language sql as $$
  update turns set status = 'done', delivery = p_delivery, finished_at = now(), updated_at = now()
  where id = p_id and attempts = p_attempt and status in ('running', 'answered')
  returning *;
$$;

-- An attempt failed and the queue will try again: give the lease back and keep the reason.
create or replace function turn_release(p_id text, p_attempt integer, p_error text)
returns setof turns language sql as $$
  update turns set status = 'queued', lease_until = null, error = p_error, updated_at = now()
  where id = p_id and attempts = p_attempt and status = 'running'
  returning *;
$$;

-- The last attempt failed: the reason is kept (the apology's delivery via turn_record_delivery).
-- p_attempt 0 fails an API job that never reached the queue (no claim yet).
create or replace function turn_fail(p_id text, p_attempt integer, p_error text, p_delivery jsonb)
returns setof turns language sql as $$
  update turns set status = 'failed', error = p_error, delivery = p_delivery, lease_until = null,
    finished_at = now(), updated_at = now()
  where id = p_id and attempts = p_attempt and status in ('queued', 'running')
  returning *;
$$;

-- The apology of a failed turn goes out after turn_fail (so only the attempt that owned the turn
-- apologises); its delivery result is kept here afterwards.
create or replace function turn_record_delivery(p_id text, p_attempt integer, p_delivery jsonb)
returns setof turns language sql as $$
  update turns set delivery = p_delivery, updated_at = now()
  where id = p_id and attempts = p_attempt
  returning *;
$$;

-- Records that the first p_sent messages of the reply are out; never goes backwards.
create or replace function turn_delivered(p_id text, p_sent integer)
returns setof turns language sql as $$
  update turns set delivered = greatest(delivered, p_sent), updated_at = now()
  where id = p_id
  returning *;
$$;

create or replace function turn_get(p_id text)
returns setof turns language sql stable as $$
  select * from turns where id = p_id;
$$;

-- API jobs not finished yet, oldest first: what the local stack enqueues again after a restart.
create or replace function turn_unfinished_jobs(p_limit integer default 1000)
returns setof turns language sql stable as $$
  select * from turns
  where status in ('queued', 'running', 'answered') and request is not null
  order by created_at, id
  limit p_limit;
$$;

-- A turn whose last attempt died with its invocation (timeout, crash) stays `running` with an
-- expired lease, and the queue has no retry left to claim it: without this, its API job would
-- read `running` forever. The runner and the local stack call it about once a minute.
create or replace function turn_sweep_stale(p_max_attempts integer, p_reason text)
returns setof turns language sql as $$
  update turns set status = 'failed', error = p_reason, lease_until = null,
    finished_at = now(), updated_at = now()
  where status = 'running' and lease_until < now() and attempts >= p_max_attempts
  returning *;
$$;
