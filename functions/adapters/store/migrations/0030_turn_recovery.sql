-- No accepted turn is left without an end: answered, apologised, or failed with its reason.
--
-- 1. A job whose row was written but whose message never reached the queue (the API process
--    died in between) is queued again by the recovery sweep: the API marks a job enqueued once
--    the queue took it, and the sweep takes the jobs still unmarked after a grace period.
-- 2. A message that lands in a dead-letter queue is settled by the dead-letter consumer: its
--    turn is failed with the reason (turn_give_up), and exactly one apology is sent
--    (turn_claim_apology), whoever failed the turn.
alter table turns add column if not exists enqueued_at timestamptz;

create index if not exists turns_unqueued on turns (created_at)
  where status = 'queued' and enqueued_at is null;

create or replace function turn_mark_enqueued(p_id text)
returns setof turns language sql as $$
  update turns set enqueued_at = coalesce(enqueued_at, now()), updated_at = now()
  where id = p_id
  returning *;
$$;

-- API jobs written more than p_grace_seconds ago that no queue has taken yet, oldest first.
create or replace function turn_unqueued_jobs(
  p_grace_seconds integer, p_limit integer default 100, p_now timestamptz default now()
) returns setof turns language sql stable as $$
  select * from turns
  where status = 'queued' and enqueued_at is null and attempts = 0 and request is not null
    and created_at < p_now - make_interval(secs => p_grace_seconds)
  order by created_at, id
  limit p_limit;
$$;

-- Gives up on a dead-lettered turn. outcome:
--   failed   the turn was queued or running (lease over) and is now failed with p_error/p_error_code;
--            a turn never claimed (no row: every claim failed) is written failed
--   busy     a runner still holds a live lease: settle it once the lease is over
--   answered the reply is stored but was never delivered: the caller delivers it once more
--   finished it was done or failed already
-- The internal reason keeps the last attempt's error, when there was one.
create or replace function turn_give_up(
  p_id text, p_agent_id text, p_user_id text, p_conversation text, p_source text,
  p_error text, p_error_code text
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
    update turns set status = 'failed', error_code = p_error_code, lease_until = null,
      error = p_error || coalesce('; last error: ' || turns.error, ''),
      finished_at = now(), updated_at = now()
    where id = p_id returning * into t;
    return query select 'failed'::text, t.status, t.attempts, t.result, t.delivered;
  end if;
end;
$$;

-- The right to send a failed turn's apology: granted once, to the first caller, when no apology
-- has gone out (delivery unset, or left 'pending' by an attempt that died before recording it).
-- A claim that was never recorded (its holder died too) can be taken again after two minutes.
create or replace function turn_claim_apology(p_id text)
returns setof turns language sql as $$
  update turns set delivery = '{"status": "apologising"}'::jsonb, updated_at = now()
  where id = p_id and status = 'failed'
    and (delivery is null or delivery ->> 'status' = 'pending'
         or (delivery ->> 'status' = 'apologising' and updated_at < now() - interval '2 minutes'))
  returning *;
$$;
