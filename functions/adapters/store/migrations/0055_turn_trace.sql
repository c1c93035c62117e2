-- What a turn did, for the people who run the agent (the console's turn timeline):
--   turns.trace  {recalled: [{id, type, text, score, why}], tools: [{name, arguments, output}]},
--                written with the reply by turn_answer; texts are cut short by the runner.
-- A forgotten turn keeps no trace: the trigger empties it whenever forgotten_at is set, so the
-- forget (0031) and an answer that lands after it both leave none.
alter table turns add column if not exists trace jsonb;

create or replace function turn_drop_forgotten_trace()
returns trigger language plpgsql as $$
begin
  if new.forgotten_at is not null then
    new.trace := null;
  end if;
  return new;
end;
$$;

drop trigger if exists turn_drop_forgotten_trace on turns;
create trigger turn_drop_forgotten_trace before insert or update on turns
  for each row execute function turn_drop_forgotten_trace();

-- As in 0031, with the trace. The old signature is dropped so named calls stay unambiguous.
drop function if exists turn_answer(text, integer, jsonb, jsonb, jsonb);
create or replace function turn_answer(
  p_id text, p_attempt integer, p_result jsonb, p_timings jsonb, p_usage jsonb, p_trace jsonb default null
) returns setof turns language sql as $$
  update turns set status = 'answered',
    result = case when forgotten_at is null then p_result else jsonb_set(p_result, '{reply}', '""') end,
    timings = p_timings, usage = p_usage, trace = p_trace, error = null, lease_until = null, updated_at = now()
  where id = p_id and attempts = p_attempt and status in ('running', 'answered')
  returning *;
$$;

create index if not exists turns_tenant_created on turns (tenant, created_at desc) where tenant is not null;

-- A tenant's API jobs, newest first, optionally of one agent and one conversation, before a time
-- (the next page passes the last row's created_at). At most 200 a page.
create or replace function turn_list_jobs(
  p_tenant text, p_agent_id text default null, p_conversation text default null,
  p_before timestamptz default null, p_limit integer default 50
) returns setof turns language sql stable as $$
  select * from turns t
  where t.tenant = p_tenant and t.source = 'api'
    and (p_agent_id is null or t.agent_id = p_agent_id)
    and (p_conversation is null or t.conversation = p_conversation)
    and (p_before is null or t.created_at < p_before)
  order by t.created_at desc, t.id desc
  limit least(greatest(coalesce(p_limit, 50), 1), 200);
$$;

-- A tenant's conversations with one agent, the most recent first: how many jobs, when the last
-- one came and what it said (empty once its user was forgotten).
create or replace function turn_list_conversations(p_tenant text, p_agent_id text, p_limit integer default 50)
returns table (conversation text, user_id text, jobs bigint, last_at timestamptz, last_text text)
language sql stable as $$
  select c.conversation, c.user_id, c.jobs, c.last_at, c.last_text from (
    select distinct on (t.conversation) t.conversation, t.user_id,
      count(*) over (partition by t.conversation) as jobs, t.created_at as last_at,
      coalesce(t.request ->> 'text', '') as last_text
    from turns t
    where t.tenant = p_tenant and t.source = 'api' and t.agent_id = p_agent_id
    order by t.conversation, t.created_at desc, t.id desc
  ) c
  order by c.last_at desc, c.conversation
  limit least(greatest(coalesce(p_limit, 50), 1), 200);
$$;
