-- Posts queued over the API belong to the caller's tenant. Kept beside the posts table (0020), so
-- the publisher's functions stay as they are: a post without a row here was queued by the
-- operator (`carrier posts add`) and is not shown over the API. Idempotency keys are scoped by
-- tenant through posts.idempotency_scope (0025), which the API sets to `tenant:<tenant>`.
create table if not exists post_tenants (
  post_id text primary key,
  tenant text not null,
  created_at timestamptz not null default now()
);
create index if not exists post_tenants_by_tenant on post_tenants (tenant, post_id);

-- The first tenant to queue a post owns it; a resend (same Idempotency-Key) changes nothing.
create or replace function post_tenant_claim(p_post_id text, p_tenant text)
returns table (tenant text) language sql as $$
  insert into post_tenants (post_id, tenant) values (p_post_id, p_tenant)
  on conflict (post_id) do nothing;
  select t.tenant from post_tenants t where t.post_id = p_post_id;
$$;

create or replace function post_tenant_of(p_post_id text)
returns table (tenant text) language sql stable as $$
  select t.tenant from post_tenants t where t.post_id = p_post_id;
$$;

-- A tenant's posts, newest schedule first, as jsonb rows.
create or replace function post_tenant_list(
  p_tenant text, p_character_id text default null, p_state text default null,
  p_limit integer default 50, p_offset integer default 0
) returns table (post jsonb) language plpgsql stable as $$
begin
  return query
    select to_jsonb(p) from posts p join post_tenants t on t.post_id = p.id
    where t.tenant = p_tenant
      and (p_character_id is null or p.character_id = p_character_id)
      and (p_state is null or p.state = p_state)
    order by p.scheduled_at desc, p.created_at desc, p.id
    limit greatest(p_limit, 0) offset greatest(p_offset, 0);
end;
$$;
