-- Tenants: every API key belongs to one, and what a key's callers stored (users, jobs, posts)
-- belongs to its tenant. By default a key is its own tenant (its id); keys created with the
-- same --tenant share users and jobs, so a key can be rotated without making every user a
-- stranger. API ids are stored `api:<tenant>:<id>` by the API itself; this migration adds the
-- columns that tie rows to a tenant where the id alone cannot (keys, jobs) and the memory
-- queries scoped to a tenant's users. Posts: 0028.
alter table api_keys add column if not exists tenant text;
update api_keys set tenant = id where tenant is null;
alter table api_keys alter column tenant set not null;
-- Per-key limits; null means the environment's default (CARRIER_KEY_* settings).
alter table api_keys add column if not exists rate_per_minute integer;
alter table api_keys add column if not exists burst integer;
alter table api_keys add column if not exists max_in_flight integer;

drop function if exists api_key_create(text, text, text, text[]);
create or replace function api_key_create(
  p_id text, p_name text, p_hash text, p_scopes text[], p_tenant text default null,
  p_rate_per_minute integer default null, p_burst integer default null, p_max_in_flight integer default null
) returns setof api_keys language sql as $$
  insert into api_keys (id, name, hash, scopes, tenant, rate_per_minute, burst, max_in_flight)
  values (p_id, p_name, p_hash, p_scopes, coalesce(p_tenant, p_id), p_rate_per_minute, p_burst, p_max_in_flight)
  returning *;
$$;

-- Sets a key's limits: p_clear names the limits that go back to the environment's default.
create or replace function api_key_set_limits(
  p_id text, p_rate_per_minute integer default null, p_burst integer default null,
  p_max_in_flight integer default null, p_clear text[] default '{}'
) returns setof api_keys language sql as $$
  update api_keys set
    rate_per_minute = case when 'rate_per_minute' = any (p_clear) then null else coalesce(p_rate_per_minute, rate_per_minute) end,
    burst = case when 'burst' = any (p_clear) then null else coalesce(p_burst, burst) end,
    max_in_flight = case when 'max_in_flight' = any (p_clear) then null else coalesce(p_max_in_flight, max_in_flight) end
  where id = p_id
  returning *;
$$;

-- Jobs carry their tenant: GET /v1/jobs/{id} shows a job to the keys of its tenant only. Jobs
-- written before tenants belong to the key that made them (its default tenant).
alter table turns add column if not exists tenant text;
update turns set tenant = api_key_id where tenant is null and api_key_id is not null;

drop function if exists turn_create_job(text, text, text, text, jsonb, text);
create or replace function turn_create_job(
  p_id text, p_agent_id text, p_user_id text, p_conversation text, p_request jsonb,
  p_api_key_id text default null, p_tenant text default null
) returns setof turns language sql as $$
  insert into turns (id, agent_id, user_id, conversation, source, status, request, api_key_id, tenant)
  values (p_id, p_agent_id, p_user_id, p_conversation, 'api', 'queued', p_request, p_api_key_id, p_tenant)
  on conflict (id) do update set updated_at = turns.updated_at
  returning *;
$$;

-- What an API key with memories:read sees when it names no user: its tenant's users' memories
-- (ids starting `api:<tenant>:`) and the agent's shared ones, never another tenant's or a
-- Discord user's. Ranked by full text, as the memories endpoint searches without an embedder.
create or replace function memory_search_within(
  p_agent_id text, p_user_prefix text, p_query text, p_room_id text default null,
  p_types text[] default null, p_limit integer default 20
) returns table (
  id uuid, type text, text text, user_id text, room_id text, created_at timestamptz, metadata jsonb,
  score double precision, full_text real
) language sql stable as $$
  with q as (select memory_or_query(p_query) as any_q, memory_phrase_query(p_query) as phrase_q),
  hits as (
    select m.*, (ts_rank(m.tsv, q.any_q, 1)
      + case when q.phrase_q is not null and m.tsv @@ q.phrase_q then ts_rank(m.tsv, q.phrase_q, 1) + 0.05 else 0 end
    )::real as rank
    from memories m, q
    where m.agent_id = p_agent_id
      and (m.user_id is null or starts_with(m.user_id, p_user_prefix))
      and (p_room_id is null or m.room_id = p_room_id)
      and (p_types is null or m.type = any (p_types))
      and m.superseded_by is null
      and q.any_q is not null and m.tsv @@ q.any_q
  )
  select h.id, h.type, h.content ->> 'text', h.user_id, h.room_id, h.created_at, h.metadata,
    h.rank::double precision, h.rank
  from hits h
  order by h.rank desc, h.created_at desc
  limit greatest(p_limit, 0);
$$;

-- Newest first, the same scope as memory_search_within.
create or replace function memory_list_within(
  p_agent_id text, p_user_prefix text, p_room_id text default null, p_type text default null,
  p_limit integer default 20
) returns table (
  id uuid, type text, text text, user_id text, room_id text, created_at timestamptz, metadata jsonb
) language sql stable as $$
  select m.id, m.type, m.content ->> 'text', m.user_id, m.room_id, m.created_at, m.metadata
  from memories m
  where m.agent_id = p_agent_id
    and (m.user_id is null or starts_with(m.user_id, p_user_prefix))
    and (p_room_id is null or m.room_id = p_room_id)
    and (p_type is null or m.type = p_type)
  order by m.created_at desc, m.id desc
  limit greatest(p_limit, 0);
$$;
