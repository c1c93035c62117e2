-- API keys: only a SHA-256 of the key is stored (keys are 256-bit random, so a fast hash is
-- enough); the id is the key's public prefix, so lookups need no scan.
create table if not exists api_keys (
  id text primary key,
  name text not null,
  hash text not null,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create or replace function api_key_create(p_id text, p_name text, p_hash text, p_scopes text[])
returns setof api_keys language sql as $$
  insert into api_keys (id, name, hash, scopes) values (p_id, p_name, p_hash, p_scopes) returning *;
$$;

-- Finds a key for a request and marks it used (at most once a minute, to spare writes).
create or replace function api_key_use(p_id text)
returns setof api_keys language plpgsql as $$
begin
  update api_keys set last_used_at = now()
  where id = p_id and revoked_at is null
    and (last_used_at is null or last_used_at < now() - interval '1 minute');
  return query select * from api_keys where id = p_id;
end;
$$;

create or replace function api_key_list()
returns setof api_keys language sql stable as $$
  select * from api_keys order by created_at, id;
$$;

create or replace function api_key_revoke(p_id text)
returns setof api_keys language sql as $$
  update api_keys set revoked_at = coalesce(revoked_at, now()) where id = p_id returning *;
$$;
