-- The deployed WebSocket API's open connections and the jobs each follows. API Gateway holds the
-- sockets; these rows say whose they are (the key's tenant and scopes, checked at $connect) and
-- where the runner pushes a turn's events (PostToConnection). A connection lives at most 2 h on
-- API Gateway, so rows older than that are dropped whenever a connection opens.
create table if not exists live_connections (
  connection_id text primary key,
  tenant text not null,
  key_id text not null,
  scopes text[] not null,
  limits jsonb not null default '{}'::jsonb,
  connected_at timestamptz not null default now()
);
create index if not exists live_connections_tenant on live_connections (tenant);
create index if not exists live_connections_connected_at on live_connections (connected_at);

create table if not exists live_subscriptions (
  turn_id text not null,
  connection_id text not null references live_connections (connection_id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (turn_id, connection_id)
);
create index if not exists live_subscriptions_connection on live_subscriptions (connection_id);

-- Opens a connection for a key, unless its tenant already holds p_max_per_tenant open ones
-- (accepted false, nothing stored). A connection id already stored keeps its first owner.
create or replace function live_connection_open(
  p_connection_id text, p_tenant text, p_key_id text, p_scopes text[], p_limits jsonb, p_max_per_tenant integer
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
  insert into live_connections (connection_id, tenant, key_id, scopes, limits)
  values (p_connection_id, p_tenant, p_key_id, p_scopes, coalesce(p_limits, '{}'::jsonb))
  on conflict (connection_id) do nothing;
  return query select true, n + 1;
end;
$$;

-- Who holds a connection: no row when it is unknown, closed, older than 2 h, or its key has been
-- revoked since it connected (a revoked key's open connections stop working at once).
create or replace function live_connection_get(p_connection_id text)
returns table (tenant text, key_id text, scopes text[], limits jsonb) language sql stable as $$
  select c.tenant, c.key_id, c.scopes, c.limits from live_connections c
  where c.connection_id = p_connection_id and c.connected_at >= now() - interval '2 hours'
    and not exists (select 1 from api_keys k where k.id = c.key_id and k.revoked_at is not null);
$$;

-- Forgets a connection and its subscriptions (on $disconnect, or when a push found it gone).
create or replace function live_connection_close(p_connection_id text)
returns table (closed boolean) language sql as $$
  with gone as (delete from live_connections c where c.connection_id = p_connection_id returning 1)
  select exists (select 1 from gone);
$$;

-- Subscribes an open connection to a turn, at most p_max turns per connection (subscribed false
-- past it, or when the connection is not open). Subscribing twice is one subscription.
create or replace function live_subscribe(p_connection_id text, p_turn_id text, p_max integer)
returns table (subscribed boolean) language plpgsql as $$
begin
  perform 1 from live_connections c where c.connection_id = p_connection_id for update;
  if not found then
    return query select false;
    return;
  end if;
  if exists (select 1 from live_subscriptions s where s.connection_id = p_connection_id and s.turn_id = p_turn_id) then
    return query select true;
    return;
  end if;
  if (select count(*) from live_subscriptions s where s.connection_id = p_connection_id) >= p_max then
    return query select false;
    return;
  end if;
  insert into live_subscriptions (turn_id, connection_id) values (p_turn_id, p_connection_id);
  return query select true;
end;
$$;

-- The connections following a turn, oldest subscription first.
create or replace function live_subscribers(p_turn_id text)
returns table (connection_id text) language sql stable as $$
  select s.connection_id from live_subscriptions s where s.turn_id = p_turn_id order by s.created_at, s.connection_id;
$$;

-- Ends every subscription to a turn whose stream has ended.
create or replace function live_unsubscribe_turn(p_turn_id text)
returns table (removed integer) language sql as $$
  with gone as (delete from live_subscriptions s where s.turn_id = p_turn_id returning 1)
  select count(*)::integer from gone;
$$;
