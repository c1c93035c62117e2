-- The scheduler's side of posts: claim with a lease, transition with expected-state checks,
-- wait, fail, and the quota-guarded step into publishing. Every write checks that the caller
-- still holds the lease, so a scheduler whose lease expired (it was slow or it crashed) can no
-- longer move a post that another scheduler has claimed since: its write returns no row.

-- Claims up to p_limit due posts that no live lease holds, oldest due first.
create or replace function post_claim(
  p_owner text, p_limit integer, p_lease_seconds integer, p_now timestamptz default now()
) returns setof posts language sql as $$
  with due as (
    select id from posts
    where state in ('scheduled', 'media_hosted', 'container_created', 'container_ready', 'publishing')
      and next_attempt_at <= p_now
      and (lease_until is null or lease_until <= p_now)
    order by next_attempt_at, id
    limit p_limit
    for update skip locked
  )
  update posts p set lease_owner = p_owner, lease_until = p_now + make_interval(secs => p_lease_seconds),
    updated_at = p_now
  from due where p.id = due.id
  returning p.*;
$$;

-- Moves a leased post from p_from to p_to (the same state to only record data), renewing the
-- lease. Fields left null keep their value; p_clear_container forgets the containers (to make
-- new ones after one expired). Leaving 'publishing' for anything but 'published' gives the quota
-- reservation back: media_publish was refused, so nothing was published.
create or replace function post_advance(
  p_id text,
  p_owner text,
  p_from text,
  p_to text,
  p_lease_seconds integer,
  p_now timestamptz default now(),
  p_media jsonb default null,
  p_caption text default null,
  p_account_id text default null,
  p_children jsonb default null,
  p_container_id text default null,
  p_clear_container boolean default false,
  p_reason text default null
) returns setof posts language plpgsql as $$
declare
  p posts;
begin
  update posts set
    state = p_to,
    media = coalesce(p_media, media),
    caption = coalesce(p_caption, caption),
    account_id = coalesce(p_account_id, account_id),
    children = case when p_clear_container then p_children else coalesce(p_children, children) end,
    container_id = case when p_clear_container then p_container_id else coalesce(p_container_id, container_id) end,
    container_created_at = case
      when p_clear_container then null
      when p_container_id is not null then p_now
      else container_created_at end,
    polls = case when p_container_id is not null or p_clear_container then 0 else polls end,
    attempts = case when p_to <> p_from then 0 else attempts end,
    reason = p_reason,
    error_kind = null, error_code = null, error_subcode = null,
    lease_until = p_now + make_interval(secs => p_lease_seconds),
    updated_at = p_now
  where id = p_id and state = p_from and lease_owner = p_owner and lease_until > p_now
  returning * into p;
  if not found then return; end if;
  if p_from = 'publishing' and p_to <> 'publishing' then
    delete from publish_log where post_id = p_id and published_at is null;
  end if;
  return next p;
end;
$$;

-- Leaves a leased post in its state until p_next_attempt_at and gives the lease back: a poll
-- that said "not yet", a retryable error (p_count_attempt), a quota wait, a missing token.
create or replace function post_wait(
  p_id text,
  p_owner text,
  p_state text,
  p_next_attempt_at timestamptz,
  p_now timestamptz default now(),
  p_reason text default null,
  p_error_kind text default null,
  p_error_code integer default null,
  p_error_subcode integer default null,
  p_count_attempt boolean default false,
  p_count_poll boolean default false
) returns setof posts language sql as $$
  update posts set
    next_attempt_at = p_next_attempt_at,
    attempts = attempts + case when p_count_attempt then 1 else 0 end,
    polls = polls + case when p_count_poll then 1 else 0 end,
    reason = p_reason, error_kind = p_error_kind, error_code = p_error_code, error_subcode = p_error_subcode,
    lease_owner = null, lease_until = null, updated_at = p_now
  where id = p_id and state = p_state and lease_owner = p_owner and lease_until > p_now
  returning *;
$$;

-- Ends a leased post in 'failed' with a reason a person can act on. A failure never follows a
-- publish that may have happened, so any quota reservation is given back.
create or replace function post_fail(
  p_id text,
  p_owner text,
  p_from text,
  p_reason text,
  p_error_kind text,
  p_now timestamptz default now(),
  p_error_code integer default null,
  p_error_subcode integer default null
) returns setof posts language plpgsql as $$
declare
  p posts;
begin
  update posts set state = 'failed', reason = p_reason, error_kind = p_error_kind,
    error_code = p_error_code, error_subcode = p_error_subcode,
    lease_owner = null, lease_until = null, updated_at = p_now
  where id = p_id and state = p_from and lease_owner = p_owner and lease_until > p_now
  returning * into p;
  if not found then return; end if;
  delete from publish_log where post_id = p_id and published_at is null;
  return next p;
end;
$$;

-- The step into 'publishing', decided under the account's row lock so that concurrent
-- schedulers cannot together exceed the quota. Used = the larger of Meta's live count
-- (p_live_usage, null when it could not be read) and our own publishes in the window, plus our
-- publishes whose outcome is not recorded yet. When the quota is full the post waits, lease
-- given back, until the oldest publish in the window leaves it.
-- outcome: reserved | quota_full | lost (the lease or the state changed under us).
create or replace function post_begin_publish(
  p_id text,
  p_owner text,
  p_account_id text,
  p_quota_total integer,
  p_window_seconds integer,
  p_lease_seconds integer,
  p_now timestamptz default now(),
  p_live_usage integer default null
) returns table (outcome text, used integer, quota_total integer, next_slot_at timestamptz, post jsonb)
language plpgsql as $$
declare
  v_window_start timestamptz := p_now - make_interval(secs => p_window_seconds);
  v_published integer;
  v_inflight integer;
  v_used integer;
  v_oldest timestamptz;
  v_next timestamptz;
  p posts;
begin
  insert into instagram_accounts (account_id) values (p_account_id) on conflict (account_id) do nothing;
  perform 1 from instagram_accounts where account_id = p_account_id for update;

  select count(*) filter (where published_at > v_window_start),
         count(*) filter (where published_at is null and post_id <> p_id),
         min(published_at) filter (where published_at > v_window_start)
    into v_published, v_inflight, v_oldest
  from publish_log where account_id = p_account_id;
  v_used := greatest(coalesce(p_live_usage, 0), v_published) + v_inflight;

  if v_used >= p_quota_total then
    -- When Meta counts publishes we have no record of, no slot time is known: look again soon.
    v_next := coalesce(v_oldest + make_interval(secs => p_window_seconds), p_now + interval '15 minutes');
    update posts set next_attempt_at = greatest(v_next, p_now + interval '1 minute'),
      reason = format('waiting for the publishing quota: %s of %s used in the last %s h; next slot at %s',
                      v_used, p_quota_total, trim_scale(round(p_window_seconds / 3600.0, 1)),
                      to_char(v_next at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
      error_kind = 'quota', error_code = null, error_subcode = null,
      lease_owner = null, lease_until = null, updated_at = p_now
    where id = p_id and state = 'container_ready' and lease_owner = p_owner and lease_until > p_now
    returning * into p;
    return query select (case when found then 'quota_full' else 'lost' end)::text, v_used, p_quota_total, v_next,
      to_jsonb(p);
    return;
  end if;

  update posts set state = 'publishing', publishing_started_at = p_now, attempts = 0,
    reason = null, error_kind = null, error_code = null, error_subcode = null,
    lease_until = p_now + make_interval(secs => p_lease_seconds), updated_at = p_now
  where id = p_id and state = 'container_ready' and lease_owner = p_owner and lease_until > p_now
  returning * into p;
  if not found then
    return query select 'lost'::text, v_used, p_quota_total, null::timestamptz, null::jsonb;
    return;
  end if;
  insert into publish_log (post_id, account_id, reserved_at) values (p_id, p_account_id, p_now)
  on conflict (post_id) do update set account_id = excluded.account_id, reserved_at = excluded.reserved_at,
    published_at = null, media_id = null;
  return query select 'reserved'::text, v_used + 1, p_quota_total, null::timestamptz, to_jsonb(p);
end;
$$;

-- Records a publish: the media id (null when a publish was recovered but its media could not be
-- found) and the permalink when known. Ends the lease.
create or replace function post_published(
  p_id text,
  p_owner text,
  p_now timestamptz default now(),
  p_media_id text default null,
  p_permalink text default null,
  p_reason text default null
) returns setof posts language plpgsql as $$
declare
  p posts;
begin
  update posts set state = 'published', media_id = p_media_id, permalink = p_permalink, published_at = p_now,
    reason = p_reason, error_kind = null, error_code = null, error_subcode = null,
    lease_owner = null, lease_until = null, updated_at = p_now
  where id = p_id and state = 'publishing' and lease_owner = p_owner and lease_until > p_now
  returning * into p;
  if not found then return; end if;
  update publish_log set published_at = p_now, media_id = p_media_id where post_id = p_id;
  return next p;
end;
$$;

-- Adds the permalink after the publish was recorded (it needs one more Graph call).
create or replace function post_set_permalink(p_id text, p_permalink text, p_now timestamptz default now())
returns setof posts language sql as $$
  update posts set permalink = p_permalink, updated_at = p_now
  where id = p_id and state = 'published'
  returning *;
$$;

-- How much of the quota we have used in the window, for reports and the CLI.
create or replace function publish_quota_used(
  p_account_id text, p_window_seconds integer, p_now timestamptz default now()
) returns table (published integer, inflight integer, oldest timestamptz) language sql stable as $$
  select
    (count(*) filter (where published_at > p_now - make_interval(secs => p_window_seconds)))::integer,
    (count(*) filter (where published_at is null))::integer,
    min(published_at) filter (where published_at > p_now - make_interval(secs => p_window_seconds))
  from publish_log where account_id = p_account_id;
$$;
