-- What recall reads out of a question besides its words: when (periods), who (speakers), and
-- which terms to look for with what weight (the question's lexemes, expanded by
-- memory_lexicon, weighted by their BM25 idf over the agent's memories).

-- A count written as digits or words ("3", "three", "a couple of"); null when it is neither.
create or replace function memory_count_word(p_word text)
returns integer language sql immutable as $$
  select case
    when p_word ~ '^\d{1,3}$' then p_word::integer
    else (array[1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 2, 2, 2, 3, 3, 3])[
      array_position(array['a', 'an', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine',
        'ten', 'eleven', 'twelve', 'a couple of', 'a couple', 'couple of', 'a few', 'few', 'several'],
        regexp_replace(btrim(p_word), '\s+', ' ', 'g'))]
  end;
$$;

-- 1..12 for a month's name or its short form.
create or replace function memory_month(p_word text)
returns integer language sql immutable as $$
  select array_position(array['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
    left(p_word, 3));
$$;

-- The periods a question speaks of, relative to p_now (UTC days), and the question without
-- them: "what did she do last week?" → [the week before this one], "what did she do ?".
-- Periods are a day wider than said on each side: "last week" said on a Monday may mean the
-- weekend, and a message stored just before midnight belongs to either day.
create or replace function memory_query_time(p_text text, p_now timestamptz default now())
returns table (periods tstzrange[], rest text)
language plpgsql stable rows 1 as $$
declare
  t text := lower(coalesce(p_text, ''));
  today timestamptz := date_trunc('day', p_now, 'UTC');
  week timestamptz := date_trunc('week', p_now, 'UTC');
  month timestamptz := date_trunc('month', p_now, 'UTC');
  year timestamptz := date_trunc('year', p_now, 'UTC');
  n text := '(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple(?: of)?|couple of|a few|few|several)';
  day_names text[] := array['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  months text := '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)';
  found tstzrange[] := '{}';
  m text[];
  k integer;
  d timestamptz;
  y integer;
  w text;
begin
  -- Most questions name no time: one test, and nothing else runs.
  if t !~ ('\m(today|tonight|yesterday|night|days?|weeks?|weekend|months?|year|recently|lately|ago'
      || '|monday|tuesday|wednesday|thursday|friday|saturday|sunday|(19|20)\d\d'
      || '|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)') then
    periods := null;
    rest := t;
    return next;
    return;
  end if;
  if t ~ '\m(today|tonight|this (morning|afternoon|evening))\M' then
    found := found || tstzrange(today - interval '1 day', p_now + interval '1 day');
  end if;
  if t ~ '\m(yesterday|last night)\M' then
    found := found || tstzrange(today - interval '2 days', today + interval '1 day');
  end if;
  if t ~ '\m(the other day|recently|lately)\M' then
    found := found || tstzrange(today - interval '14 days', p_now + interval '1 day');
  end if;
  for m in select regexp_matches(t, '\m' || n || ' days? ago\M', 'g') loop
    k := memory_count_word(m[1]);
    found := found || tstzrange(today - make_interval(days => k + 1), today - make_interval(days => k - 2));
  end loop;
  if t ~ '\mthis week\M' then
    found := found || tstzrange(week - interval '1 day', p_now + interval '1 day');
  end if;
  if t ~ '\m(last|past) week\M' then
    found := found || tstzrange(week - interval '8 days', week + interval '1 day');
  end if;
  for m in select regexp_matches(t, '\m' || n || ' weeks? ago\M', 'g') loop
    k := memory_count_word(m[1]);
    found := found || tstzrange(today - make_interval(days => 7 * k + 4), today - make_interval(days => 7 * k - 4));
  end loop;
  if t ~ '\m(this|last|past|the) weekend\M' then
    -- The latest Saturday before today; "last weekend" said on a weekend means the one before.
    d := today - make_interval(days => ((extract(isodow from today)::integer + 1) % 7));
    if t ~ '\mlast weekend\M' and d >= today - interval '1 day' then d := d - interval '7 days'; end if;
    found := found || tstzrange(d - interval '1 day', d + interval '3 days');
  end if;
  for m in select regexp_matches(t, '\m(?:last|on|this past|past) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\M', 'g') loop
    k := array_position(day_names, m[1]);
    d := today - make_interval(days => ((extract(isodow from today)::integer - k + 6) % 7) + 1);
    found := found || tstzrange(d - interval '1 day', d + interval '2 days');
  end loop;
  if t ~ '\mthis month\M' then
    found := found || tstzrange(month - interval '1 day', p_now + interval '1 day');
  end if;
  if t ~ '\m(last|past) month\M' then
    found := found || tstzrange(month - interval '1 month' - interval '3 days', month + interval '3 days');
  end if;
  for m in select regexp_matches(t, '\m' || n || ' months? ago\M', 'g') loop
    k := memory_count_word(m[1]);
    found := found || tstzrange(month - make_interval(months => k) - interval '10 days',
      month - make_interval(months => k - 1) + interval '10 days');
  end loop;
  if t ~ '\mthis year\M' then
    found := found || tstzrange(year, p_now + interval '1 day');
  end if;
  if t ~ '\mlast year\M' then
    found := found || tstzrange(year - interval '1 year', year);
  end if;
  -- "in May", "May 8th", "8 May 2024", "last June": the latest such month (day) not after today.
  -- Day-first dates are read (and taken out) first, so "21 October" is not also all October;
  -- a bare "may" is the verb.
  w := t;
  for m in select regexp_matches(w, '\m(\d{1,2})(?:st|nd|rd|th)? (?:of )?' || months || '(?:,? (\d{4}))?\M', 'g') loop
    found := found || memory_month_period(memory_month(m[2]), m[1]::integer, m[3]::integer, today);
  end loop;
  w := regexp_replace(w, '\m(\d{1,2})(st|nd|rd|th)? (of )?' || months || '(,? \d{4})?\M', ' ', 'g');
  for m in select regexp_matches(w,
      '\m(in |on |last |since |during |early |late |mid |around |by )?' || months
      || '\.?(?: (\d{1,2})(?:st|nd|rd|th)?)?(?:,? (\d{4}))?\M', 'g') loop
    if m[2] = 'may' and m[1] is null and m[3] is null and m[4] is null then continue; end if;
    found := found || memory_month_period(memory_month(m[2]), m[3]::integer, m[4]::integer, today);
  end loop;
  for m in select regexp_matches(t, '\m(?:in|during|since) ((?:19|20)\d\d)\M', 'g') loop
    y := m[1]::integer;
    found := found || tstzrange(make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC'), make_timestamptz(y + 1, 1, 1, 0, 0, 0, 'UTC'));
  end loop;
  periods := nullif(array_remove(found, null), '{}');
  rest := regexp_replace(t,
    '\m(today|tonight|this (morning|afternoon|evening)|yesterday|last night|the other day|recently|lately'
    || '|(this|last|past) (week|month|year)|(this|last|past|the) weekend|' || n || ' (days?|weeks?|months?) ago'
    || '|(last|on|this past|past) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)'
    || '|(in|during|since) (19|20)\d\d)\M', ' ', 'g');
  if periods is not null then
    rest := regexp_replace(rest, '\m(\d{1,2}(st|nd|rd|th)? (of )?)?'
      || '((in|on|last|since|during|early|late|mid|around|by) may|(in |on |last |since |during |early |late |mid |around |by )?'
      || '(january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec))\M'
      || '\.?( \d{1,2}(st|nd|rd|th)?)?(,? \d{4})?', ' ', 'g');
    rest := regexp_replace(rest, '\mmay( \d{1,2}(st|nd|rd|th)?)?(,? \d{4})\M|\mmay \d{1,2}(st|nd|rd|th)?\M', ' ', 'g');
  end if;
  return next;
end;
$$;

-- One month (or one day of it) in the latest year that puts it no later than p_today.
create or replace function memory_month_period(p_month integer, p_day integer, p_year integer, p_today timestamptz)
returns tstzrange language plpgsql immutable as $$
declare
  y integer := coalesce(p_year, extract(year from p_today at time zone 'UTC')::integer);
  start timestamptz;
begin
  if p_month is null or (p_day is not null and (p_day < 1 or p_day > 31)) then return null; end if;
  start := make_timestamptz(y, p_month, 1, 0, 0, 0, 'UTC');
  if p_year is null and start > p_today then start := start - interval '1 year'; end if;
  if p_day is null then return tstzrange(start - interval '1 day', start + interval '1 month' + interval '1 day'); end if;
  start := start + make_interval(days => least(p_day, extract(day from start + interval '1 month' - interval '1 day')::integer) - 1);
  return tstzrange(start - interval '1 day', start + interval '2 days');
end;
$$;

-- The users of the agent whom the question names ("what did Maya say…"), by the speaker name
-- on their messages (memory_speakers, 0036), with the word that named them.
create or replace function memory_query_speakers(p_agent_id text, p_text text)
returns table (user_id text, word text)
language sql stable rows 2 as $$
  select s.user_id, s.word
  from (
    select distinct x as word from regexp_split_to_table(lower(coalesce(p_text, '')), '[^[:alnum:]_-]+') x
    where length(x) > 1
  ) w
  join memory_speakers s on s.agent_id = p_agent_id and s.word = w.word;
$$;

-- The terms to look for: the question's lexemes (less the words in p_skip: speaker names) at
-- their lexicon weight, and the lexemes the lexicon relates to them; each with its BM25 idf over
-- the agent's memories, idf = ln(1 + (N − n + 0.5) / (n + 0.5)), and n.
create or replace function memory_query_terms(p_agent_id text, p_text text, p_skip text[] default '{}')
returns table (lexeme text, weight real, idf real, docs bigint)
language sql stable rows 20 as $$
  with asked as (
    select l.lexeme,
      coalesce((select x.weight from memory_lexicon x where x.term = l.lexeme and x.related = l.lexeme), 1) as weight
    from unnest(to_tsvector('english', coalesce(p_text, ''))) l
    where l.lexeme <> all (array(select s.lexeme from unnest(to_tsvector('english', array_to_string(p_skip, ' '))) s))
  ), expanded as (
    select a.lexeme, a.weight from asked a
    union all
    select x.related, a.weight * x.weight
    from asked a join memory_lexicon x on x.term = a.lexeme and x.related <> a.lexeme
  ), corpus as (
    select coalesce((select c.docs from memory_corpus c where c.agent_id = p_agent_id), 0) as docs
  )
  -- Each term's count by its key (a lateral lookup, kept apart by its limit, not a join the planner
  -- may turn into a scan of all the agent's terms: PGlite runs no autovacuum, so these tables are
  -- rarely analysed).
  select e.lexeme, max(e.weight)::real,
    ln(1 + (greatest(corpus.docs - coalesce(t.docs, 0), 0) + 0.5) / (coalesce(t.docs, 0) + 0.5))::real,
    coalesce(t.docs, 0)
  from (select x.lexeme, max(x.weight) as weight from expanded x group by x.lexeme) e
  cross join corpus
  left join lateral (
    select mt.docs from memory_terms mt where mt.agent_id = p_agent_id and mt.lexeme = e.lexeme limit 1
  ) t on true
  group by e.lexeme, corpus.docs, t.docs;
$$;
