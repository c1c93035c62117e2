-- The stored user ids that are one of p_ids or end in `:` and one of them, among the memories,
-- turns and usage of p_agent_id (of every character when null). `carrier memory` and
-- `carrier usage` take a user as stored: the API stores its caller's `sam` as
-- `api:<tenant>:sam`, so given `sam` they name these ids instead of acting on nobody (a forget
-- that deletes nothing). A scan, not an index lookup: it serves an operator's command, not a turn.
create or replace function stored_user_ids(p_ids text[], p_agent_id text default null)
returns table (user_id text) language plpgsql stable as $$
#variable_conflict use_column
begin
  return query
  select s.user_id from (
    select m.user_id from memories m where p_agent_id is null or m.agent_id = p_agent_id
    union select t.user_id from turns t where p_agent_id is null or t.agent_id = p_agent_id
    union select u.user_id from turn_usage u where p_agent_id is null or u.agent_id = p_agent_id
  ) s
  where s.user_id is not null and exists (
    select 1 from unnest(p_ids) i (id)
    where s.user_id = i.id or right(s.user_id, length(i.id) + 1) = ':' || i.id
  )
  order by 1;
end;
$$;
