-- Agent-wide vector search through an index (memory_search with p_all_users and a vector:
-- `carrier memory search` without --user when an embedder is set): it was an exact scan of
-- every user's rows, 0.64-0.70 s a search at 100k on PGlite. Rows with a vector get an IVFFlat
-- index over their vectors' sign bits (binary_quantize, 192 bytes a row): an agent-wide search
-- reads the 3 × depth nearest by Hamming distance from the 10 lists nearest the question,
-- users' and shared rows alike, and ranks those by exact cosine as it reads them. Inserts are
-- as fast as without it: the index tuple is small and finding a row's list costs one Hamming
-- distance per list. (HNSW over the full vectors cost 30× the insert time; IVFFlat over them
-- half of it; IVFFlat over halfvec took minutes to build at 100k, this one 6-9 s.) Over 80
-- questions at 100k, 3 × depth found 0.965 of the exact top ten, 3.5 × 0.985 and 4 × 0.995,
-- each ~1 ms more (reading a candidate's row is most of the cost): 3 × kept the p95 nearest 15 ms.
-- A user's own search is unchanged: their rows exactly through the btree, shared ones by HNSW.
--
-- IVFFlat learns its lists from the rows present when it is built, so it is built by
-- memory_vector_index_refresh(), not here on an empty table: by `npm start`, the deploy step
-- (`carrier memory import --all`) and `carrier memory reindex`, once 2,000 rows carry a vector
-- and again each time they double. Until then, and for an agent with too few rows in the lists
-- searched (one small agent among many), the exact scan answers as before.

create table if not exists memory_vector_index (
  name text primary key,
  -- Rows with a vector when the index was built, and its lists (about √rows).
  rows bigint not null,
  lists integer not null,
  built_at timestamptz not null default now()
);

-- Builds the index when none is there and p_min_rows rows have a vector, or rebuilds it
-- when they have doubled since it was built; p_force builds it whatever the count (a store
-- with at least one such row). Returns whether it built and what the index now covers.
-- Security definer: an index is its table's owner's to drop and build, and on Supabase the
-- service role calls this through PostgREST.
create or replace function memory_vector_index_refresh(p_force boolean default false, p_min_rows bigint default 2000)
returns table (built boolean, rows bigint, lists integer)
language plpgsql security definer set search_path = public as $$
declare
  n bigint;
  last memory_vector_index%rowtype;
  l integer;
begin
  select count(*) into n from memories m where m.embedding is not null;
  -- An index dropped by hand is built again as if it had never been.
  select * into last from memory_vector_index i
  where i.name = 'memories_embedding_bits' and to_regclass('memories_embedding_bits') is not null;
  if n = 0 or not (p_force or (last.name is null and n >= p_min_rows) or (last.name is not null and n >= 2 * last.rows)) then
    return query select false, coalesce(last.rows, 0), coalesce(last.lists, 0);
    return;
  end if;
  l := least(greatest(round(sqrt(n))::integer, 10), 1000);
  -- Training keeps every list's centre in memory: 1,000 lists of 1536 bits need ~192 MB.
  perform set_config('maintenance_work_mem', '256MB', true);
  drop index if exists memories_embedding_bits;
  execute format(
    'create index memories_embedding_bits on memories using ivfflat ((binary_quantize(embedding)::bit(1536)) bit_hamming_ops) with (lists = %s) where embedding is not null',
    l);
  -- The planner reads the table's size from its statistics, and nothing gathers them on PGlite
  -- (no autovacuum): without this it takes a grown table for an empty one and sorts it whole.
  analyze memories;
  insert into memory_vector_index as i (name, rows, lists) values ('memories_embedding_bits', n, l)
  on conflict (name) do update set rows = excluded.rows, lists = excluded.lists, built_at = now();
  return query select true, n, l;
end;
$$;

-- The p_depth memories nearest p_embedding that a search may see, by cosine distance: the
-- user's own rows (exact, through the (agent_id, user_id) btree) and the shared rows (HNSW,
-- 0003); with p_all_users, every user's rows and the shared ones through memories_embedding_bits
-- when it is there, else every user's by an exact scan and the shared ones by HNSW.
create or replace function memory_vector_nearest(
  p_agent_id text, p_user_id text, p_all_users boolean, p_embedding vector(1536),
  p_room_id text, p_types text[], p_since timestamptz, p_until timestamptz,
  p_include_superseded boolean, p_exclude_ids uuid[], p_depth integer
)
returns table (id uuid, d double precision)
language plpgsql stable
-- Ten lists (five or twenty found as many at 100k, within 0.5 ms), and up to twenty when the
-- agent's rows in them are too few (other agents' rows share the lists): the candidates are
-- ranked again exactly, so their order need not be kept.
set ivfflat.probes = 10
set ivfflat.iterative_scan = relaxed_order
set ivfflat.max_probes = 20
as $$
#variable_conflict use_column
declare
  wanted integer := p_depth * 3;
  found_ids uuid[];
  found_d double precision[];
begin
  if p_all_users and to_regclass('memories_embedding_bits') is not null then
    -- Ranked exactly as they are read: one visit to each candidate's row.
    select array_agg(c.id order by c.d), array_agg(c.d order by c.d) into found_ids, found_d from (
      select m.id, m.embedding <=> p_embedding as d from memories m
      where m.agent_id = p_agent_id and m.embedding is not null
        and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
      order by binary_quantize(m.embedding)::bit(1536) <~> binary_quantize(p_embedding)
      limit wanted
    ) c;
    -- Fewer than asked: the agent has few rows there (or the filters leave few), and an exact
    -- scan of them is as cheap; the index's lists would miss some.
    if coalesce(cardinality(found_ids), 0) < wanted then found_ids := null; end if;
  end if;
  return query
  with own as (
    select m.id, m.embedding <=> p_embedding as d from memories m
    where not p_all_users and m.agent_id = p_agent_id and m.user_id = p_user_id and m.embedding is not null
      and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
    order by d limit p_depth
  ), indexed as (
    select f.id, f.d from unnest(found_ids[1:p_depth], found_d[1:p_depth]) f (id, d)
  ), everyone as (
    select m.id, m.embedding <=> p_embedding as d from memories m
    where p_all_users and found_ids is null and m.agent_id = p_agent_id and m.user_id is not null
      and m.embedding is not null
      and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
    order by d limit p_depth
  ), shared as (
    select m.id, m.embedding <=> p_embedding as d from memories m
    where found_ids is null and m.agent_id = p_agent_id and m.user_id is null and m.embedding is not null
      and memory_visible(m, p_room_id, p_types, p_since, p_until, p_include_superseded, p_exclude_ids)
    order by d limit p_depth
  )
  select * from own union all select * from indexed union all select * from everyone
  union all select * from shared
  order by d limit p_depth;
end;
$$;

-- memory_search of 0065 with its vector list from memory_vector_nearest: a change to how the
-- nearest rows are found now replaces that function alone.
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
    f.score::double precision, f.full_text, f.vector, f.text_rank, f.vec_rank
  from fused f join memories m on m.id = f.id
  order by f.score desc, m.created_at desc
  limit greatest(p_limit, 0);
end;
$$;
