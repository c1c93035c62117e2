-- Memories: what characters remember about people (messages, facts) and what they know
-- (description, lore, document, knowledge). One table for every kind, so one recall ranks them
-- together.
--
-- Scoping rules the SQL functions enforce:
--   * nothing ever crosses agent_id;
--   * a memory with a user_id is seen only in that user's recalls; user_id null means shared by
--     every user of the agent (knowledge, lore).
create extension if not exists vector;

create table if not exists memories (
  id uuid primary key default gen_random_uuid(),
  agent_id text not null,
  user_id text,
  room_id text,
  type text not null check (type in ('message', 'fact', 'description', 'lore', 'document', 'knowledge')),
  -- {text, role?, name?, key?}: text first, so every kind is searchable the same way.
  content jsonb not null check (jsonb_typeof(content -> 'text') = 'string'),
  -- english: stemming ("colours" finds "colour") and stop words ("what is my" finds nothing).
  tsv tsvector generated always as (to_tsvector('english', content ->> 'text')) stored,
  embedding vector(1536),
  embedding_model text,
  -- sha256 of content.text: ties embedding_cache rows to the memories that use them (forget).
  content_sha256 text not null,
  -- Idempotency: a turn, an import line or a knowledge chunk stored twice is stored once.
  source_id text unique,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  -- A contradicted fact keeps its row (history) and points at the fact that replaced it.
  superseded_by uuid references memories (id) on delete set null,
  superseded_at timestamptz
);

-- Per-user recall and forget: a btree plus an exact scan of one user's rows is both fast and
-- exact (an HNSW scan filtered to one user returns about one row in ten).
create index if not exists memories_agent_user on memories (agent_id, user_id, created_at desc);
-- The room's recent messages.
create index if not exists memories_agent_room on memories (agent_id, room_id, created_at desc);
create index if not exists memories_tsv on memories using gin (tsv);
create index if not exists memories_sha on memories (content_sha256);

-- Embeddings by (model, sha256 of the text), so the same text is never embedded twice.
create table if not exists embedding_cache (
  model text not null,
  sha256 text not null,
  embedding vector(1536) not null,
  created_at timestamptz not null default now(),
  primary key (model, sha256)
);

-- Quotes one lexeme for a tsquery literal.
create or replace function memory_quote_lexeme(p_lexeme text)
returns text language sql immutable as $$
  select '''' || replace(replace(p_lexeme, '\', '\\'), '''', '''''') || '''';
$$;

-- The question's lexemes OR-ed together: plainto_tsquery ANDs them, which finds nothing for
-- most natural questions ("what is my favourite colour" has no memory containing every word).
create or replace function memory_or_query(p_text text)
returns tsquery language sql immutable as $$
  select nullif(string_agg(memory_quote_lexeme(l.lexeme), ' | '), '')::tsquery
  from unnest(to_tsvector('english', coalesce(p_text, ''))) l;
$$;

-- Neighbouring lexemes of the question at their distance ("favourite <1> colour"): memories
-- that keep the question's phrases rank above ones that merely share its words.
create or replace function memory_phrase_query(p_text text)
returns tsquery language sql immutable as $$
  with occurrences as (
    select l.lexeme, p.pos
    from unnest(to_tsvector('english', coalesce(p_text, ''))) l, unnest(l.positions) p (pos)
  ), pairs as (
    select lexeme, pos, lead(lexeme) over w as next_lexeme, lead(pos) over w as next_pos
    from occurrences window w as (order by pos)
  )
  select nullif(string_agg(
    format('%s <%s> %s', memory_quote_lexeme(lexeme), next_pos - pos, memory_quote_lexeme(next_lexeme)),
    ' | '), '')::tsquery
  from pairs where next_lexeme is not null;
$$;
