import { api } from '../api.js';
import { empty, failure, field, fill, h, table, when } from '../dom.js';

function timing(t) {
  if (t.kind === 'cron') return `cron ${t.expression} (${t.timezone})`;
  if (t.kind === 'rate') return `every ${t.every} ${t.unit}${t.every === 1 ? '' : 's'}`;
  return `once at ${when(t.at)}`;
}

/** The character file's schedules and this tenant's own; add or delete the tenant's. */
export async function schedulesView(el, ctx) {
  const base = `/agents/${encodeURIComponent(ctx.agent)}/schedules`;
  const list = h('div');
  const out = h('div', { role: 'status' });
  async function refresh() {
    try {
      const { schedules } = await api(base);
      fill(
        list,
        schedules.length === 0
          ? empty(`No schedules for ${ctx.agent} yet.`)
          : table(
              `Schedules of ${ctx.agent}`,
              [
                ['Id', (s) => s.id],
                ['From', (s) => s.source],
                ['When', (s) => timing(s.timing)],
                ['Prompt', (s) => h('span', { class: 'clip' }, s.prompt)],
                ['Last fired', (s) => when(s.lastFiredAt)],
                [
                  '',
                  (s) =>
                    s.source === 'api' &&
                    h(
                      'button',
                      { type: 'button', class: 'danger', onclick: () => remove(s.id) },
                      `Delete ${s.id}`,
                    ),
                ],
              ],
              schedules,
            ),
      );
    } catch (error) {
      fill(list, failure(error));
    }
  }
  async function remove(id) {
    try {
      await api(`${base}/${encodeURIComponent(id)}`, { method: 'DELETE' });
      await refresh();
    } catch (error) {
      fill(out, failure(error));
    }
  }
  const id = h('input', { required: true, placeholder: 'morning-note' });
  const cron = h('input', { placeholder: '0 9 * * 1-5' });
  const prompt = h('input', { required: true, placeholder: 'Write a short morning note' });
  async function add(event) {
    event.preventDefault();
    try {
      await api(base, {
        method: 'POST',
        body: { id: id.value, cron: cron.value || undefined, prompt: prompt.value },
      });
      fill(out, h('p', { class: 'ok' }, `Schedule ${id.value} added.`));
      await refresh();
    } catch (error) {
      fill(out, failure(error));
    }
  }
  fill(
    el,
    list,
    h(
      'form',
      { class: 'card', onsubmit: add },
      h('h3', {}, 'Add a schedule'),
      h(
        'div',
        { class: 'row' },
        field('Id', id),
        field('Cron', cron, '5 fields, UTC'),
        field('Prompt', prompt),
      ),
      h('button', {}, 'Add schedule'),
      out,
    ),
  );
  await refresh();
}
