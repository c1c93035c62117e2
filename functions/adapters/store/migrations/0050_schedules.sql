-- Schedules: the character files', the API's and the agents' own follow-ups, one table (and
-- the Instagram content plans' last firing, source 'plan', which the publisher tick runs). The
-- key is unique across agents and names the EventBridge schedule when deployed. last_fired_at is
-- the scheduled time of the last firing the local scheduler ran, so a restart runs a missed
-- firing once instead of once per missed period.
create table if not exists schedules (
  key text primary key,
  agent_id text not null,
  id text not null,
  source text not null check (source in ('character', 'api', 'followup', 'plan')),
  owner text,
  timing jsonb not null,
  prompt text not null,
  conversation text not null,
  user_id text not null,
  user_name text,
  deliver jsonb not null,
  created_at timestamptz not null,
  last_fired_at timestamptz
);
create index if not exists schedules_agent_owner on schedules (agent_id, owner);

-- A one-time schedule that fired will not fire again: it no longer counts against a bound.
create or replace function schedule_spent(s schedules)
returns boolean language sql immutable as $$
  select s.timing->>'kind' = 'at' and s.last_fired_at is not null;
$$;

-- Inserts or replaces the schedule `p_key`, keeping when it last fired. With p_limit, refuses
-- (returns no row) when the owner already has that many live schedules of this source for the
-- agent; the check and the insert hold one lock per agent and owner, so a flood of requests
-- cannot slip past it.
create or replace function schedule_put(
  p_key text, p_agent_id text, p_id text, p_source text, p_owner text, p_timing jsonb,
  p_prompt text, p_conversation text, p_user_id text, p_user_name text, p_deliver jsonb,
  p_created_at timestamptz, p_limit int default null
) returns setof schedules language plpgsql as $$
begin
  if p_limit is not null then
    perform pg_advisory_xact_lock(hashtext('schedules:' || p_agent_id || ':' || coalesce(p_owner, '')));
    if (select count(*) from schedules s
        where s.agent_id = p_agent_id and s.owner is not distinct from p_owner
          and s.source = p_source and s.key <> p_key and not schedule_spent(s)) >= p_limit then
      return;
    end if;
  end if;
  return query
    insert into schedules (key, agent_id, id, source, owner, timing, prompt, conversation,
                           user_id, user_name, deliver, created_at)
    values (p_key, p_agent_id, p_id, p_source, p_owner, p_timing, p_prompt, p_conversation,
            p_user_id, p_user_name, p_deliver, p_created_at)
    on conflict (key) do update set
      agent_id = excluded.agent_id, id = excluded.id, source = excluded.source,
      owner = excluded.owner, timing = excluded.timing, prompt = excluded.prompt,
      conversation = excluded.conversation, user_id = excluded.user_id,
      user_name = excluded.user_name, deliver = excluded.deliver
    returning *;
end;
$$;

create or replace function schedule_get(p_key text)
returns setof schedules language sql stable as $$
  select * from schedules where key = p_key;
$$;

-- Null filters match everything; oldest first.
create or replace function schedule_list(p_agent_id text default null, p_owner text default null,
                                         p_source text default null)
returns setof schedules language sql stable as $$
  select * from schedules
  where (p_agent_id is null or agent_id = p_agent_id)
    and (p_owner is null or owner = p_owner)
    and (p_source is null or source = p_source)
  order by created_at, key;
$$;

-- Deletes `p_key` when it belongs to `p_owner` (null: whoever owns it); returns what it deleted.
create or replace function schedule_delete(p_key text, p_owner text default null)
returns setof schedules language sql as $$
  delete from schedules where key = p_key and (p_owner is null or owner = p_owner) returning *;
$$;

-- Records the firing scheduled at p_at; no row when it (or a later one) was already recorded,
-- so two schedulers racing for one firing see exactly one success.
create or replace function schedule_mark_fired(p_key text, p_at timestamptz)
returns setof schedules language sql as $$
  update schedules set last_fired_at = p_at
  where key = p_key and (last_fired_at is null or last_fired_at < p_at)
  returning *;
$$;

-- Removes the character-file schedules of an agent that its file no longer has.
create or replace function schedule_prune_character(p_agent_id text, p_keep text[])
returns setof schedules language sql as $$
  delete from schedules
  where agent_id = p_agent_id and source = 'character' and not (key = any(p_keep))
  returning *;
$$;
