-- What happens during a turn, in order: the one source every live reader follows (Discord
-- edits, WebSocket pushes, the SSE stream and long-poll, the console). The runner is the only
-- writer; it numbers events itself (seq, from the last stored one) and appends them in small
-- batches, so a streamed turn costs a bounded number of writes.
--
-- kind: delta      data {text}: more of the reply (a delta of a new attempt starts the text over)
--       tool_start data {name}: a tool call began
--       tool_end   data {name}: it returned
--       done       data {text}: the whole reply
--       error      data {message, final}: the attempt failed; final = no retry will come
create table if not exists turn_events (
  turn_id text not null references turns (id) on delete cascade,
  seq integer not null check (seq > 0),
  attempt integer not null,
  kind text not null check (kind in ('delta', 'tool_start', 'tool_end', 'done', 'error')),
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  primary key (turn_id, seq)
);

-- Appends a batch ([{seq, kind, data}]) for attempt p_attempt, fenced like every turn write:
-- appended is -1 when a later claim holds the turn (nothing written), else the rows written.
-- A seq written before is kept as it was, so a resent batch is harmless.
create or replace function turn_events_append(p_turn_id text, p_attempt integer, p_events jsonb)
returns table (appended integer) language plpgsql as $$
declare
  n integer;
begin
  if not exists (select 1 from turns t where t.id = p_turn_id and t.attempts = p_attempt) then
    return query select -1;
    return;
  end if;
  insert into turn_events (turn_id, seq, attempt, kind, data)
  select p_turn_id, (e ->> 'seq')::integer, p_attempt, e ->> 'kind', coalesce(e -> 'data', '{}'::jsonb)
  from jsonb_array_elements(p_events) e
  on conflict (turn_id, seq) do nothing;
  get diagnostics n = row_count;
  return query select n;
end;
$$;

-- The events after seq p_after, oldest first, at most p_limit.
create or replace function turn_events_after(p_turn_id text, p_after integer, p_limit integer)
returns table (seq integer, attempt integer, kind text, data jsonb, created_at timestamptz)
language sql stable as $$
  select e.seq, e.attempt, e.kind, e.data, e.created_at from turn_events e
  where e.turn_id = p_turn_id and e.seq > p_after
  order by e.seq
  limit greatest(1, least(p_limit, 1000));
$$;

-- The last seq written for a turn (0 when none): where a new attempt continues numbering.
create or replace function turn_events_last_seq(p_turn_id text)
returns table (seq integer) language sql stable as $$
  select coalesce(max(e.seq), 0)::integer from turn_events e where e.turn_id = p_turn_id;
$$;
