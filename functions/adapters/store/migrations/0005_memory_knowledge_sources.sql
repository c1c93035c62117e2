-- Knowledge sources a character no longer lists (a file removed from `knowledge`) are removed
-- on import, so the store holds what the character file says and nothing older.
create or replace function memory_prune_sources(p_agent_id text, p_keep text[])
returns table (removed integer)
language plpgsql as $$
#variable_conflict use_column
declare
  n integer;
begin
  delete from memories m
  where m.agent_id = p_agent_id and m.type = 'knowledge' and m.user_id is null
    and m.metadata ? 'source' and not (m.metadata ->> 'source' = any (p_keep));
  get diagnostics n = row_count;
  return query select n;
end;
$$;
