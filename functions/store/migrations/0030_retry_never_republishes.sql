-- A failed post whose publish was ever attempted (publishing_started_at set) is not started again:
-- Meta may have published it, and starting over would make a new container and publish it twice.
-- A person checks the account on Instagram and adds the post again if it is not there.
-- outcome: retrying | publish_attempted | not_retryable | not_found.
create or replace function post_retry(p_id text, p_now timestamptz default now())
returns table (outcome text, post jsonb) language plpgsql as $$
declare
  p posts;
begin
  update posts set state = 'scheduled', next_attempt_at = p_now, attempts = 0, polls = 0,
    children = null, container_id = null, container_created_at = null, publishing_started_at = null,
    reason = null, error_kind = null, error_code = null, error_subcode = null,
    lease_owner = null, lease_until = null, updated_at = p_now
  where id = p_id and state = 'failed' and publishing_started_at is null
  returning * into p;
  if not found then
    -- A waiting post is only made due now: a post in 'publishing' is then reconciled from its
    -- container's status, never sent again blindly.
    update posts set next_attempt_at = p_now, attempts = 0, updated_at = p_now
    where id = p_id
      and state in ('scheduled', 'media_hosted', 'container_created', 'container_ready', 'publishing')
      and (lease_until is null or lease_until <= p_now)
    returning * into p;
  end if;
  if found then
    return query select 'retrying'::text, to_jsonb(p);
    return;
  end if;
  select * into p from posts where id = p_id;
  if not found then
    return query select 'not_found'::text, null::jsonb;
  elsif p.state = 'failed' and p.publishing_started_at is not null then
    return query select 'publish_attempted'::text, to_jsonb(p);
  else
    return query select 'not_retryable'::text, to_jsonb(p);
  end if;
end;
$$;
