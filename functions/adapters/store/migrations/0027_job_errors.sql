-- A failed turn keeps two things: `error`, the internal reason (for logs and the operator), and
-- `error_code`, a stable code the API and webhooks show with a fixed message instead, so no
-- provider's or driver's text ever reaches a caller.
alter table turns add column if not exists error_code text;

drop function if exists turn_fail(text, integer, text, jsonb);
create or replace function turn_fail(
  p_id text, p_attempt integer, p_error text, p_delivery jsonb, p_error_code text default null
) returns setof turns language sql as $$
  update turns set status = 'failed', error = p_error, error_code = p_error_code, delivery = p_delivery,
    lease_until = null, finished_at = now(), updated_at = now()
  where id = p_id and attempts = p_attempt and status in ('queued', 'running')
  returning *;
$$;

drop function if exists turn_sweep_stale(integer, text);
create or replace function turn_sweep_stale(p_max_attempts integer, p_reason text, p_error_code text default null)
returns setof turns language sql as $$
  update turns set status = 'failed', error = p_reason, error_code = p_error_code, lease_until = null,
    finished_at = now(), updated_at = now()
  where status = 'running' and lease_until < now() and attempts >= p_max_attempts
  returning *;
$$;
