-- A recalled message says who said it: memory_recall's `recalled` rows carry the message's role
-- and speaker name (memory_search returns them since 0073), as its `recent` rows do. Without
-- them the prompt listed the character's own earlier replies among the user's words, and a model
-- (the offline one did) could quote its own line back as something the user had said.
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
language plpgsql stable as $$
#variable_conflict use_column
begin
  return query
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
  select 'recalled', s.id, s.type, s.role, s.name, s.text, s.user_id, s.room_id, s.created_at, s.metadata,
    s.score, s.full_text, s.vector, s.full_text_rank, s.vector_rank
  from memory_search(
    p_agent_id => p_agent_id, p_query => p_query, p_user_id => p_user_id, p_embedding => p_embedding,
    p_limit => p_limit, p_exclude_ids => (select coalesce(array_agg(shown.id), '{}') from shown)
  ) s;
end;
$$;

-- memory_search_within of 0026 (the memories endpoint over a tenant's users) with who said each
-- message, as memory_search gives it: a new result type, so the function is dropped first.
drop function if exists memory_search_within(text, text, text, text, text[], integer);
create function memory_search_within(
  p_agent_id text, p_user_prefix text, p_query text, p_room_id text default null,
  p_types text[] default null, p_limit integer default 20
) returns table (
  id uuid, type text, text text, user_id text, room_id text, created_at timestamptz, metadata jsonb,
  score double precision, full_text real, role text, name text
) language plpgsql stable as $$
#variable_conflict use_column
begin
  return query
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
    h.rank::double precision, h.rank,
    case when h.type = 'message' then h.content ->> 'role' end, case when h.type = 'message' then h.content ->> 'name' end
  from hits h
  order by h.rank desc, h.created_at desc
  limit greatest(p_limit, 0);
end;
$$;
