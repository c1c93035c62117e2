-- turn_list_jobs pages by the last job shown instead of by its time: jobs created in the same
-- instant (or the same millisecond, which is all the API shows of created_at) were skipped when
-- the next page asked for those created before the last one's time. `p_after_id` is that job's
-- id; the page continues after it in (created_at, id) order, within the tenant. An id the tenant
-- does not have gives an empty page (the API refuses it with 404 first).
drop function if exists turn_list_jobs(text, text, text, timestamptz, integer);

create or replace function turn_list_jobs(
  p_tenant text, p_agent_id text default null, p_conversation text default null,
  p_before timestamptz default null, p_limit integer default 50, p_after_id text default null
) returns setof turns language sql stable as $$
  select * from turns t
  where t.tenant = p_tenant and t.source = 'api'
    and (p_agent_id is null or t.agent_id = p_agent_id)
    and (p_conversation is null or t.conversation = p_conversation)
    and (p_before is null or t.created_at < p_before)
    and (p_after_id is null or (t.created_at, t.id) < (
      select a.created_at, a.id from turns a where a.id = p_after_id and a.tenant = p_tenant
    ))
  order by t.created_at desc, t.id desc
  limit least(greatest(coalesce(p_limit, 50), 1), 200);
$$;
