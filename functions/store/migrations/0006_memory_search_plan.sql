-- memory_search, planned per branch: 0002's version shared one filtered CTE between its three
-- branches, which Postgres materialises (every row of the agent scanned, no index used).

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
