-- Which of these media ids a post has already recorded: when a publish result was lost and the
-- post looks for its media among the account's latest, media another post owns are not candidates.
create or replace function publish_log_known_media(p_media_ids text[])
returns table (media_id text) language sql stable as $$
  select media_id from publish_log where media_id = any(p_media_ids);
$$;
