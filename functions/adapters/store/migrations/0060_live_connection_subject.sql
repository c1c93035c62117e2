-- A connection opened with an OIDC access token belongs to that signed-in user, not to its app:
-- the user (issuer and sub) is kept with the connection, so the frames it sends act as that user
-- alone, as its HTTP calls do. Connections opened with an API key keep no subject.
alter table live_connections add column if not exists subject jsonb;

drop function if exists live_connection_open(text, text, text, text[], jsonb, integer);
create or replace function live_connection_open(
  p_connection_id text, p_tenant text, p_key_id text, p_scopes text[], p_limits jsonb, p_max_per_tenant integer,
  p_subject jsonb default null
) returns table (accepted boolean, open_count integer) language plpgsql as $$
declare
  n integer;
begin
  delete from live_connections c where c.connected_at < now() - interval '2 hours';
  -- One tenant's connections open one at a time, so a flood cannot race past the cap.
  perform pg_advisory_xact_lock(hashtext('live_connections:' || p_tenant));
  select count(*) into n from live_connections c where c.tenant = p_tenant;
  if n >= p_max_per_tenant then
    return query select false, n;
    return;
  end if;
  insert into live_connections (connection_id, tenant, key_id, scopes, limits, subject)
  values (p_connection_id, p_tenant, p_key_id, p_scopes, coalesce(p_limits, '{}'::jsonb), p_subject)
  on conflict (connection_id) do nothing;
  return query select true, n + 1;
end;
$$;

drop function if exists live_connection_get(text);
create or replace function live_connection_get(p_connection_id text)
returns table (tenant text, key_id text, scopes text[], limits jsonb, subject jsonb) language sql stable as $$
  select c.tenant, c.key_id, c.scopes, c.limits, c.subject from live_connections c
  where c.connection_id = p_connection_id and c.connected_at >= now() - interval '2 hours'
    and not exists (select 1 from api_keys k where k.id = c.key_id and k.revoked_at is not null);
$$;
