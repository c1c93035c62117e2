-- What a turn needs in one round trip each: recall (recent exchanges, facts about the user,
-- hybrid search), facts for reflection, knowledge import by source, embeddings filled in later.

-- Everything recall puts before a turn, by section:
--   recent   the user's latest exchanges in this room (memory_recent), oldest first
--   fact     the user's current facts, newest first: small, durable, relevant to any question
--   recalled memory_search hits not already in the sections above, best first
create or replace function memory_recall(
  p_agent_id text,
  p_user_id text,
  p_room_id text,
  p_query text,
  p_embedding vector(1536) default null,
  p_limit integer default 8,
  p_recent_limit integer default 12,
  p_fact_limit integer default 10
)
returns table (
  section text, id uuid, type text, role text, name text, text text, user_id text, room_id text,
  created_at timestamptz, metadata jsonb, score double precision, full_text real, vector real,
  full_text_rank integer, vector_rank integer
)
language sql stable as $$
  with recent as (
    select * from memory_recent(p_agent_id, p_user_id, p_room_id, p_recent_limit)
  ), facts as (
    select m.* from memories m
    where m.agent_id = p_agent_id and m.user_id = p_user_id and m.type = 'fact' and m.superseded_by is null
    order by m.created_at desc, m.id desc
    limit greatest(p_fact_limit, 0)
  ), shown as (
    select r.id from recent r union all select f.id from facts f
  )
  select 'recent', r.id, 'message', r.role, r.name, r.text, p_user_id, p_room_id, r.created_at, '{}'::jsonb,
    null::double precision, null::real, null::real, null::integer, null::integer
  from recent r
  union all
  select 'fact', f.id, f.type, null, null, f.content ->> 'text', f.user_id, f.room_id, f.created_at, f.metadata,
    null, null, null, null, null
  from facts f
  union all
  select 'recalled', s.id, s.type, null, null, s.text, s.user_id, s.room_id, s.created_at, s.metadata,
    s.score, s.full_text, s.vector, s.full_text_rank, s.vector_rank
  from memory_search(
    p_agent_id => p_agent_id, p_query => p_query, p_user_id => p_user_id, p_embedding => p_embedding,
    p_limit => p_limit, p_exclude_ids => (select coalesce(array_agg(shown.id), '{}') from shown)
  ) s;
$$;

-- The user's current facts, for reflection to compare against.
create or replace function memory_facts(p_agent_id text, p_user_id text, p_limit integer default 50)
returns table (id uuid, text text, key text, value text, created_at timestamptz)
language sql stable as $$
  select m.id, m.content ->> 'text', m.content ->> 'key', m.content ->> 'value', m.created_at
  from memories m
  where m.agent_id = p_agent_id and m.user_id = p_user_id and m.type = 'fact' and m.superseded_by is null
  order by m.created_at desc, m.id desc
  limit greatest(p_limit, 0);
$$;

create or replace function memory_normalize(p_text text)
returns text language sql immutable as $$
  select lower(regexp_replace(btrim(coalesce(p_text, '')), '[\s.!]+', ' ', 'g'));
$$;

-- Adds one fact about a user. outcome:
--   duplicate  the same fact is known already (same text, or same key and value): nothing stored
--   added      a new fact
--   superseded a new fact that contradicts current facts with the same key: they stay, as
--              history, with superseded_by pointing at it
create or replace function memory_add_fact(
  p_agent_id text,
  p_user_id text,
  p_text text,
  p_key text default null,
  p_value text default null,
  p_room_id text default null,
  p_source_id text default null,
  p_metadata jsonb default '{}'::jsonb,
  p_embedding vector(1536) default null,
  p_embedding_model text default null
)
returns table (id uuid, outcome text, superseded uuid[])
language plpgsql as $$
#variable_conflict use_column
declare
  known uuid;
  added uuid;
  replaced uuid[] := '{}';
begin
  -- One user's reflections at a time, so two turns cannot both add the same fact.
  perform pg_advisory_xact_lock(hashtext('memory_fact:' || p_agent_id), hashtext(p_user_id));
  select m.id into known from memories m
  where (p_source_id is not null and m.source_id = p_source_id)
     or (m.agent_id = p_agent_id and m.user_id = p_user_id and m.type = 'fact' and m.superseded_by is null
         and (memory_normalize(m.content ->> 'text') = memory_normalize(p_text)
              or (p_key is not null and p_value is not null and m.content ->> 'key' = p_key
                  and memory_normalize(m.content ->> 'value') = memory_normalize(p_value))))
  limit 1;
  if known is not null then
    return query select known, 'duplicate'::text, '{}'::uuid[];
    return;
  end if;
  insert into memories (agent_id, user_id, room_id, type, content, metadata, source_id, embedding,
    embedding_model, content_sha256)
  values (p_agent_id, p_user_id, p_room_id, 'fact',
    jsonb_strip_nulls(jsonb_build_object('text', p_text, 'key', p_key, 'value', p_value)),
    coalesce(p_metadata, '{}'::jsonb), p_source_id, p_embedding, p_embedding_model,
    encode(sha256(convert_to(p_text, 'UTF8')), 'hex'))
  returning memories.id into added;
  if p_key is not null then
    with old as (
      update memories m set superseded_by = added, superseded_at = now()
      where m.agent_id = p_agent_id and m.user_id = p_user_id and m.type = 'fact' and m.superseded_by is null
        and m.content ->> 'key' = p_key and m.id <> added
      returning m.id
    )
    select coalesce(array_agg(old.id), '{}') into replaced from old;
  end if;
  return query select added, (case when cardinality(replaced) > 0 then 'superseded' else 'added' end)::text, replaced;
end;
$$;

-- Imports one knowledge source (a file, or the character's inline strings) as a whole: rows
-- are stored idempotently by source_id, and rows of that source that are no longer in it are
-- removed, so editing a file and importing again leaves exactly the new chunks.
create or replace function memory_replace_source(p_agent_id text, p_source text, p_rows jsonb)
returns table (inserted integer, kept integer, removed integer)
language plpgsql as $$
#variable_conflict use_column
declare
  n_inserted integer;
  n_kept integer;
  n_removed integer;
  ids uuid[];
begin
  select count(*) filter (where r.inserted)::integer, count(*) filter (where not r.inserted)::integer,
    coalesce(array_agg(r.id), '{}')
  into n_inserted, n_kept, ids
  from memory_insert(p_rows) r;
  delete from memories m
  where m.agent_id = p_agent_id and m.user_id is null and m.metadata ->> 'source' = p_source
    and m.id <> all (ids);
  get diagnostics n_removed = row_count;
  return query select n_inserted, n_kept, n_removed;
end;
$$;

-- Fills in embeddings computed after a row was stored (messages are stored before they are
-- embedded, so the reply is never kept waiting). Given as a JSON array of {id, embedding}.
create or replace function memory_set_embeddings(p_model text, p_rows jsonb)
returns table (updated integer)
language sql as $$
  with done as (
    update memories m set embedding = e.embedding, embedding_model = p_model
    from jsonb_to_recordset(p_rows) as e (id uuid, embedding vector(1536))
    where m.id = e.id
    returning 1
  )
  select count(*)::integer from done;
$$;
