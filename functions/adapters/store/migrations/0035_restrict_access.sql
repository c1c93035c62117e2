-- Supabase serves schema public over PostgREST (/rest/v1) to anyone holding the public anon
-- key, and grants anon and authenticated everything in it by default: without this, the anon
-- key reads memories and turns and calls api_key_create to mint an API key. Carrier reaches
-- Supabase only with the service-role key, so the store is closed to everyone else:
--   - row-level security on every table, with no policies: only roles that bypass RLS (the
--     owner, service_role) see rows;
--   - no EXECUTE on our functions for public, anon or authenticated; service_role keeps it;
--   - the same for objects created later (default privileges), and store_restrict_access()
--     runs again after every migration (migrate() calls it), since RLS has no default.
-- anon, authenticated and service_role exist only on Supabase: on PGlite and plain Postgres
-- their steps are skipped, and the owner (who runs Carrier there) keeps every right.
create or replace function store_restrict_access()
returns void language plpgsql as $$
declare
  t regclass;
  f regprocedure;
  r text;
  closed text[] := array(select rolname::text from pg_roles where rolname in ('anon', 'authenticated'));
  service boolean := exists (select 1 from pg_roles where rolname = 'service_role');
begin
  for t in
    select c.oid::regclass from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity
  loop
    execute format('alter table %s enable row level security', t);
  end loop;

  -- Our functions only: an extension's (pgvector's) belong to the extension.
  for f in
    select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public'
      and not exists (
        select 1 from pg_depend d
        where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
      )
  loop
    execute format('revoke execute on routine %s from public', f);
    foreach r in array closed loop
      execute format('revoke execute on routine %s from %I', f, r);
    end loop;
    if service then
      execute format('grant execute on routine %s to service_role', f);
    end if;
  end loop;
  -- PUBLIC's EXECUTE on new functions is a global default: it cannot be revoked per schema.
  alter default privileges revoke execute on functions from public;

  foreach r in array closed loop
    execute format('revoke all on all tables in schema public from %I', r);
    execute format('revoke all on all sequences in schema public from %I', r);
    execute format('alter default privileges in schema public revoke all on tables from %I', r);
    execute format('alter default privileges in schema public revoke all on sequences from %I', r);
    execute format('alter default privileges in schema public revoke execute on functions from %I', r);
  end loop;

  if service then
    grant select, insert, update, delete on all tables in schema public to service_role;
    grant usage, select on all sequences in schema public to service_role;
    alter default privileges in schema public grant execute on functions to service_role;
    alter default privileges in schema public grant select, insert, update, delete on tables to service_role;
    alter default privileges in schema public grant usage, select on sequences to service_role;
  end if;
end;
$$;

select store_restrict_access();
