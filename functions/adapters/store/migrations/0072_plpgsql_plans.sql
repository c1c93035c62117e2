-- Set-returning functions as PL/pgSQL, so their plans are kept. Postgres plans the body of a
-- SQL-language function that it cannot inline afresh on every call (before Postgres 18, and
-- PGlite is 17); PL/pgSQL keeps each statement's plan for the session. Every function a turn
-- or a recall calls was SQL: memory_recall alone spent 3.0 ms a turn planning and running on
-- PGlite, 2.0 ms as PL/pgSQL; the local stack did 66 turns/s, 84 with the recall path
-- converted, and memory_query_speakers went from 0.70 to 0.23 ms a call.
--
-- Each body is kept as it is, as one `return query`, with `#variable_conflict use_column`:
-- in a SQL function a column wins over a parameter of the same name, and so it does here
-- (PL/pgSQL would otherwise refuse the ambiguity, since its result columns are variables too).
-- Scalar helpers (memory_visible, memory_quote_lexeme, ...) stay SQL: they are inlined into
-- the query that calls them, which PL/pgSQL would prevent. A function with several statements
-- cannot be one `return query`: the only one, post_tenant_claim, is written out below.
-- New set-returning functions are written in PL/pgSQL (test/store/plans.test.ts checks).
do $$
declare
  f record;
begin
  for f in
    select p.proname, pg_get_function_arguments(p.oid) as args, pg_get_function_result(p.oid) as result,
      p.prosrc, p.provolatile
    from pg_proc p join pg_language l on l.oid = p.prolang
    where l.lanname = 'sql' and p.proretset and p.pronamespace = 'public'::regnamespace
      and p.proname <> 'post_tenant_claim'
      and not exists (
        select 1 from pg_depend d
        where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
      )
  loop
    execute format(
      'create or replace function %I(%s) returns %s language plpgsql %s as %L',
      f.proname, f.args, f.result,
      case f.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end,
      E'#variable_conflict use_column\nbegin\n  return query\n' || rtrim(f.prosrc, E'; \n\t') || E';\nend;'
    );
  end loop;
end;
$$;

create or replace function post_tenant_claim(p_post_id text, p_tenant text)
returns table (tenant text) language plpgsql as $$
#variable_conflict use_column
begin
  insert into post_tenants (post_id, tenant) values (p_post_id, p_tenant)
  on conflict (post_id) do nothing;
  return query select t.tenant from post_tenants t where t.post_id = p_post_id;
end;
$$;
