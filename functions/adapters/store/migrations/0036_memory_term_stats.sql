-- Term statistics per agent, for BM25 ranking (0008): how many of the agent's memories hold each
-- lexeme, and how many memories and lexemes the agent has (its average length). ts_rank alone
-- knows neither, so a word found in every other message ranks like a rare one.
--
-- Kept by statement-level triggers, one aggregate upsert per statement (a 500-row insert is two
-- statements here, not a thousand). Each statement locks the agent's memory_corpus row before
-- any of its memory_terms rows, and takes the term rows in lexeme order, so two writers of one
-- agent queue on the corpus row instead of deadlocking on terms.
create table if not exists memory_corpus (
  agent_id text primary key,
  docs bigint not null default 0,
  lexemes bigint not null default 0
);

create table if not exists memory_terms (
  agent_id text not null,
  lexeme text not null,
  docs bigint not null,
  primary key (agent_id, lexeme)
);

-- Who speaks in the agent's conversations: the first word of the name on a user's messages
-- (memory_speaker, 0008's speaker field), so a question naming "Maya" finds Maya's user id by key.
create table if not exists memory_speakers (
  agent_id text not null,
  word text not null,
  user_id text not null,
  primary key (agent_id, word, user_id)
);

-- A message's speaker as a question names them: the first word of content.name, lower case.
create or replace function memory_speaker(p_content jsonb)
returns text language sql immutable as $$
  select nullif(lower(split_part(btrim(p_content ->> 'name'), ' ', 1)), '');
$$;

create or replace function memory_terms_added()
returns trigger language plpgsql as $$
begin
  insert into memory_corpus as c (agent_id, docs, lexemes)
  select a.agent_id, count(*), sum(length(a.tsv)) from added a group by a.agent_id order by a.agent_id
  on conflict (agent_id) do update set docs = c.docs + excluded.docs, lexemes = c.lexemes + excluded.lexemes;
  insert into memory_terms as t (agent_id, lexeme, docs)
  select a.agent_id, u.lexeme, count(*) from added a, unnest(a.tsv) u
  group by a.agent_id, u.lexeme order by a.agent_id, u.lexeme
  on conflict (agent_id, lexeme) do update set docs = t.docs + excluded.docs;
  insert into memory_speakers (agent_id, word, user_id)
  select distinct a.agent_id, memory_speaker(a.content), a.user_id from added a
  where a.type = 'message' and a.user_id is not null and memory_speaker(a.content) is not null
  order by 1, 2, 3
  on conflict do nothing;
  return null;
end;
$$;

create or replace function memory_terms_removed()
returns trigger language plpgsql as $$
begin
  update memory_corpus c set docs = greatest(c.docs - r.docs, 0), lexemes = greatest(c.lexemes - r.lexemes, 0)
  from (
    select o.agent_id, count(*) as docs, sum(length(o.tsv)) as lexemes from removed o
    group by o.agent_id order by o.agent_id
  ) r
  where c.agent_id = r.agent_id;
  update memory_terms t set docs = greatest(t.docs - r.docs, 0)
  from (
    select o.agent_id, u.lexeme, count(*) as docs from removed o, unnest(o.tsv) u
    group by o.agent_id, u.lexeme order by o.agent_id, u.lexeme
  ) r
  where t.agent_id = r.agent_id and t.lexeme = r.lexeme;
  -- Nothing of a forgotten user stays behind: not their words' counts, not their name.
  delete from memory_terms t where t.agent_id in (select distinct o.agent_id from removed o) and t.docs <= 0;
  delete from memory_speakers s
  using (select distinct o.agent_id, o.user_id from removed o where o.user_id is not null) r
  where s.agent_id = r.agent_id and s.user_id = r.user_id
    and not exists (
      select 1 from memories m
      where m.agent_id = s.agent_id and m.user_id = s.user_id and m.type = 'message'
        and memory_speaker(m.content) = s.word
    );
  return null;
end;
$$;

-- Content is written once in practice (facts supersede rather than edit), but an edited row
-- moves its counts all the same.
create or replace function memory_terms_changed()
returns trigger language plpgsql as $$
begin
  update memory_corpus c set lexemes = c.lexemes - length(old.tsv) + length(new.tsv) where c.agent_id = new.agent_id;
  update memory_terms t set docs = greatest(t.docs - 1, 0)
  where t.agent_id = old.agent_id and t.lexeme = any (tsvector_to_array(old.tsv));
  insert into memory_terms as t (agent_id, lexeme, docs)
  select new.agent_id, l, 1 from unnest(tsvector_to_array(new.tsv)) l order by l
  on conflict (agent_id, lexeme) do update set docs = t.docs + 1;
  return null;
end;
$$;

create or replace function memory_terms_truncated()
returns trigger language plpgsql as $$
begin
  truncate memory_terms, memory_corpus, memory_speakers;
  return null;
end;
$$;

drop trigger if exists memory_terms_added on memories;
create trigger memory_terms_added after insert on memories
  referencing new table as added for each statement execute function memory_terms_added();
drop trigger if exists memory_terms_removed on memories;
create trigger memory_terms_removed after delete on memories
  referencing old table as removed for each statement execute function memory_terms_removed();
drop trigger if exists memory_terms_changed on memories;
create trigger memory_terms_changed after update of content on memories
  for each row when (old.tsv is distinct from new.tsv) execute function memory_terms_changed();
drop trigger if exists memory_terms_truncated on memories;
create trigger memory_terms_truncated after truncate on memories
  for each statement execute function memory_terms_truncated();

-- The memories stored before this migration.
truncate memory_terms, memory_corpus, memory_speakers;
insert into memory_corpus (agent_id, docs, lexemes)
select m.agent_id, count(*), coalesce(sum(length(m.tsv)), 0) from memories m group by m.agent_id;
insert into memory_terms (agent_id, lexeme, docs)
select m.agent_id, u.lexeme, count(*) from memories m, unnest(m.tsv) u group by m.agent_id, u.lexeme;
insert into memory_speakers (agent_id, word, user_id)
select distinct m.agent_id, memory_speaker(m.content), m.user_id from memories m
where m.type = 'message' and m.user_id is not null and memory_speaker(m.content) is not null;
