-- api_rate_take says when a token is back on the request that takes the last whole one, too.
-- It said 0 on every accepted request, so the API's RateLimit-Reset was 0 while the bucket was
-- empty (a key with 2 a minute and a burst of 1 read "remaining 0, reset 0" and then got a 429
-- saying 24 s). The fraction of a token left after the take is known here: retry_after_ms is
-- now the time until it is a whole token again whenever no whole token remains, and 0 only
-- while some do. The wait is worked out as tokens * 60000 / rate rather than over the per-ms
-- rate, whose rounding could add a millisecond (a second, once the API rounds up).
-- The result columns are unchanged, so the function is replaced in place.
create or replace function api_rate_take(
  p_key_id text, p_rate_per_minute integer, p_burst integer, p_now timestamptz default now()
) returns table (allowed boolean, remaining integer, retry_after_ms integer)
language plpgsql as $$
declare
  per_minute double precision := greatest(p_rate_per_minute, 1);
  held double precision;
  since timestamptz;
  available double precision;
  left_over double precision;
begin
  insert into api_rate_buckets as b (key_id, tokens, updated_at) values (p_key_id, p_burst, p_now)
  on conflict (key_id) do nothing;
  select b.tokens, b.updated_at into held, since from api_rate_buckets b where b.key_id = p_key_id for update;
  -- Clocks of two Lambdas may disagree a little: time never runs backwards for a bucket.
  available := least(p_burst::double precision,
    held + greatest(0, extract(epoch from (p_now - since)) * 1000) * per_minute / 60000);
  allowed := available >= 1;
  left_over := case when allowed then available - 1 else available end;
  update api_rate_buckets b set tokens = left_over, updated_at = greatest(p_now, since)
  where b.key_id = p_key_id;
  remaining := floor(left_over)::integer;
  retry_after_ms := case when left_over >= 1 then 0
    else ceil((1 - left_over) * 60000 / per_minute)::integer end;
  return next;
end;
$$;
