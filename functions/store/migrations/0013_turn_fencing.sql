-- Fencing for turn writes. A claim counts its attempt (turns.attempts); every later write of
-- that attempt passes the number back and changes nothing when another claim came since. A
-- hung invocation that outlives its lease therefore cannot overwrite or deliver over the retry
-- that took the turn from it: its write returns no row, and the runner stops there.
-- The old signatures go, so a caller that forgets the attempt fails loudly instead of unfenced.
drop function if exists turn_answer(text, jsonb, jsonb, jsonb);
drop function if exists turn_finish(text, jsonb);
drop function if exists turn_release(text, text);
drop function if exists turn_fail(text, text, jsonb);

create function turn_answer(p_id text, p_attempt integer, p_result jsonb, p_timings jsonb, p_usage jsonb)
returns setof turns language sql as $$
  update turns set status = 'answered', result = p_result, timings = p_timings, usage = p_usage,
    error = null, lease_until = null, updated_at = now()
  where id = p_id and attempts = p_attempt and status in ('running', 'answered')
  returning *;
$$;

create function turn_finish(p_id text, p_attempt integer, p_delivery jsonb)
returns setof turns language sql as $$
  update turns set status = 'done', delivery = p_delivery, finished_at = now(), updated_at = now()
  where id = p_id and attempts = p_attempt and status in ('running', 'answered')
  returning *;
$$;

create function turn_release(p_id text, p_attempt integer, p_error text)
returns setof turns language sql as $$
  update turns set status = 'queued', lease_until = null, error = p_error, updated_at = now()
  where id = p_id and attempts = p_attempt and status = 'running'
  returning *;
$$;

-- p_attempt 0 fails an API job that never reached the queue (no claim yet).
create function turn_fail(p_id text, p_attempt integer, p_error text, p_delivery jsonb)
returns setof turns language sql as $$
  update turns set status = 'failed', error = p_error, delivery = p_delivery, lease_until = null,
    finished_at = now(), updated_at = now()
  where id = p_id and attempts = p_attempt and status in ('queued', 'running')
  returning *;
$$;

-- The apology of a failed turn goes out after turn_fail (so only the attempt that owned the turn
-- apologises); its delivery result is kept here afterwards.
create function turn_record_delivery(p_id text, p_attempt integer, p_delivery jsonb)
returns setof turns language sql as $$
  update turns set delivery = p_delivery, updated_at = now()
  where id = p_id and attempts = p_attempt
  returning *;
$$;
