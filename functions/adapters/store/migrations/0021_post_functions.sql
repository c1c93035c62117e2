-- Posts: create, read, cancel, retry. The scheduler's functions are in 0022.

-- Creates a post; the same idempotency key returns the first post instead of a second one.
create or replace function post_create(
  p_character_id text,
  p_kind text,
  p_media jsonb,
  p_scheduled_at timestamptz,
  p_caption text default null,
  p_caption_prompt text default null,
  p_options jsonb default '{}'::jsonb,
  p_idempotency_key text default null
) returns setof posts language plpgsql as $$
begin
  if p_idempotency_key is not null then
    return query select * from posts where idempotency_key = p_idempotency_key;
    if found then return; end if;
  end if;
  return query
    insert into posts (character_id, kind, media, caption, caption_prompt, options, scheduled_at,
                       next_attempt_at, idempotency_key)
    values (p_character_id, p_kind, p_media, p_caption, p_caption_prompt, coalesce(p_options, '{}'::jsonb),
            p_scheduled_at, p_scheduled_at, p_idempotency_key)
    on conflict (idempotency_key) do update set updated_at = posts.updated_at
    returning *;
end;
$$;

create or replace function post_get(p_id text)
returns setof posts language sql stable as $$
  select * from posts where id = p_id;
$$;

-- Posts newest schedule first, optionally for one character and/or in one state.
create or replace function post_list(
  p_character_id text default null,
  p_state text default null,
  p_limit integer default 50,
  p_offset integer default 0
) returns setof posts language sql stable as $$
  select * from posts
  where (p_character_id is null or character_id = p_character_id)
    and (p_state is null or state = p_state)
  order by scheduled_at desc, created_at desc, id
  limit p_limit offset p_offset;
$$;

-- Cancels a post that has not started publishing. outcome: cancelled | not_cancellable | not_found.
-- No lease check: a scheduler holding the post loses its next expected-state check and stops.
create or replace function post_cancel(p_id text, p_now timestamptz default now())
returns table (outcome text, post jsonb) language plpgsql as $$
declare
  p posts;
begin
  update posts set state = 'cancelled', lease_owner = null, lease_until = null, updated_at = p_now,
    reason = 'cancelled before publishing', error_kind = null, error_code = null, error_subcode = null
  where id = p_id and state in ('scheduled', 'media_hosted', 'container_created', 'container_ready')
  returning * into p;
  if found then
    return query select 'cancelled'::text, to_jsonb(p);
    return;
  end if;
  select * into p from posts where id = p_id;
  if not found then
    return query select 'not_found'::text, null::jsonb;
  else
    return query select 'not_cancellable'::text, to_jsonb(p);
  end if;
end;
$$;

-- Retries a post now. A failed post starts again from the beginning (hosting is idempotent); a
-- waiting post is made due now. A failed post whose publish was ever attempted
-- (publishing_started_at set) is not started again:
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
