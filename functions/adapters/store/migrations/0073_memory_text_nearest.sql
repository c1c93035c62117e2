-- Full-text recall reads its candidates through the GIN index again, and a search fetches its
-- hits by their keys.
--
-- GIN's fast update put every new memory in the index's pending list, which only a vacuum (or
-- 4 MB of it) merges; PGlite runs no autovacuum, so the list held every memory ever stored and
-- a search through the index read all of it. The planner saw that and scanned the table
-- instead: at 10k memories the agent-wide candidates took ~9 ms of a 13 ms search. Without fast
-- update each insert writes its words into the index itself.
--
-- memory_search joined its hundred hits to memories with a hash join over the whole table (its
-- kept plan expects many), ~40 ms at 100k: they are now read by key. Full-text ranking moves
-- into memory_text_nearest, beside memory_vector_nearest, so a change to either replaces that
-- function alone; it scores a candidate's words by a join of its lexemes with the question's
-- (one hash probe a word) instead of one tsquery match per question word. Its candidates are
-- bounded in rows, not only as a share of the agent's memories: at 100k memories one in twenty
-- was 5,000 candidates, and a per-user full-text search took 40 / 64 ms (p50 / p95); at most 600
-- found by their words and 500 read, 14 / 38 ms, with the same recall at 10k.

alter index memories_tsv set (fastupdate = off);
select gin_clean_pending_list('memories_tsv'::regclass);

-- The ids and scores of the p_depth memories full text ranks best for p_query, best first:
-- BM25 over the agent's term statistics, the question's words expanded by the lexicon, the
-- periods and speakers it names, and the turns next to the best hits.
create or replace function memory_text_nearest(
  p_agent_id text, p_user_id text, p_all_users boolean, p_query text,
  p_room_id text, p_types text[], p_since timestamptz, p_until timestamptz,
  p_include_superseded boolean, p_exclude_ids uuid[], p_depth integer
)
returns table (id uuid, s real)
language plpgsql stable as $$
#variable_conflict use_column
declare
  periods tstzrange[];
  span tstzrange;
  rest text;
  named text[];
  named_words text[];
  dated_users text[];
  lexemes text[];
  weights real[];
  counts bigint[];
  strengths real[];
  seeds text[];
  found_docs bigint := 0;
  any_q tsquery;
  phrase_q tsquery;
  docs bigint := 0;
  avgdl float8 := 1;
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
    array_agg(t.docs order by t.docs, t.lexeme), array_agg(t.weight order by t.docs, t.lexeme)
  into lexemes, weights, counts, strengths
  from memory_query_terms(p_agent_id, rest, named_words) t;
  -- The words that find candidates: not filler, rarest first, until they would find more than
  -- one memory in twenty (at least fifty, at most 600: each candidate is a row read, ~30 µs on
  -- PGlite once the table outgrows its buffers). The rest still score the memories found, but
  -- finding every memory holding "go" would cost a scan of the agent's memories for a few
  -- hundredths of a point each.
  seeds := '{}';
  for i in 1 .. coalesce(cardinality(lexemes), 0) loop
    continue when strengths[i] < 0.5;
    exit when cardinality(seeds) > 0 and found_docs + counts[i] > greatest(least(0.05 * docs, 600), 50);
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
    return query
    with found as materialized (
      -- The memories holding a seed word, found once through the GIN index (materialised, so
      -- the scoring join below cannot turn into one index scan per term). Bounded: when every
      -- word of a question is common, five hundred of them are plenty to rank.
      select m.id, m.user_id, m.room_id, m.type, m.created_at, m.tsv, length(m.tsv) as dl,
        phrase_q is not null and m.tsv @@ phrase_q as phrase
      from memories m
      where any_q is not null and m.tsv @@ any_q and m.agent_id = p_agent_id
        and (p_all_users or m.user_id is null or m.user_id = p_user_id)
        and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
      limit 500
    ), word_hits as (
      -- BM25 with each term counted once per memory (chat turns rarely repeat a word, and BM25
      -- saturates at a second occurrence anyway): one join of the candidates with the terms, no
      -- per-memory subquery.
      select f.id, f.user_id, f.room_id, f.type, f.created_at,
        sum(t.w) * 2.2 / (1 + 1.2 * (0.25 + 0.75 * f.dl / avgdl)) + case when f.phrase then 1 else 0 end as s
      from found f
      cross join lateral unnest(tsvector_to_array(f.tsv)) l (lexeme)
      join unnest(lexemes, weights) t (lexeme, w) on t.lexeme = l.lexeme
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
      order by 2 desc, 3 desc limit p_depth
    )
    select r.id, r.s from ranked r order by r.s desc, r.at desc;
  end if;

end;
$$;

-- memory_search of 0071 with its full-text list from memory_text_nearest, its hits read by key,
-- and who said each message (role and name, null for other memories): a new result type, so the
-- function is dropped first (memory_recall finds it by name when it runs).
drop function if exists memory_search(
  text, text, text, vector, text, text[], timestamptz, timestamptz, integer, boolean, boolean, uuid[]
);
create function memory_search(
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
  score double precision, full_text real, vector real, full_text_rank integer, vector_rank integer,
  role text, name text
)
language plpgsql stable as $$
#variable_conflict use_column
declare
  depth integer := greatest(p_limit, 1) * 4;
  text_ids uuid[] := '{}';
  text_scores real[] := '{}';
  vector_ids uuid[] := '{}';
  vector_scores real[] := '{}';
  vector_depth integer := greatest(greatest(p_limit, 1) * 4, 100);
  vector_weight float8 := 0;
begin
  select coalesce(array_agg(t.id order by t.n), '{}'), coalesce(array_agg(t.s order by t.n), '{}')
  into text_ids, text_scores
  from memory_text_nearest(p_agent_id, p_user_id, p_all_users, p_query, p_room_id, p_types,
    p_since, p_until, p_include_superseded, p_exclude_ids, depth) with ordinality t (id, s, n);

  if p_embedding is not null then
    select coalesce(array_agg(v.id order by v.d), '{}'), coalesce(array_agg((1 - v.d)::real order by v.d), '{}')
    into vector_ids, vector_scores
    from memory_vector_nearest(p_agent_id, p_user_id, p_all_users, p_embedding, p_room_id, p_types,
      p_since, p_until, p_include_superseded, p_exclude_ids, vector_depth) v;
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
    f.score::double precision, f.full_text, f.vector, f.text_rank, f.vec_rank,
    case when m.type = 'message' then m.content ->> 'role' end, case when m.type = 'message' then m.content ->> 'name' end
  from fused f
  -- Each row by its key (a limited lateral, so the planner cannot make it a hash join, which
  -- read the whole table for a hundred ids: 40 ms at 100k).
  cross join lateral (select x.* from memories x where x.id = f.id limit 1) m
  order by f.score desc, m.created_at desc
  limit greatest(p_limit, 0);
end;
$$;
