-- How many of a reply's messages are out (a long Discord reply is @original plus follow-ups).
-- Follow-ups are not idempotent on Discord's side, so a runner that resumes a delivery after a
-- crash skips the ones already posted.
alter table turns add column if not exists delivered integer not null default 0;

drop function if exists turn_claim(text, text, text, text, text, integer);

-- As in 0010, plus `delivered` for an `answered` turn.
create function turn_claim(
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

-- Records that the first p_sent messages of the reply are out; never goes backwards.
create or replace function turn_delivered(p_id text, p_sent integer)
returns setof turns language sql as $$
  update turns set delivered = greatest(delivered, p_sent), updated_at = now()
  where id = p_id
  returning *;
$$;
