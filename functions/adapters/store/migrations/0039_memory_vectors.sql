-- Vectors as typed parameters: embeddings travel beside the JSON rows as one vector[] argument,
-- so a transport that can send binary (PGlite: pgvector's own binary form, no float parsing)
-- does, and one that cannot sends the array's text. Inside JSON a vector could only be text,
-- and parsing 1536 floats per row in WASM capped PGlite at ~200 inserts a second.

-- Inline, not TOASTed: a 1536-d vector (6 KB) fits a page beside its row, and writing it to the
-- TOAST table and its index cost more than the row itself; an exact scan of one user's rows
-- reads the vectors without a TOAST lookup each. Rows stored before keep their storage.
alter table memories alter column embedding set storage main;

-- Rows as before (0002); p_embeddings[i], when given, is row i's embedding.
drop function if exists memory_insert(jsonb);
create or replace function memory_insert(p_rows jsonb, p_embeddings vector(1536)[] default null)
returns table (id uuid, source_id text, inserted boolean)
language sql as $$
  with input as (
    select r.*, coalesce(p_embeddings[n::integer], r.embedding) as vector
    from rows from (jsonb_to_recordset(p_rows) as (
      agent_id text, user_id text, room_id text, type text, content jsonb, metadata jsonb,
      source_id text, created_at timestamptz, embedding vector(1536), embedding_model text)) with ordinality as r (
      agent_id, user_id, room_id, type, content, metadata, source_id, created_at, embedding, embedding_model, n)
  ), added as (
    insert into memories as m (agent_id, user_id, room_id, type, content, metadata, source_id, created_at,
      embedding, embedding_model, content_sha256)
    select agent_id, user_id, room_id, type, content, coalesce(metadata, '{}'::jsonb), source_id,
      coalesce(created_at, now()), vector, embedding_model,
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

-- Embeddings computed after the rows were stored: p_embeddings[i] is p_ids[i]'s.
drop function if exists memory_set_embeddings(text, jsonb);
create or replace function memory_set_embeddings(p_model text, p_ids uuid[], p_embeddings vector(1536)[])
returns table (updated integer)
language sql as $$
  with done as (
    update memories m set embedding = e.embedding, embedding_model = p_model
    from unnest(p_ids, p_embeddings) as e (id, embedding)
    where m.id = e.id
    returning 1
  )
  select count(*)::integer from done;
$$;

-- Caches embeddings: p_embeddings[i] is the text with sha256 p_hashes[i]'s. Returns how many were new.
drop function if exists embedding_cache_put(text, jsonb);
create or replace function embedding_cache_put(p_model text, p_hashes text[], p_embeddings vector(1536)[])
returns table (stored integer)
language sql as $$
  with added as (
    insert into embedding_cache (model, sha256, embedding)
    select p_model, e.sha256, e.embedding from unnest(p_hashes, p_embeddings) as e (sha256, embedding)
    on conflict do nothing
    returning 1
  )
  select count(*)::integer from added;
$$;
