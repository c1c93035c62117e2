-- Turns, tokens and cost between two budget days (inclusive), grouped by day, character, user
-- or model ('total': one row). p_user_prefix keeps a caller to its own users (e.g. 'api:acme:').
-- unpriced counts settled turns whose model has no price: their cost is not in cost_micro_usd.
-- Sums are numeric so no driver truncates them; the adapter turns them into numbers.
create or replace function usage_summary(
  p_by text default 'total', p_from date default null, p_to date default null,
  p_agent_id text default null, p_user_id text default null, p_user_prefix text default null
) returns table (
  key text, turns bigint, refused bigint, requests numeric, input_tokens numeric,
  cached_input_tokens numeric, output_tokens numeric, cost_micro_usd numeric, unpriced bigint,
  reserved_micro_usd numeric
) language plpgsql stable as $$
begin
  if p_by not in ('total', 'day', 'character', 'user', 'model') then
    raise exception 'usage_summary: by must be total, day, character, user or model, not %', p_by
      using errcode = '22023';
  end if;
  return query
  select
    case p_by when 'day' then u.day::text when 'character' then u.agent_id
      when 'user' then u.user_id when 'model' then u.provider || '/' || u.model else 'total' end,
    count(*) filter (where u.status <> 'refused'),
    count(*) filter (where u.status = 'refused'),
    coalesce(sum(u.requests), 0)::numeric,
    coalesce(sum(u.input_tokens), 0)::numeric,
    coalesce(sum(u.cached_input_tokens), 0)::numeric,
    coalesce(sum(u.output_tokens), 0)::numeric,
    coalesce(sum(u.cost_micro_usd), 0)::numeric,
    count(*) filter (where u.status = 'settled' and u.cost_micro_usd is null),
    coalesce(sum(u.reserved_micro_usd) filter (where u.status = 'reserved'), 0)::numeric
  from turn_usage u
  where (p_from is null or u.day >= p_from) and (p_to is null or u.day <= p_to)
    and (p_agent_id is null or u.agent_id = p_agent_id)
    and (p_user_id is null or u.user_id = p_user_id)
    and (p_user_prefix is null or starts_with(u.user_id, p_user_prefix))
  group by 1
  order by 1;
end;
$$;
