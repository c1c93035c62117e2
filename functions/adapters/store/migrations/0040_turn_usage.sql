-- What each turn used and cost, and the daily budgets it counts against.
--
-- turn_usage: one row per turn id (the ledger). status:
--   reserved  the turn's worst-case cost is counted against today's budgets; the model runs
--   settled   the real cost replaced the reservation (cost_micro_usd null: the model has no
--             price, and the reservation stays counted so an unpriced model cannot run free)
--   refused   over a daily cap: the model was not called
-- `day` is the budget day in the configured time zone, decided by the runner, so budgets
-- reset at that zone's midnight and a settlement lands on the day its reservation did.
create table if not exists turn_usage (
  turn_id text primary key,
  agent_id text not null,
  user_id text not null,
  day date not null,
  status text not null check (status in ('reserved', 'settled', 'refused')),
  -- Which cap refused the turn (character | user), or which one sent it to the fallback model.
  over_cap text check (over_cap in ('character', 'user')),
  reserved_micro_usd bigint not null default 0,
  provider text not null,
  model text not null,
  requests integer not null default 0,
  input_tokens bigint not null default 0,
  cached_input_tokens bigint not null default 0,
  output_tokens bigint not null default 0,
  cost_micro_usd bigint,
  price_version text,
  created_at timestamptz not null default now(),
  settled_at timestamptz
);

create index if not exists turn_usage_day on turn_usage (day, agent_id);

-- What is committed per character and day (user_id '') and per character, user and day:
-- settled costs plus outstanding reservations. One row per counter, locked by the reservation.
create table if not exists budget_counters (
  agent_id text not null,
  user_id text not null,
  day date not null,
  committed_micro_usd bigint not null default 0,
  primary key (agent_id, user_id, day)
);

-- Reserves a turn's worst-case cost against the character's and the user's caps for p_day,
-- in one statement: both counters are locked (character first, then user: one order, so no
-- deadlock) and a turn is admitted while a counter is under its cap. With reservations at the
-- worst case, what a day spends therefore stays under cap + one turn's worst case however many
-- turns race. Over a cap the turn is refused, or, with p_fallback_model, reserved on that model
-- (outcome 'fallback'), which the caps do not stop. A null cap is no cap. Calling it again for
-- the same turn (a retry) returns the first outcome and counts nothing twice.
-- outcome: reserved | fallback | refused; over_cap names the cap that was reached.
create or replace function usage_reserve(
  p_turn_id text, p_agent_id text, p_user_id text, p_day date, p_provider text, p_model text,
  p_reserve_micro_usd bigint, p_agent_cap_micro_usd bigint default null,
  p_user_cap_micro_usd bigint default null, p_fallback_provider text default null,
  p_fallback_model text default null, p_fallback_reserve_micro_usd bigint default 0
) returns table (outcome text, over_cap text, provider text, model text, reserved_micro_usd bigint)
language plpgsql as $$
declare
  existing turn_usage;
  agent_committed bigint;
  user_committed bigint;
  reached text;
begin
  if p_reserve_micro_usd < 0 or p_fallback_reserve_micro_usd < 0 then
    raise exception 'usage_reserve: a reservation cannot be negative' using errcode = '22023';
  end if;
  select * into existing from turn_usage u where u.turn_id = p_turn_id;
  if found then
    return query select
      case when existing.status = 'refused' then 'refused'
           when existing.over_cap is not null then 'fallback' else 'reserved' end,
      existing.over_cap, existing.provider, existing.model, existing.reserved_micro_usd;
    return;
  end if;

  insert into budget_counters (agent_id, user_id, day) values (p_agent_id, '', p_day), (p_agent_id, p_user_id, p_day)
  on conflict do nothing;
  select c.committed_micro_usd into agent_committed from budget_counters c
  where c.agent_id = p_agent_id and c.user_id = '' and c.day = p_day for update;
  select c.committed_micro_usd into user_committed from budget_counters c
  where c.agent_id = p_agent_id and c.user_id = p_user_id and c.day = p_day for update;

  if p_agent_cap_micro_usd is not null and agent_committed >= p_agent_cap_micro_usd then
    reached := 'character';
  elsif p_user_cap_micro_usd is not null and user_committed >= p_user_cap_micro_usd then
    reached := 'user';
  end if;

  if reached is not null and p_fallback_model is null then
    insert into turn_usage (turn_id, agent_id, user_id, day, status, over_cap, provider, model)
    values (p_turn_id, p_agent_id, p_user_id, p_day, 'refused', reached, p_provider, p_model);
    return query select 'refused'::text, reached, p_provider, p_model, 0::bigint;
    return;
  end if;

  if reached is not null then
    p_provider := coalesce(p_fallback_provider, p_provider);
    p_model := p_fallback_model;
    p_reserve_micro_usd := p_fallback_reserve_micro_usd;
  end if;
  update budget_counters c set committed_micro_usd = c.committed_micro_usd + p_reserve_micro_usd
  where c.agent_id = p_agent_id and c.user_id = '' and c.day = p_day;
  update budget_counters c set committed_micro_usd = c.committed_micro_usd + p_reserve_micro_usd
  where c.agent_id = p_agent_id and c.user_id = p_user_id and c.day = p_day;
  insert into turn_usage (turn_id, agent_id, user_id, day, status, over_cap, reserved_micro_usd, provider, model)
  values (p_turn_id, p_agent_id, p_user_id, p_day, 'reserved', reached, p_reserve_micro_usd, p_provider, p_model);
  return query select case when reached is null then 'reserved' else 'fallback' end,
    reached, p_provider, p_model, p_reserve_micro_usd;
end;
$$;

-- Replaces a turn's reservation with what it really used and cost. A null cost (no price for
-- the model) keeps the reservation counted. Settling twice changes nothing the second time.
create or replace function usage_settle(
  p_turn_id text, p_requests integer, p_input_tokens bigint, p_cached_input_tokens bigint,
  p_output_tokens bigint, p_cost_micro_usd bigint, p_price_version text
) returns setof turn_usage language plpgsql as $$
declare
  r turn_usage;
  delta bigint;
begin
  select * into r from turn_usage u where u.turn_id = p_turn_id for update;
  if not found or r.status <> 'reserved' then
    return query select * from turn_usage u where u.turn_id = p_turn_id;
    return;
  end if;
  delta := coalesce(p_cost_micro_usd, r.reserved_micro_usd) - r.reserved_micro_usd;
  update budget_counters c set committed_micro_usd = c.committed_micro_usd + delta
  where c.agent_id = r.agent_id and c.user_id = '' and c.day = r.day;
  update budget_counters c set committed_micro_usd = c.committed_micro_usd + delta
  where c.agent_id = r.agent_id and c.user_id = r.user_id and c.day = r.day;
  return query update turn_usage u set status = 'settled', requests = p_requests,
    input_tokens = p_input_tokens, cached_input_tokens = p_cached_input_tokens,
    output_tokens = p_output_tokens, cost_micro_usd = p_cost_micro_usd,
    price_version = p_price_version, settled_at = now()
  where u.turn_id = p_turn_id returning u.*;
end;
$$;
