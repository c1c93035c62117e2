-- The messages a live Discord reply has posted beyond @original (follow-ups past 2,000
-- characters), in order, by id. Follow-ups are not idempotent on Discord's side: a redelivered
-- or retried turn edits these instead of posting them again.
create table if not exists live_replies (
  turn_id text primary key references turns (id) on delete cascade,
  followups jsonb not null default '[]'::jsonb,
  updated_at timestamptz not null default now()
);

-- The follow-up message ids of a turn's reply, in order (empty when none).
create or replace function live_reply_followups(p_turn_id text)
returns table (followups jsonb) language sql stable as $$
  select coalesce((select l.followups from live_replies l where l.turn_id = p_turn_id), '[]'::jsonb);
$$;

-- Records follow-up number p_index (0 = the first after @original). An index already recorded
-- keeps its first id, so a resent write changes nothing; a gap is refused (index beyond the end).
create or replace function live_reply_add_followup(p_turn_id text, p_index integer, p_message_id text)
returns table (followups jsonb) language plpgsql as $$
declare
  current jsonb;
begin
  insert into live_replies (turn_id) values (p_turn_id) on conflict (turn_id) do nothing;
  select l.followups into current from live_replies l where l.turn_id = p_turn_id for update;
  if p_index = jsonb_array_length(current) then
    update live_replies l set followups = current || to_jsonb(p_message_id), updated_at = now()
    where l.turn_id = p_turn_id returning l.followups into current;
  elsif p_index > jsonb_array_length(current) then
    raise exception 'live_reply_add_followup: follow-up % of turn % comes after a missing one', p_index, p_turn_id;
  end if;
  return query select current;
end;
$$;
