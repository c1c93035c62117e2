-- Every memory operation the runtime and the CLI need, as SQL functions: PGlite and Postgres
-- call them with `select * from fn(...)`, Supabase through PostgREST RPC. Counts are integer
-- (not bigint) and vectors travel as text, so every transport returns the same JSON-able rows.

-- Stores rows given as a JSON array of {agent_id, user_id, room_id, type, content, metadata,
-- source_id, created_at, embedding, embedding_model}. A row whose source_id exists already is
-- not stored again: `inserted` says which happened.
create or replace function memory_insert(p_rows jsonb)
returns table (id uuid, source_id text, inserted boolean)
language sql as $$
  with input as (
    select r.*
    from jsonb_to_recordset(p_rows) as r (
      agent_id text, user_id text, room_id text, type text, content jsonb, metadata jsonb,
      source_id text, created_at timestamptz, embedding vector(1536), embedding_model text)
  ), added as (
    insert into memories as m (agent_id, user_id, room_id, type, content, metadata, source_id, created_at,
      embedding, embedding_model, content_sha256)
    select agent_id, user_id, room_id, type, content, coalesce(metadata, '{}'::jsonb), source_id,
      coalesce(created_at, now()), embedding, embedding_model,
      encode(sha256(convert_to(content ->> 'text', 'UTF8')), 'hex')
    from input
    on conflict (source_id) do nothing
    returning m.id, m.source_id
  )
  select added.id, added.source_id, true from added
  union all
  select m.id, m.source_id, false
  from input join memories m on m.source_id = input.source_id
  where not exists (select 1 from added a where a.source_id = input.source_id);
$$;

-- The user's latest exchanges in one room, oldest first. Only this user's: in a shared
-- channel another user's (possibly ephemeral) exchange is not this user's memory.
create or replace function memory_recent(p_agent_id text, p_user_id text, p_room_id text, p_limit integer default 12)
returns table (id uuid, role text, name text, text text, created_at timestamptz)
language sql stable as $$
  select id, role, name, text, created_at from (
    select m.id, coalesce(m.content ->> 'role', 'user') as role, m.content ->> 'name' as name,
      m.content ->> 'text' as text, m.created_at
    from memories m
    where m.agent_id = p_agent_id and m.user_id = p_user_id and m.room_id = p_room_id and m.type = 'message'
    order by m.created_at desc, m.id desc
    limit greatest(p_limit, 0)
  ) latest order by created_at, id;
$$;

-- Hybrid recall: full-text ranking (OR of the question's lexemes, phrase bonus) and cosine
-- similarity, each ranked, fused by reciprocal rank fusion (k = 60). Each row says why it was
-- recalled. With p_embedding null it is full-text only.
--
-- Scope: p_user_id's memories and shared ones (user_id null); p_all_users widens it to every
-- user of the agent (the operator's CLI only). Never another agent's.
-- Vectors: per-user rows by an exact scan over the (agent_id, user_id) btree; shared rows
-- through the HNSW index on shared rows (0003).
create or replace function memory_search(
  p_agent_id text,
  p_query text,
  p_user_id text default null,
  p_embedding vector(1536) default null,
  p_room_id text default null,
  p_types text[] default null,
  p_since timestamptz default null,
  p_until timestamptz default null,
  p_limit integer default 8,
  p_all_users boolean default false,
  p_include_superseded boolean default false,
  p_exclude_ids uuid[] default null
)
returns table (
  id uuid, type text, text text, user_id text, room_id text, created_at timestamptz, metadata jsonb,
  score double precision, full_text real, vector real, full_text_rank integer, vector_rank integer
)
language sql stable as $$
  with q as (
    select memory_or_query(p_query) as any_q, memory_phrase_query(p_query) as phrase_q,
      greatest(p_limit, 1) * 4 as depth
  ), candidates as not materialized (
    -- The filters every branch shares, inlined into each branch so each can use its own index
    -- (GIN for words, btree for one user's rows, HNSW for shared rows); a CTE used three times
    -- would otherwise be materialised, scanning every row of the agent.
    select m.* from memories m
    where m.agent_id = p_agent_id
      and (p_all_users or m.user_id is null or m.user_id = p_user_id)
      and (p_room_id is null or m.room_id = p_room_id)
      and (p_types is null or m.type = any (p_types))
      and (p_since is null or m.created_at >= p_since)
      and (p_until is null or m.created_at < p_until)
      and (p_include_superseded or m.superseded_by is null)
      and (p_exclude_ids is null or m.id <> all (p_exclude_ids))
  ), text_hits as (
    select c.id,
      (ts_rank(c.tsv, q.any_q, 1)
        + case when q.phrase_q is not null and c.tsv @@ q.phrase_q then ts_rank(c.tsv, q.phrase_q, 1) + 0.05 else 0 end
      )::real as s
    from candidates c, q
    where q.any_q is not null and c.tsv @@ q.any_q
    order by s desc, c.created_at desc
    limit (select depth from q)
  ), own_vectors as (
    select c.id, c.embedding <=> p_embedding as d from candidates c
    where p_embedding is not null and c.embedding is not null and c.user_id is not null
    order by d limit (select depth from q)
  ), shared_vectors as (
    select c.id, c.embedding <=> p_embedding as d from candidates c
    where p_embedding is not null and c.embedding is not null and c.user_id is null
    order by d limit (select depth from q)
  ), vector_hits as (
    select v.id, (1 - v.d)::real as s from (
      select * from own_vectors union all select * from shared_vectors
    ) v order by v.d limit (select depth from q)
  ), ranked as (
    select coalesce(t.id, v.id) as id, t.s as full_text, v.s as vector,
      (rank() over (order by t.s desc nulls last))::integer as text_rank,
      (rank() over (order by v.s desc nulls last))::integer as vec_rank
    from text_hits t full join vector_hits v on v.id = t.id
  )
  select m.id, m.type, m.content ->> 'text', m.user_id, m.room_id, m.created_at, m.metadata,
    coalesce(1.0 / (60 + case when r.full_text is null then null else r.text_rank end), 0)
      + coalesce(1.0 / (60 + case when r.vector is null then null else r.vec_rank end), 0) as score,
    r.full_text, r.vector,
    case when r.full_text is null then null else r.text_rank end,
    case when r.vector is null then null else r.vec_rank end
  from ranked r join memories m on m.id = r.id
  order by score desc, m.created_at desc
  limit greatest(p_limit, 0);
$$;

-- Lists memories newest first, for the CLI.
create or replace function memory_list(
  p_agent_id text, p_user_id text default null, p_room_id text default null, p_type text default null,
  p_limit integer default 20, p_offset integer default 0
)
returns table (
  id uuid, type text, text text, user_id text, room_id text, created_at timestamptz, metadata jsonb,
  source_id text, has_embedding boolean, superseded_by uuid
)
language sql stable as $$
  select m.id, m.type, m.content ->> 'text', m.user_id, m.room_id, m.created_at, m.metadata, m.source_id,
    m.embedding is not null, m.superseded_by
  from memories m
  where m.agent_id = p_agent_id
    and (p_user_id is null or m.user_id = p_user_id)
    and (p_room_id is null or m.room_id = p_room_id)
    and (p_type is null or m.type = p_type)
  order by m.created_at desc, m.id desc
  limit greatest(p_limit, 0) offset greatest(p_offset, 0);
$$;

-- Counts per agent and type; the CLI's `stats`.
create or replace function memory_stats(p_agent_id text default null)
returns table (
  agent_id text, type text, memories integer, with_embedding integer, superseded integer, users integer,
  oldest timestamptz, newest timestamptz
)
language sql stable as $$
  select m.agent_id, m.type, count(*)::integer, count(m.embedding)::integer, count(m.superseded_by)::integer,
    count(distinct m.user_id)::integer, min(m.created_at), max(m.created_at)
  from memories m
  where p_agent_id is null or m.agent_id = p_agent_id
  group by m.agent_id, m.type
  order by m.agent_id, m.type;
$$;

-- Removes what ties one user to one agent: memories, embedding-cache rows whose text no other
-- memory uses, and finished turn records (done or failed). The /forget request's own turn
-- (p_keep_turn_id) and turns still in flight stay: they make a redelivered message harmless.
-- The turns table belongs to the pipeline migrations, so it is reached by dynamic SQL only when
-- it exists. Returns how many of each went.
create or replace function memory_forget_user(p_agent_id text, p_user_id text, p_keep_turn_id text default null)
returns table (memories integer, embeddings integer, turns integer)
language plpgsql as $$
declare
  hashes text[];
  n_memories integer;
  n_embeddings integer;
  n_turns integer := 0;
begin
  select coalesce(array_agg(distinct m.content_sha256), '{}') into hashes
  from memories m where m.agent_id = p_agent_id and m.user_id = p_user_id;
  delete from memories m where m.agent_id = p_agent_id and m.user_id = p_user_id;
  get diagnostics n_memories = row_count;
  delete from embedding_cache c
  where c.sha256 = any (hashes) and not exists (select 1 from memories m where m.content_sha256 = c.sha256);
  get diagnostics n_embeddings = row_count;
  if to_regclass('turns') is not null then
    execute 'delete from turns where agent_id = $1 and user_id = $2 and id is distinct from $3'
      ' and status in (''done'', ''failed'')'
      using p_agent_id, p_user_id, p_keep_turn_id;
    get diagnostics n_turns = row_count;
  end if;
  return query select n_memories, n_embeddings, n_turns;
end;
$$;

-- Embeddings cached for texts, by their sha256.
create or replace function embedding_cache_get(p_model text, p_hashes text[])
returns table (sha256 text, embedding text)
language sql stable as $$
  select c.sha256, c.embedding::text from embedding_cache c where c.model = p_model and c.sha256 = any (p_hashes);
$$;

-- Caches embeddings given as a JSON array of {sha256, embedding}; returns how many were new.
create or replace function embedding_cache_put(p_model text, p_entries jsonb)
returns table (stored integer)
language sql as $$
  with added as (
    insert into embedding_cache (model, sha256, embedding)
    select p_model, e.sha256, e.embedding
    from jsonb_to_recordset(p_entries) as e (sha256 text, embedding vector(1536))
    on conflict do nothing
    returning 1
  )
  select count(*)::integer from added;
$$;

-- Which parameters of the schema's functions are json or jsonb: the Supabase adapter sends
-- those as JSON values even when a caller passed JSON text.
create or replace function store_json_params()
returns table (fn text, param text)
language sql stable as $$
  select p.proname::text, a.name::text
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  cross join lateral unnest(
    coalesce(p.proallargtypes, p.proargtypes::oid[]),
    p.proargnames,
    coalesce(p.proargmodes, array_fill('i'::"char", array[p.pronargs]))
  ) as a (type_oid, name, mode)
  where n.nspname = current_schema() and a.mode in ('i', 'b') and a.type_oid in ('json'::regtype, 'jsonb'::regtype);
$$;
