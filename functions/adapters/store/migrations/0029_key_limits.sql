-- Per-key limits: a token bucket for requests and a cap on queued + running turns.
--
-- The bucket of a key holds at most p_burst tokens and refills p_rate_per_minute a minute; each
-- request takes one. One row per key, updated under its row lock, so concurrent API Lambdas
-- share one bucket. The clock is a parameter (now() by default) so tests can move it.
create table if not exists api_rate_buckets (
  key_id text primary key,
  tokens double precision not null,
  updated_at timestamptz not null
);

create or replace function api_rate_take(
  p_key_id text, p_rate_per_minute integer, p_burst integer, p_now timestamptz default now()
) returns table (allowed boolean, remaining integer, retry_after_ms integer)
language plpgsql as $$
declare
  per_ms double precision := greatest(p_rate_per_minute, 1) / 60000.0;
  held double precision;
  since timestamptz;
  available double precision;
begin
  insert into api_rate_buckets as b (key_id, tokens, updated_at) values (p_key_id, p_burst, p_now)
  on conflict (key_id) do nothing;
  select b.tokens, b.updated_at into held, since from api_rate_buckets b where b.key_id = p_key_id for update;
  -- Clocks of two Lambdas may disagree a little: time never runs backwards for a bucket.
  available := least(p_burst::double precision,
    held + greatest(0, extract(epoch from (p_now - since)) * 1000) * per_ms);
  if available >= 1 then
    update api_rate_buckets b set tokens = available - 1, updated_at = greatest(p_now, since)
    where b.key_id = p_key_id;
    return query select true, floor(available - 1)::integer, 0;
  else
    update api_rate_buckets b set tokens = available, updated_at = greatest(p_now, since)
    where b.key_id = p_key_id;
    return query select false, 0, ceil((1 - available) / per_ms)::integer;
  end if;
end;
$$;

-- The in-flight cap counts a key's turns that are not finished yet.
create index if not exists turns_in_flight_by_key on turns (api_key_id)
  where status in ('queued', 'running', 'answered');

-- Writes an API job before its message is queued; writing the same id again returns the first
-- row. With p_max_in_flight, a new job is refused (no row) while the key already has that many
-- queued, running or answered turns; the key's lock makes the count and the insert one step.
drop function if exists turn_create_job(text, text, text, text, jsonb, text, text);
create or replace function turn_create_job(
  p_id text, p_agent_id text, p_user_id text, p_conversation text, p_request jsonb,
  p_api_key_id text default null, p_tenant text default null, p_max_in_flight integer default null
) returns setof turns language plpgsql as $$
begin
  return query select * from turns t where t.id = p_id;
  if found then return; end if;
  if p_max_in_flight is not null and p_api_key_id is not null then
    perform pg_advisory_xact_lock(hashtext('turn_in_flight'), hashtext(p_api_key_id));
    if (select count(*) from turns t
        where t.api_key_id = p_api_key_id and t.status in ('queued', 'running', 'answered')) >= p_max_in_flight then
      return;
    end if;
  end if;
  return query
    insert into turns as t (id, agent_id, user_id, conversation, source, status, request, api_key_id, tenant)
    values (p_id, p_agent_id, p_user_id, p_conversation, 'api', 'queued', p_request, p_api_key_id, p_tenant)
    on conflict (id) do update set updated_at = t.updated_at
    returning *;
end;
$$;
