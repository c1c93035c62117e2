import { api, qs } from '../api.js';
import { empty, field, h, render, table } from '../dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const s = (tag, attrs = {}, ...children) => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
};
const day = (d) => d.toISOString().slice(0, 10);

/** Every day from `from` to `to`, with the report's row or zeros: a quiet day shows as a gap. */
function everyDay(rows, from, to) {
  const byDay = new Map(rows.map((r) => [r.key, r]));
  const days = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    day(d) <= to && days.length < 400;
    d = new Date(+d + 86_400_000)
  ) {
    const key = day(d);
    days.push(byDay.get(key) ?? { key, turns: 0, refused: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
  }
  return days;
}

/** Bars of cost (and the turns as labels) per day, as inline SVG: no chart library. */
function chart(rows) {
  const width = 720;
  const height = 220;
  const pad = 28;
  const most = Math.max(...rows.map((r) => r.costUsd), 1e-9);
  const turns = Math.max(...rows.map((r) => r.turns), 1);
  const step = (width - pad * 2) / rows.length;
  const bar = Math.min(48, Math.max(4, step * 0.6));
  return s(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'usage-title', class: 'chart' },
    s('title', { id: 'usage-title' }, `Cost and turns per day, ${rows[0].key} to ${rows.at(-1).key}`),
    s('line', { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: 'axis' }),
    s('text', { x: pad, y: 16, class: 'label' }, `top: ${turns} turns · $${most.toFixed(6)}`),
    ...rows.flatMap((r, i) => {
      const x = pad + i * step + (step - bar) / 2;
      const costH = ((height - pad * 2) * r.costUsd) / most;
      const turnsH = ((height - pad * 2) * r.turns) / turns;
      return [
        s(
          'rect',
          { x, y: height - pad - turnsH, width: bar / 2, height: turnsH, class: 'turns' },
          s('title', {}, `${r.key}: ${r.turns} turns`),
        ),
        s(
          'rect',
          { x: x + bar / 2, y: height - pad - costH, width: bar / 2, height: costH, class: 'cost' },
          s('title', {}, `${r.key}: $${r.costUsd.toFixed(6)}`),
        ),
        s('text', { x: x + bar / 2, y: height - 8, 'text-anchor': 'middle', class: 'label' }, r.key.slice(5)),
      ];
    }),
  );
}

/** Cost and turns per day over the tenant's users, for the picked character or all. */
export async function usageView(el, ctx) {
  const to = new Date();
  const fromInput = h('input', { type: 'date', value: day(new Date(+to - 13 * 86_400_000)) });
  const toInput = h('input', { type: 'date', value: day(to) });
  const all = h('input', { type: 'checkbox' });
  const out = h('div');
  async function load() {
    await render(out, async () => {
      const report = await api(
        `/usage${qs({ by: 'day', from: fromInput.value, to: toInput.value, character: all.checked ? '' : ctx.agent })}`,
      );
      if (report.rows.length === 0) return empty('No turns in these days yet.');
      return h(
        'div',
        {},
        h(
          'p',
          { class: 'legend' },
          h('span', { class: 'key turns' }),
          ' turns  ',
          h('span', { class: 'key cost' }),
          ' cost (USD)',
        ),
        chart(everyDay(report.rows, fromInput.value, toInput.value)),
        table(
          'Per day',
          [
            ['Day', (r) => r.key],
            ['Turns', (r) => r.turns],
            ['Refused', (r) => r.refused],
            ['Tokens in / out', (r) => `${r.inputTokens} / ${r.outputTokens}`],
            ['Cost', (r) => `$${r.costUsd.toFixed(6)}`],
          ],
          report.rows,
        ),
      );
    });
  }
  for (const input of [fromInput, toInput, all]) input.addEventListener('change', load);
  el.append(
    h('div', { class: 'row' }, field('From', fromInput), field('To', toInput), field('Every character', all)),
    out,
  );
  await load();
}
