-- What is known about each account's access token, for the daily refresh: when this token was
-- first seen or last refreshed, and when it expires. Only a SHA-256 of the token is stored.

-- Records the token in use. A token not seen before (set by hand, or refreshed elsewhere) starts
-- its clock now and is assumed to expire p_assumed_lifetime_seconds from now.
create or replace function instagram_token_seen(
  p_account_id text, p_token_sha256 text, p_assumed_lifetime_seconds integer, p_now timestamptz default now()
) returns setof instagram_accounts language plpgsql as $$
begin
  insert into instagram_accounts (account_id) values (p_account_id) on conflict (account_id) do nothing;
  update instagram_accounts set token_sha256 = p_token_sha256, token_seen_at = p_now, token_refreshed_at = null,
    token_expires_at = p_now + make_interval(secs => p_assumed_lifetime_seconds), updated_at = p_now
  where account_id = p_account_id and token_sha256 is distinct from p_token_sha256;
  return query select * from instagram_accounts where account_id = p_account_id;
end;
$$;

-- Records a refreshed token and its new expiry.
create or replace function instagram_token_refreshed(
  p_account_id text, p_token_sha256 text, p_expires_at timestamptz, p_now timestamptz default now()
) returns setof instagram_accounts language plpgsql as $$
begin
  insert into instagram_accounts (account_id) values (p_account_id) on conflict (account_id) do nothing;
  return query
    update instagram_accounts set token_sha256 = p_token_sha256, token_seen_at = p_now, token_refreshed_at = p_now,
      token_expires_at = p_expires_at, updated_at = p_now
    where account_id = p_account_id
    returning *;
end;
$$;
