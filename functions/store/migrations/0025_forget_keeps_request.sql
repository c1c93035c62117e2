-- Forgetting a user erases only finished turn records (done or failed). The forget request's
-- own row, and any turn still queued, running or awaiting delivery, stay: those rows are what
-- make a redelivered message harmless, and an API job in flight must still be readable.
drop function if exists memory_forget_user(text, text);

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
