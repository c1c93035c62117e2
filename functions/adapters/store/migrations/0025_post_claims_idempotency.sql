-- Two guards on the posts queue.
--
-- 1. A post whose claim keeps dying. A publisher tick that crashes, times out or runs out of
--    memory on a post leaves its lease to expire, and the next tick claims the post again: a
--    post that always kills its tick (a media file too large for the publisher's memory) would
--    loop forever. unfinished_claims counts the claims since the last write by a scheduler that
--    held the post; post_claim fails the post, with the reason, once p_max_claims in a row died.
-- 2. Idempotency keys per caller. A key was unique across all posts, so two API callers could
--    collide and get each other's post. Keys are now unique per idempotency_scope (the caller's
--    API key id today, its tenant once keys belong to tenants), and the request's SHA-256 is kept
--    so a key reused with a different body can be refused.

alter table posts add column if not exists unfinished_claims integer not null default 0;
alter table posts add column if not exists idempotency_scope text not null default '';
alter table posts add column if not exists request_sha256 text;

alter table posts drop constraint if exists posts_idempotency_key_key;
alter table posts drop constraint if exists posts_idempotency_scope_key;
alter table posts add constraint posts_idempotency_scope_key unique (idempotency_scope, idempotency_key);

-- A claim is the update that gives the post a new lease owner; any other write to the row (a
-- transition, a wait, a failure, a publish, a person's retry or cancel) means the work on it
-- ended in order, so the count starts again. A trigger rather than a line in each of the
-- scheduler's functions: every writer of the row is covered, including ones added later.
create or replace function posts_count_claims()
returns trigger language plpgsql as $$
begin
  if new.lease_owner is not null and new.lease_owner is distinct from old.lease_owner then
    new.unfinished_claims := old.unfinished_claims + 1;
  elsif new.unfinished_claims = old.unfinished_claims then
    new.unfinished_claims := 0;
  end if;
  return new;
end;
$$;

drop trigger if exists posts_count_claims on posts;
create trigger posts_count_claims before update on posts
  for each row execute function posts_count_claims();

-- Claims up to p_limit due posts that no live lease holds, oldest due first. A post whose last
-- p_max_claims claims all died is failed instead of claimed again, and returned failed so the
-- tick reports it. In 'publishing' its quota reservation is kept: the publish may have happened.
drop function if exists post_claim(text, integer, integer, timestamptz);
create or replace function post_claim(
  p_owner text,
  p_limit integer,
  p_lease_seconds integer,
  p_now timestamptz default now(),
  p_max_claims integer default 5
) returns setof posts language sql as $$
  with due as (
    select id, unfinished_claims >= p_max_claims as dead from posts
    where state in ('scheduled', 'media_hosted', 'container_created', 'container_ready', 'publishing')
      and next_attempt_at <= p_now
      and (lease_until is null or lease_until <= p_now)
    order by next_attempt_at, id
    limit p_limit
    for update skip locked
  )
  update posts p set
    state = case when due.dead then 'failed' else p.state end,
    reason = case when due.dead then format(
      'claimed %s times by publisher runs that never finished it (each crashed, timed out or ran out of memory) while %s; %s',
      p.unfinished_claims, p.state,
      case when p.state = 'publishing'
        then 'its publish may have reached Meta: check the account on Instagram before adding it again'
        else 'find the cause in the publisher''s logs for post ' || p.id || ' (a media file too large for its memory is the usual one), fix it and retry the post'
      end) else p.reason end,
    error_kind = case when due.dead then 'retry' else p.error_kind end,
    error_code = case when due.dead then null else p.error_code end,
    error_subcode = case when due.dead then null else p.error_subcode end,
    lease_owner = case when due.dead then null else p_owner end,
    lease_until = case when due.dead then null else p_now + make_interval(secs => p_lease_seconds) end,
    updated_at = p_now
  from due where p.id = due.id
  returning p.*;
$$;

-- Creates a post; the same idempotency key in the same scope returns the first post instead of a
-- second one (the caller compares request_sha256 to tell a resend from a reuse).
drop function if exists post_create(text, text, jsonb, timestamptz, text, text, jsonb, text);
create or replace function post_create(
  p_character_id text,
  p_kind text,
  p_media jsonb,
  p_scheduled_at timestamptz,
  p_caption text default null,
  p_caption_prompt text default null,
  p_options jsonb default '{}'::jsonb,
  p_idempotency_key text default null,
  p_idempotency_scope text default '',
  p_request_sha256 text default null
) returns setof posts language plpgsql as $$
begin
  if p_idempotency_key is not null then
    return query select * from posts
      where idempotency_scope = coalesce(p_idempotency_scope, '') and idempotency_key = p_idempotency_key;
    if found then return; end if;
  end if;
  return query
    insert into posts (character_id, kind, media, caption, caption_prompt, options, scheduled_at,
                       next_attempt_at, idempotency_key, idempotency_scope, request_sha256)
    values (p_character_id, p_kind, p_media, p_caption, p_caption_prompt, coalesce(p_options, '{}'::jsonb),
            p_scheduled_at, p_scheduled_at, p_idempotency_key, coalesce(p_idempotency_scope, ''), p_request_sha256)
    on conflict (idempotency_scope, idempotency_key) do update set updated_at = posts.updated_at
    returning *;
end;
$$;
