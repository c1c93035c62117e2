/**
 * A tiny element builder: h('button', { onclick, class: 'primary' }, 'Send'). Children are
 * nodes or text (never parsed as HTML), so text from the API cannot inject markup.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what `el` holds. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A labelled control: the label names it for screen readers and a click focuses it. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint && h('small', { id: hintId }, hint),
  );
}

export const empty = (text) => h('p', { class: 'empty' }, text);

/**
 * Free text in a table cell (what a user or a model wrote, an id they chose): it breaks
 * anywhere, so a 700-character token wraps in its column instead of widening the table.
 */
export const prose = (text, tag = 'span', attrs = {}) => h(tag, { ...attrs, class: 'prose' }, text);

/** An error as the API words it, with what to do. */
export function failure(error) {
  return h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error));
}

/** Tells screen readers what just happened. */
export function announce(text) {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** A table from rows and [header, cell(row)] columns; `caption` names it. */
export function table(caption, columns, rows) {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map(([name]) => h('th', { scope: 'col' }, name)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            {},
            columns.map(([, cell]) => h('td', {}, cell(row))),
          ),
        ),
      ),
    ),
  );
}

/** Runs `load` into `el`, showing "Loading…" and then its result or the error. */
export async function render(el, load) {
  fill(el, h('p', { class: 'muted' }, 'Loading…'));
  try {
    fill(el, await load());
  } catch (error) {
    fill(el, failure(error));
  }
}
