-- Forgetting a user removes what the agent has of them in every state, and keeps it removed:
--   * memories and their unshared cached embeddings are deleted (as before);
--   * finished turns are deleted; turns still in flight (queued, running, answered) are
--     scrubbed: their text and reply emptied and marked forgotten, so they still end (answered,
--     apologised or failed) but keep nothing — a forgotten turn's reply is not stored later either;
--   * every turn of the user at that moment is remembered as forgotten (its id only), and a memory
--     a forgotten turn would store afterwards (a reflection that finishes after the forget, the
--     exchange of a turn that was running) is dropped by a trigger instead of coming back.
-- The forget and every insert of a user's memory take the same per-user lock, so an insert in
-- flight during the forget is either deleted by it or dropped after it.
alter table turns add column if not exists forgotten_at timestamptz;

create table if not exists forgotten_turns (
  turn_id text primary key,
  forgotten_at timestamptz not null default now()
);

create or replace function memory_forget_user(p_agent_id text, p_user_id text, p_keep_turn_id text default null)
returns table (memories integer, embeddings integer, turns integer)
language plpgsql as $$
declare
  hashes text[];
  n_memories integer;
  n_embeddings integer;
  n_turns integer := 0;
  n_scrubbed integer := 0;
begin
  perform pg_advisory_xact_lock(hashtext('memory_fact:' || p_agent_id), hashtext(p_user_id));
  if to_regclass('turns') is not null then
    execute 'insert into forgotten_turns (turn_id) select id from turns'
      ' where agent_id = $1 and user_id = $2 and id is distinct from $3 on conflict do nothing'
      using p_agent_id, p_user_id, p_keep_turn_id;
  end if;
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
    execute 'update turns set forgotten_at = now(), updated_at = now(),'
      ' request = case when request is null then null else jsonb_set(request, ''{text}'', ''""'') end,'
      ' result = case when result is null then null else jsonb_set(result, ''{reply}'', ''""'') end'
      ' where agent_id = $1 and user_id = $2 and id is distinct from $3'
      ' and status in (''queued'', ''running'', ''answered'')'
      using p_agent_id, p_user_id, p_keep_turn_id;
    get diagnostics n_scrubbed = row_count;
  end if;
  return query select n_memories, n_embeddings, n_turns + n_scrubbed;
end;
$$;

-- A user's memory that a forgotten turn would store is not stored (see above).
create or replace function memory_drop_forgotten()
returns trigger language plpgsql as $$
begin
  if new.user_id is null or new.source_id is null or new.source_id not like 'turn:%' then
    return new;
  end if;
  perform pg_advisory_xact_lock(hashtext('memory_fact:' || new.agent_id), hashtext(new.user_id));
  if exists (select 1 from forgotten_turns f where f.turn_id = split_part(new.source_id, ':', 2)) then
    return null;
  end if;
  return new;
end;
$$;

drop trigger if exists memory_drop_forgotten on memories;
create trigger memory_drop_forgotten before insert on memories
  for each row execute function memory_drop_forgotten();

-- Stores the reply before delivery, as in 0010; a forgotten turn's reply is not kept.
create or replace function turn_answer(p_id text, p_attempt integer, p_result jsonb, p_timings jsonb, p_usage jsonb)
returns setof turns language sql as $$
  update turns set status = 'answered',
    result = case when forgotten_at is null then p_result else jsonb_set(p_result, '{reply}', '""') end,
    timings = p_timings, usage = p_usage, error = null, lease_until = null, updated_at = now()
  where id = p_id and attempts = p_attempt and status in ('running', 'answered')
  returning *;
$$;
