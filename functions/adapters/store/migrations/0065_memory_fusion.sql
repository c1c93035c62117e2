-- Hybrid fusion that weighs the vector ranking by its own confidence (replaces memory_search
-- of 0038, same signature). Full text counts as before; the vector list's scores (cosine,
-- scaled 0..1 over the list) count at 0.8 times its confidence: how far its best match stands
-- above the rest, (best − mean) / standard deviation over its nearest hundred. A list whose best
-- is not set apart (z ≤ 3.5: an embedder that places texts by their words, near-ties the full
-- text already ranks better) counts for nothing and the full-text order stands; from z = 5 it
-- counts in full. On the recall bench a bag-of-words embedder fused at a fixed 0.6 ranked below
-- full text alone (R@10 0.48 vs 0.51), while one that knows what a text is about ranked far
-- above it; weighed by confidence, the first ranks level with full text (R@10 0.51 per user
-- and 0.49 agent-wide, both; R@5 within 0.01 either way) and the second keeps its gain.
-- Lists of fewer than twenty say too little to judge and count in full.
--
-- The confidence is measured on the nearest hundred at least, so on lists of one length
-- whatever the limit; the list is fused as deep as before (four times the limit).

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
language plpgsql stable as $$
#variable_conflict use_column
declare
  depth integer := greatest(p_limit, 1) * 4;
  periods tstzrange[];
  span tstzrange;
  rest text;
  named text[];
  named_words text[];
  dated_users text[];
  lexemes text[];
  weights real[];
  queries tsquery[];
  counts bigint[];
  strengths real[];
  seeds text[];
  found_docs bigint := 0;
  any_q tsquery;
  phrase_q tsquery;
  docs bigint := 0;
  avgdl float8 := 1;
  period_weight float8 := 0;
  text_ids uuid[] := '{}';
  text_scores real[] := '{}';
  vector_ids uuid[] := '{}';
  vector_scores real[] := '{}';
  vector_depth integer := greatest(greatest(p_limit, 1) * 4, 100);
  vector_weight float8 := 0;
begin
  select t.periods, t.rest into periods, rest from memory_query_time(p_query, now()) t;
  select coalesce(array_agg(distinct s.user_id), '{}'), coalesce(array_agg(distinct s.word), '{}')
  into named, named_words
  from memory_query_speakers(p_agent_id, rest) s where p_all_users or s.user_id = p_user_id;
  select c.docs, greatest(c.lexemes::float8 / nullif(c.docs, 0), 1) into docs, avgdl
  from memory_corpus c where c.agent_id = p_agent_id;
  docs := coalesce(docs, 0);
  avgdl := coalesce(avgdl, 1);
  select array_agg(t.lexeme order by t.docs, t.lexeme), array_agg(t.weight * t.idf order by t.docs, t.lexeme),
    array_agg(memory_quote_lexeme(t.lexeme)::tsquery order by t.docs, t.lexeme),
    array_agg(t.docs order by t.docs, t.lexeme), array_agg(t.weight order by t.docs, t.lexeme)
  into lexemes, weights, queries, counts, strengths
  from memory_query_terms(p_agent_id, rest, named_words) t;
  -- The words that find candidates: not filler, rarest first, until they would find more than
  -- one memory in twenty (at least fifty). The rest still score the memories found, but finding
  -- every memory holding "go" would cost a scan of the agent's memories for a few hundredths of
  -- a point each.
  seeds := '{}';
  for i in 1 .. coalesce(cardinality(lexemes), 0) loop
    continue when strengths[i] < 0.5;
    exit when cardinality(seeds) > 0 and found_docs + counts[i] > greatest(0.05 * docs, 50);
    seeds := seeds || lexemes[i];
    found_docs := found_docs + counts[i];
  end loop;
  if cardinality(seeds) = 0 then seeds := lexemes[1:1]; end if;
  any_q := (select nullif(string_agg(memory_quote_lexeme(l), ' | '), '')::tsquery from unnest(seeds) l);
  phrase_q := memory_phrase_query(rest);
  -- Memories of the users asked about from the periods asked about (the user's own, or the
  -- users a question over all users names).
  dated_users := case when periods is null then '{}' when p_all_users then named else array[p_user_id] end;
  if periods is not null then
    span := tstzrange((select min(lower(p)) from unnest(periods) p), (select max(upper(p)) from unnest(periods) p));
  end if;

  if any_q is not null or cardinality(dated_users) > 0 then
    with found as materialized (
      -- The memories holding a seed word, found once through the GIN index (materialised, so
      -- the scoring join below cannot turn into one index scan per term). Bounded: when every
      -- word of a question is common, a thousand of them are plenty to rank.
      select m.id, m.user_id, m.room_id, m.type, m.created_at, m.tsv, length(m.tsv) as dl,
        phrase_q is not null and m.tsv @@ phrase_q as phrase
      from memories m
      where any_q is not null and m.tsv @@ any_q and m.agent_id = p_agent_id
        and (p_all_users or m.user_id is null or m.user_id = p_user_id)
        and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
      limit 1000
    ), word_hits as (
      -- BM25 with each term counted once per memory (chat turns rarely repeat a word, and BM25
      -- saturates at a second occurrence anyway): one join of the candidates with the terms, no
      -- per-memory subquery.
      select f.id, f.user_id, f.room_id, f.type, f.created_at,
        sum(t.w) * 2.2 / (1 + 1.2 * (0.25 + 0.75 * f.dl / avgdl)) + case when f.phrase then 1 else 0 end as s
      from found f
      join unnest(queries, weights) t (q, w) on f.tsv @@ t.q
      group by f.id, f.user_id, f.room_id, f.type, f.created_at, f.dl, f.phrase
    ), dated as (
      select m.id, m.user_id, m.room_id, m.type, m.created_at from memories m
      where m.agent_id = p_agent_id and m.user_id = any (dated_users)
        and m.created_at >= lower(span) and m.created_at < upper(span) and m.created_at <@ any (periods)
        and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
      order by m.created_at desc limit 200
    ), weighted as (
      -- A period is scored like a term whose documents are the memories from then.
      select ln(1 + (greatest(docs - n.n, 0) + 0.5) / (n.n + 0.5)) as w from (select count(*) as n from dated) n
    ), scored as (
      select coalesce(w.id, d.id) as id, coalesce(w.user_id, d.user_id) as user_id,
        coalesce(w.room_id, d.room_id) as room_id, coalesce(w.type, d.type) as type,
        coalesce(w.created_at, d.created_at) as created_at,
        (coalesce(w.s, 0)
          + case when periods is not null and coalesce(w.created_at, d.created_at) <@ any (periods)
            then (select weighted.w from weighted) else 0 end)
        * case when coalesce(w.user_id, d.user_id) = any (named) then 3 else 1 end as s
      from word_hits w full join dated d on d.id = w.id
    ), best as (
      select * from scored s order by s.s desc, s.created_at desc limit 20
    ), context as (
      -- The turns just before and after each of the best twenty messages, in the same conversation.
      select n.id, max(b.s) * 0.5 as bonus from best b
      cross join lateral (
        (select m.id from memories m
         where m.agent_id = p_agent_id and m.room_id = b.room_id and m.created_at < b.created_at
           and m.created_at > b.created_at - interval '12 hours' and m.user_id = b.user_id and m.type = 'message'
           and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
         order by m.created_at desc limit 1)
        union all
        (select m.id from memories m
         where m.agent_id = p_agent_id and m.room_id = b.room_id and m.created_at > b.created_at
           and m.created_at < b.created_at + interval '12 hours' and m.user_id = b.user_id and m.type = 'message'
           and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
         order by m.created_at limit 1)
      ) n
      where b.type = 'message' and b.room_id is not null
      group by n.id
    ), ranked as (
      select coalesce(s.id, x.id) as id, (coalesce(s.s, 0) + coalesce(x.bonus, 0))::real as s,
        coalesce(s.created_at, '-infinity') as at
      from scored s full join context x on x.id = s.id
      order by 2 desc, 3 desc limit depth
    )
    select coalesce(array_agg(r.id order by r.s desc, r.at desc), '{}'), coalesce(array_agg(r.s order by r.s desc, r.at desc), '{}')
    into text_ids, text_scores from ranked r;
  end if;

  if p_embedding is not null then
    -- Per-user rows by an exact scan over the (agent_id, user_id) btree (an HNSW scan filtered
    -- to one user returns about one row in ten); shared rows through their HNSW index (0003).
    with own as (
      select m.id, m.embedding <=> p_embedding as d from memories m
      where not p_all_users and m.agent_id = p_agent_id and m.user_id = p_user_id and m.embedding is not null
        and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
      order by d limit vector_depth
    ), everyone as (
      select m.id, m.embedding <=> p_embedding as d from memories m
      where p_all_users and m.agent_id = p_agent_id and m.user_id is not null and m.embedding is not null
        and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
      order by d limit vector_depth
    ), shared as (
      select m.id, m.embedding <=> p_embedding as d from memories m
      where m.agent_id = p_agent_id and m.user_id is null and m.embedding is not null
        and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
      order by d limit vector_depth
    ), nearest as (
      select * from own union all select * from everyone union all select * from shared order by d limit vector_depth
    )
    select coalesce(array_agg(v.id order by v.d), '{}'), coalesce(array_agg((1 - v.d)::real order by v.d), '{}')
    into vector_ids, vector_scores from nearest v;
    select case when count(*) < 20 then 0.8
      else 0.8 * least(greatest(((max(s) - avg(s)) / nullif(stddev_pop(s), 0) - 3.5) / 1.5, 0), 1) end
    into vector_weight
    from unnest(vector_scores) s;
    vector_weight := coalesce(vector_weight, 0);
    -- Fused as deep as full text: the rest only measured the confidence.
    vector_ids := vector_ids[1:depth];
    vector_scores := vector_scores[1:depth];
  end if;

  return query
  with t as (
    select u.id, u.s, u.n::integer as r from unnest(text_ids, text_scores) with ordinality u (id, s, n)
  ), v as (
    select u.id, u.s, u.n::integer as r from unnest(vector_ids, vector_scores) with ordinality u (id, s, n)
  ), fused as (
    select coalesce(t.id, v.id) as id, t.s as full_text, v.s as vector, t.r as text_rank, v.r as vec_rank,
      case when cardinality(vector_ids) = 0 then coalesce(1.0 / (60 + t.r), 0)
      else coalesce(t.s / nullif(max(t.s) over (), 0), case when t.s is not null then 1 end, 0)
        -- A memory only the vectors found is still ordered by them when the list counts for
        -- nothing beside full text (below every full-text hit), or when full text found nothing.
        + case when t.s is null then greatest(vector_weight, 1e-6) else vector_weight end
          * coalesce((v.s - min(v.s) over ()) / nullif(max(v.s) over () - min(v.s) over (), 0),
          case when v.s is not null then 1 end, 0)
      end as score
    from t full join v on v.id = t.id
  )
  select m.id, m.type, m.content ->> 'text', m.user_id, m.room_id, m.created_at, m.metadata,
    f.score::double precision, f.full_text, f.vector, f.text_rank, f.vec_rank
  from fused f join memories m on m.id = f.id
  order by f.score desc, m.created_at desc
  limit greatest(p_limit, 0);
end;
$$;
