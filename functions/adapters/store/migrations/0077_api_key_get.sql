-- One API key by id, without marking it used (api_key_use does): `carrier keys revoke` reads it
-- first, to refuse a pasted whole key whose secret is not that key's and to tell a second
-- revocation from the first. PL/pgSQL, as every set-returning function since 0072.
create or replace function api_key_get(p_id text)
returns setof api_keys language plpgsql stable as $$
#variable_conflict use_column
begin
  return query select * from api_keys where id = p_id;
end;
$$;
