// The direction of every import in the runtime, checked by test/architecture/boundaries.test.ts:
// entry points (handlers, local, bin) → wiring → domain → ports ← adapters.
const domain =
  '^functions/(agents|api|characters|config|discord|http|instagram|media|memory|mcp|outbound|turns|usage|webhooks|doctor|schedules|errors\\.ts)';
const entryPoints = '^(functions/(handlers|local|wiring)/|bin/)';
// Clients that talk to a service, and Lambda's event types: only adapters and entry points see them.
const clients =
  '^node_modules/(@aws-sdk/|@aws-lambda-powertools/|@types/aws-lambda/|postgres/|@supabase/|@electric-sql/|@discordjs/rest/|basic-ftp/|openai/|@anthropic-ai/sdk/|@hono/node-server/|hono/dist/(types/)?adapter/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-file-cycles',
      comment: 'A file cycle means two modules are one concept: merge them or move what they share.',
      severity: 'error',
      from: { path: '^(functions|bin|lib)/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Folders depend on each other in one direction only.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(functions|bin|lib)/' },
      to: { circular: true },
    },
    {
      name: 'domain-not-to-adapters',
      comment: 'Domain code reaches adapters through ports; wiring modules choose the adapter.',
      severity: 'error',
      from: { path: domain },
      to: { path: '^functions/(adapters|handlers|local|wiring)/' },
    },
    {
      name: 'domain-not-to-clients',
      comment: 'Domain code never sees an SDK client or Lambda event types: put the call in an adapter.',
      severity: 'error',
      from: { path: domain },
      to: { path: clients },
    },
    {
      name: 'ports-are-interfaces',
      comment: 'Ports describe what the domain needs; they import nothing that implements them.',
      severity: 'error',
      from: { path: '^functions/ports/' },
      to: { path: ['^functions/(adapters|handlers|local|wiring)/', clients] },
    },
    {
      name: 'adapters-not-to-entry-points',
      comment: 'Adapters are used by wiring and entry points, never the other way round.',
      severity: 'error',
      from: { path: '^functions/adapters/' },
      to: { path: entryPoints },
    },
    {
      name: 'wiring-not-to-entry-points',
      severity: 'error',
      from: { path: '^functions/wiring/' },
      to: { path: '^(functions/(handlers|local)/|bin/)' },
    },
    {
      name: 'infrastructure-not-to-runtime',
      comment:
        'Stacks name handler files as entry paths; lib/config may reuse the runtime validation rules, never its adapters or compositions.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^functions/(adapters|handlers|local|wiring)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
