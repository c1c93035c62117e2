-- A turn whose last attempt died with its invocation (timeout, crash) stays `running` with an
-- expired lease, and the queue has no retry left to claim it: without this, its API job would
-- read `running` forever. The runner and the local stack call it about once a minute.
create or replace function turn_sweep_stale(p_max_attempts integer, p_reason text)
returns setof turns language sql as $$
  update turns set status = 'failed', error = p_reason, lease_until = null,
    finished_at = now(), updated_at = now()
  where status = 'running' and lease_until < now() and attempts >= p_max_attempts
  returning *;
$$;
