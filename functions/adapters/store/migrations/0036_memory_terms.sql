-- Term statistics per agent, for BM25 ranking (0038): how many of the agent's memories hold each
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
-- (memory_speaker, 0037 reads it), so a question naming "Maya" finds Maya's user id by key.
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

-- The query vocabulary recall expands a question with, so a paraphrase still finds what was
-- said: "my mum" finds "my mother", "what did she buy" finds "bought", "two" finds "2". Only the
-- question is expanded (memories are indexed as written), so the list can grow without
-- rewriting a row. Each term maps to related lexemes with a weight:
--   1.0  the same word: irregular forms (went → go), spellings (color, colour), chat
--        shorthand (bday), numbers (two, 2);
--   0.6  a near synonym (movie, film);
--   <1   a word mapped to itself: question filler ("tell", "remember") that says little
--        about what is looked for.
-- Lexemes are the english configuration's (the stems the tsvector column holds).
create table if not exists memory_lexicon (
  term text not null,
  related text not null,
  weight real not null check (weight > 0 and weight <= 1),
  primary key (term, related)
);

create or replace function memory_lexicon_load(p_weight real, p_groups text[])
returns void language sql as $$
  -- Every word of a group relates to every other; words that are stop words (no lexeme) drop.
  with words as (
    select g.n, l.lexeme
    from unnest(p_groups) with ordinality g (words, n),
      regexp_split_to_table(g.words, '\s+') w,
      unnest(to_tsvector('english', w)) l
  )
  insert into memory_lexicon (term, related, weight)
  select distinct a.lexeme, b.lexeme, p_weight from words a join words b on a.n = b.n and a.lexeme <> b.lexeme
  on conflict (term, related) do update set weight = greatest(memory_lexicon.weight, excluded.weight);
$$;

-- The same word.
select memory_lexicon_load(1.0, array[
  -- irregular forms the stemmer leaves apart
  'go went gone', 'see saw seen', 'eat ate eaten', 'buy bought', 'get got gotten', 'make made',
  'take took taken', 'come came', 'give gave given', 'find found', 'tell told', 'say said',
  'think thought', 'feel felt', 'meet met', 'run ran', 'begin began begun', 'bring brought',
  'teach taught', 'catch caught', 'fight fought', 'lose lost', 'win won', 'pay paid', 'sell sold',
  'send sent', 'spend spent', 'build built', 'break broke broken', 'choose chose chosen',
  'drive drove driven', 'fall fell fallen', 'fly flew flown', 'forget forgot forgotten',
  'grow grew grown', 'hear heard', 'hold held', 'keep kept', 'know knew known', 'ride rode ridden',
  'sing sang sung', 'sit sat', 'sleep slept', 'speak spoke spoken', 'stand stood', 'steal stole stolen',
  'swim swam swum', 'throw threw thrown', 'wear wore worn', 'write wrote written', 'draw drew drawn',
  'leave left', 'lend lent', 'hurt hurting', 'understand understood', 'wake woke woken',
  'mouse mice', 'child children', 'person people', 'man men', 'woman women', 'foot feet', 'tooth teeth',
  -- spellings
  'color colour', 'favorite favourite fave', 'neighbor neighbour', 'theater theatre', 'center centre',
  'gray grey', 'organize organise', 'realize realise', 'apologize apologise', 'practice practise',
  'jewelry jewellery', 'pajamas pyjamas', 'mom mum mommy mummy mama', 'dad daddy papa',
  'grandma granny nana', 'grandpa granddad grandad', 'donut doughnut', 'okay ok', 'catalog catalogue',
  -- chat shorthand
  'birthday bday', 'boyfriend bf', 'girlfriend gf', 'people ppl', 'tomorrow tmrw tmr',
  'university uni', 'vacation vacay', 'picture pic pics', 'photo photos', 'information info',
  'conversation convo', 'doctor doc', 'professor prof', 'apartment apt', 'television tv telly',
  'refrigerator fridge', 'laboratory lab', 'examination exam', 'gymnasium gym', 'advertisement ad',
  'mathematics math maths', 'biology bio', 'chemistry chem', 'application app', 'because cuz coz',
  'thanks thx', 'please pls', 'sorry sry', 'kilometer kilometre km', 'minutes mins', 'hours hrs',
  'weekend wknd', 'christmas xmas', 'brother bro', 'sister sis',
  -- numbers
  '1 one first 1st', '2 two 2nd', '3 three third 3rd', '4 four fourth 4th', '5 five fifth 5th',
  '6 six sixth 6th', '7 seven seventh 7th', '8 eight eighth 8th', '9 nine ninth 9th',
  '10 ten tenth 10th', '11 eleven', '12 twelve dozen', '13 thirteen', '14 fourteen', '15 fifteen',
  '16 sixteen', '17 seventeen', '18 eighteen', '19 nineteen', '20 twenty', '30 thirty', '40 forty',
  '50 fifty', '60 sixty', '70 seventy', '80 eighty', '90 ninety', '100 hundred', '1000 thousand',
  -- days and months as written short
  'monday mon', 'tuesday tues', 'thursday thurs', 'friday fri', 'january jan', 'february feb', 'april apr', 'august aug',
  'september sept sep', 'october oct', 'november nov', 'december dec'
]::text[]);

-- Near synonyms: what people say for the same thing in chat.
select memory_lexicon_load(0.6, array[
  -- people
  'mom mother', 'dad father', 'grandma grandmother', 'grandpa grandfather', 'kid child kiddo',
  'son boy', 'daughter girl', 'husband hubby spouse', 'wife spouse', 'friend pal buddy mate bestie',
  'baby infant newborn', 'boss manager supervisor', 'coworker colleague', 'teacher instructor tutor',
  'doctor physician', 'partner spouse', 'family relatives folks', 'wedding marriage married',
  'fiance fiancee engaged engagement', 'girlfriend partner', 'boyfriend partner', 'roommate flatmate housemate',
  'neighbor neighbour', 'sibling brother', 'sibling sister',
  -- animals
  'dog puppy pup doggo pooch', 'cat kitten kitty', 'pet dog', 'pet cat', 'pet puppy', 'pet kitten', 'horse pony',
  'rabbit bunny', 'fish goldfish', 'bird parrot',
  -- home
  'house home place', 'apartment flat', 'move moved relocate relocated', 'garden yard backyard',
  'couch sofa', 'rent lease', 'landlord landlady', 'renovate remodel renovation',
  -- work and school
  'job work career position role employment gig', 'company firm employer business',
  'office workplace', 'quit resign resigned', 'fired sacked dismissed', 'promotion promoted raise',
  'salary pay wage income', 'interview hiring', 'project assignment task',
  'school college university campus', 'class course lesson lecture', 'exam test quiz final',
  'study studying revise revision', 'homework assignment coursework', 'graduate graduation graduated degree',
  'teach teaching', 'learn learning lesson', 'retire retirement retired',
  -- food
  'food meal dish', 'dinner supper', 'breakfast brunch', 'restaurant diner bistro eatery', 'cafe coffeeshop',
  'coffee latte espresso cappuccino', 'tea chai', 'cook cooking bake baking', 'recipe dish',
  'dessert sweets cake pastry', 'cookie biscuit', 'drink beverage', 'beer ale', 'wine prosecco champagne',
  'vegetarian vegan', 'snack treat', 'groceries grocery supermarket',
  -- travel and places
  'trip travel vacation holiday getaway journey', 'flight fly plane airplane airport',
  'beach seaside coast shore', 'mountain hill', 'hike hiking trek trekking walk', 'hotel hostel resort inn',
  'abroad overseas', 'visit visiting stay', 'city town', 'country countryside', 'lake pond',
  'camp camping tent', 'car vehicle auto', 'bike bicycle cycling cycle', 'train rail',
  'bus coach', 'museum gallery exhibition', 'park playground',
  -- health
  'sick ill unwell poorly', 'flu cold fever', 'hurt injured injury pain sore', 'medicine meds medication pill',
  'hospital clinic', 'surgery operation', 'exercise workout training', 'gym fitness', 'run jog jogging',
  'tired exhausted sleepy', 'stress stressed anxious anxiety worried worry', 'diet eating',
  'pregnant expecting pregnancy', 'therapy therapist counseling counselling',
  -- pastimes
  'movie film flick cinema', 'show series episode', 'book novel', 'read reading', 'music song tune album',
  'concert gig festival', 'band group', 'game gaming videogame', 'paint painting art artwork',
  'draw drawing sketch sketching', 'photo picture photograph snapshot', 'camera lens',
  'garden gardening plants', 'knit knitting crochet', 'sport sports', 'soccer football', 'swim swimming pool',
  'dance dancing', 'sing singing choir', 'guitar bass ukulele', 'piano keyboard', 'podcast episode',
  'party celebration celebrate', 'hobby pastime', 'volunteer volunteering charity',
  'competition contest tournament race', 'marathon race run', 'match game',
  -- things and money
  'buy purchase purchased shopping shop', 'shop store', 'cheap inexpensive affordable', 'expensive pricey costly',
  'gift present', 'clothes clothing outfit', 'shoes sneakers trainers boots', 'dress gown',
  'phone mobile cellphone smartphone', 'laptop computer pc notebook', 'money cash savings',
  'sell selling sold', 'broke broken', 'fix repair repaired fixed',
  -- feelings
  'happy glad pleased', 'excited thrilled', 'sad upset unhappy down', 'angry mad annoyed furious',
  'scared afraid frightened nervous', 'love adore', 'like enjoy', 'hate dislike', 'lonely alone',
  'great awesome amazing fantastic wonderful', 'bad awful terrible horrible', 'proud accomplished',
  'bored boring', 'funny hilarious', 'beautiful gorgeous lovely pretty', 'calm relaxed peaceful',
  -- time of life
  'holiday holidays', 'weekend saturday', 'weekend sunday', 'morning am', 'evening night tonight'
]::text[]);

-- Question filler: kept, but it says little about what is looked for.
insert into memory_lexicon (term, related, weight)
select l.lexeme, l.lexeme, 0.3
from unnest(array['tell', 'say', 'mention', 'talk', 'remember', 'recall', 'know', 'thing', 'kind', 'sort',
  'ever', 'something', 'anything', 'think', 'ask', 'happen', 'share', 'mean', 'also', 'really']) w,
  unnest(to_tsvector('english', w)) l
on conflict (term, related) do update set weight = excluded.weight;

drop function memory_lexicon_load(real, text[]);
-- Statistics now, so the planner looks terms up by key rather than scanning the list.
analyze memory_lexicon;
