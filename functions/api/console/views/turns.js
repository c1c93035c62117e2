import { api, qs } from '../api.js';
import { empty, h, prose, render, table, when } from '../dom.js';

const usd = (micro) => (typeof micro === 'number' ? `$${(micro / 1e6).toFixed(6)}` : 'unpriced');
const ms = (n) => (typeof n === 'number' ? `${Math.round(n)} ms` : '—');
const badge = (status) => h('span', { class: `badge ${status}` }, status);

/** The picked character's jobs (in one conversation when the path says so), newest first. */
async function list(el, ctx, conversation) {
  await render(el, async () => {
    const { jobs } = await api(`/jobs${qs({ agentId: ctx.agent, conversationId: conversation, limit: 50 })}`);
    if (jobs.length === 0)
      return empty(`No turns for ${ctx.agent}${conversation ? ` in ${conversation}` : ''} yet.`);
    return table(
      conversation ? `Turns in ${conversation}` : `Turns of ${ctx.agent}`,
      [
        ['Job', (j) => h('a', { href: `#/turns/${encodeURIComponent(j.id)}` }, j.id.slice(0, 8))],
        ['Status', (j) => badge(j.status)],
        ['Message', (j) => h('span', { class: 'clip' }, j.text ?? '')],
        ['Attempts', (j) => j.attempts],
        [
          'Tokens',
          (j) => (j.usage ? `${j.usage.inputTokens ?? 0} in / ${j.usage.outputTokens ?? 0} out` : '—'),
        ],
        ['Created', (j) => when(j.createdAt)],
      ],
      jobs,
    );
  });
}

function timeline(events) {
  if (events.length === 0) return empty('No events were recorded for this job.');
  const start = Date.parse(events[0].at);
  return h(
    'ol',
    { class: 'timeline' },
    events.map((e) =>
      h(
        'li',
        {},
        h(
          'time',
          { datetime: e.at, title: new Date(e.at).toLocaleString() },
          `+${((Date.parse(e.at) - start) / 1000).toFixed(2)} s`,
        ),
        ` #${e.seq} ${e.kind}`,
        e.attempt > 1 ? ` (attempt ${e.attempt})` : '',
        e.data.name
          ? `: ${e.data.name}`
          : e.kind === 'delta'
            ? `: “${e.data.text}”`
            : e.data.message
              ? `: ${e.data.message}`
              : '',
      ),
    ),
  );
}

/** One job: status, attempts, timings, recalled memories, tool calls, tokens and cost, events. */
async function detail(el, jobId) {
  await render(el, async () => {
    const [trace, page] = await Promise.all([
      api(`/jobs/${encodeURIComponent(jobId)}/trace`),
      api(`/jobs/${encodeURIComponent(jobId)}/events${qs({ after: 0, wait: 0 })}`),
    ]);
    const { job, timings } = trace;
    const usage = job.usage ?? {};
    return h(
      'div',
      { class: 'turn' },
      h('p', {}, h('a', { href: '#/turns' }, '← All turns')),
      h(
        'div',
        { class: 'turn-cols' },
        h(
          'section',
          { 'aria-label': 'The job' },
          h(
            'dl',
            { class: 'facts' },
            [
              ['Job', job.id],
              ['Status', badge(job.status)],
              ['Attempts', job.attempts],
              ['Conversation', job.conversationId],
              ['User', job.userId],
              ['Created', when(job.createdAt)],
              ['Finished', when(job.finishedAt)],
              ['Model', trace.model ? `${trace.model.provider} ${trace.model.name}` : '—'],
              [
                'Timings',
                timings
                  ? `recall ${ms(timings.recallMs)} · model ${ms(timings.modelMs)} · store ${ms(timings.storeMs)} · total ${ms(timings.totalMs)}`
                  : '—',
              ],
              [
                'Tokens',
                `${usage.inputTokens ?? 0} in (${usage.cachedInputTokens ?? 0} cached) / ${usage.outputTokens ?? 0} out`,
              ],
              ['Cost', usd(usage.costMicroUsd)],
            ].map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
          ),
          job.error && h('p', { class: 'error' }, `${job.error.code}: ${job.error.message}`),
          h('h3', {}, 'Message and reply'),
          h('p', { class: 'msg user' }, job.text ?? '(erased)'),
          h('p', { class: 'msg agent' }, job.reply ?? '—'),
        ),
        h(
          'section',
          { 'aria-label': 'How it answered' },
          h('h3', {}, `Tool calls (${trace.tools.length})`),
          trace.tools.length === 0
            ? empty('No tools were called.')
            : h(
                'ol',
                { class: 'tool-calls' },
                trace.tools.map((t) =>
                  h(
                    'li',
                    {},
                    h('strong', {}, t.name),
                    h('div', {}, 'Arguments', h('pre', {}, t.arguments)),
                    h('div', {}, 'Output', h('pre', {}, t.output ?? '(none)')),
                  ),
                ),
              ),
          h('h3', {}, 'Recalled memories'),
          !trace.recalled
            ? empty('This key cannot read memories (memories:read).')
            : trace.recalled.length === 0
              ? empty('Recall found nothing for this turn.')
              : table(
                  'What recall found, best first',
                  [
                    ['Text', (m) => prose(m.text)],
                    ['Type', (m) => m.type],
                    ['Score', (m) => m.score.toFixed(4)],
                    [
                      'Parts',
                      (m) =>
                        Object.entries(m.why)
                          .map(([k, v]) => `${k} ${v}`)
                          .join(', '),
                    ],
                  ],
                  trace.recalled,
                ),
        ),
      ),
      h('h3', {}, 'Timeline'),
      timeline(page.events),
    );
  });
}

export async function turnsView(el, ctx, [first, second]) {
  if (first === 'in' && second) return list(el, ctx, second);
  if (first) return detail(el, first);
  return list(el, ctx);
}
