-- HNSW over shared memories (knowledge, lore: user_id null), which every user's recall ranks.
-- Per-user memories are few per user and scanned exactly through the btree instead. Built here,
-- on an empty or small table, so a request never pays for a build (10 minutes at 100k rows).
create index if not exists memories_shared_embedding on memories
  using hnsw (embedding vector_cosine_ops) where user_id is null;
