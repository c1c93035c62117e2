-- Instagram posts: the publishing queue and its state machine.
--
--   scheduled → media_hosted → container_created → container_ready → publishing → published
--   with failed (reason kept) and cancelled.
--
-- A scheduler claims due posts with a lease (lease_owner, lease_until) and persists every
-- transition with an expected-state check before its next network call, so a crash anywhere
-- resumes from the last recorded state and two schedulers never work on one post.
create table if not exists posts (
  id text primary key default gen_random_uuid()::text,
  character_id text not null,
  kind text not null check (kind in ('image', 'reel', 'carousel', 'story')),
  -- [{source}] as requested; once hosted, each item also has url, name, type, bytes, width, height, duration_ms.
  media jsonb not null,
  caption text,
  caption_prompt text,
  -- Reel options: share_to_feed, cover_url, thumb_offset.
  options jsonb not null default '{}'::jsonb,
  state text not null default 'scheduled'
    check (state in ('scheduled', 'media_hosted', 'container_created', 'container_ready', 'publishing',
                     'published', 'failed', 'cancelled')),
  scheduled_at timestamptz not null,
  -- When a scheduler should look at the post next: its schedule, a poll, a backoff or a free quota slot.
  next_attempt_at timestamptz not null,
  -- Consecutive retryable failures of the current step; reset by every transition.
  attempts integer not null default 0,
  -- Container status polls since the container was created.
  polls integer not null default 0,
  lease_owner text,
  lease_until timestamptz,
  account_id text,
  -- Carousel child container ids, in media order.
  children jsonb,
  container_id text,
  container_created_at timestamptz,
  publishing_started_at timestamptz,
  media_id text,
  permalink text,
  -- Why the post is waiting or failed, with Meta's code and subcode when Meta said so.
  reason text,
  error_kind text check (error_kind in ('retry', 'fix_input', 'reauth', 'unknown_outcome', 'quota')),
  error_code integer,
  error_subcode integer,
  idempotency_key text unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz
);

create index if not exists posts_due on posts (next_attempt_at, id)
  where state in ('scheduled', 'media_hosted', 'container_created', 'container_ready', 'publishing');
create index if not exists posts_by_character on posts (character_id, scheduled_at desc);

-- One row per publish attempt that may have reached Meta, for the rolling 24 h quota. A row is
-- reserved (published_at null) before media_publish is called and completed when the result is
-- recorded; a carousel is one post, so it counts once.
create table if not exists publish_log (
  post_id text primary key references posts (id) on delete cascade,
  account_id text not null,
  reserved_at timestamptz not null,
  published_at timestamptz,
  media_id text
);

create index if not exists publish_log_window on publish_log (account_id, published_at);

-- One row per Instagram account: the lock that serialises quota decisions, and what is known
-- about its access token (a SHA-256 of it, never the token) for the daily refresh.
create table if not exists instagram_accounts (
  account_id text primary key,
  token_sha256 text,
  token_seen_at timestamptz,
  token_refreshed_at timestamptz,
  token_expires_at timestamptz,
  updated_at timestamptz not null default now()
);
