import { api, key, keyProblem } from './api.js';
import { fill, field, h, failure } from './dom.js';
import { chatView } from './views/chat.js';
import { conversationsView } from './views/conversations.js';
import { memoriesView } from './views/memories.js';
import { turnsView } from './views/turns.js';
import { postsView } from './views/posts.js';
import { schedulesView } from './views/schedules.js';
import { usageView } from './views/usage.js';
import { charactersView } from './views/characters.js';

const VIEWS = [
  ['chat', 'Chat', chatView],
  ['conversations', 'Conversations', conversationsView],
  ['memories', 'Memories', memoriesView],
  ['turns', 'Turns', turnsView],
  ['posts', 'Posts', postsView],
  ['schedules', 'Schedules', schedulesView],
  ['usage', 'Usage', usageView],
  ['characters', 'Characters', charactersView],
];

const main = document.getElementById('main');
const picker = document.getElementById('agent');

/** Aborted when the next view (or the key form) replaces the one shown. */
let shown = new window.AbortController();

/** What the views share: the character picked, a way to open another view, and `signal`. */
const ctx = {
  get agent() {
    return picker.value;
  },
  go: (path) => {
    location.hash = `#/${path}`;
  },
  /** Aborts once this view is gone, to stop what it still follows. */
  get signal() {
    return shown.signal;
  },
};

function replaceView() {
  shown.abort();
  shown = new window.AbortController();
}

const BROKEN_KEY =
  'The key in the link could not be read (a broken %-escape): paste the key the start banner printed.';

/**
 * `/console#key=ck_…` (the start banner's link): keep the key in the page and drop it from the
 * address, whatever it holds. Returns why the key could not be taken, if it could not.
 */
function takeKeyFromFragment() {
  const match = /^#key=([^&]*)/.exec(location.hash);
  if (!match) return undefined;
  let problem;
  try {
    const value = decodeURIComponent(match[1]);
    problem = keyProblem(value);
    if (!problem) key.set(value);
  } catch {
    problem = BROKEN_KEY;
  }
  // A link with a bad key still meant to replace the one this tab had.
  if (problem) key.clear();
  history.replaceState(null, '', problem ? location.pathname : `${location.pathname}#/chat`);
  return problem;
}

function keyForm(problem) {
  replaceView();
  const input = h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const form = h(
    'form',
    {
      class: 'card narrow',
      onsubmit: (e) => {
        e.preventDefault();
        // Refused here, never kept: a header cannot carry it, so every call would fail.
        const refused = keyProblem(input.value);
        if (refused) return keyForm(refused);
        key.set(input.value);
        void start();
      },
    },
    h('h2', {}, 'API key'),
    h('p', {}, 'The console calls this stack’s /v1 API with a key kept in this tab only (never a cookie).'),
    problem && failure(problem),
    field('Key', input, 'The dev key the start banner printed, or a key from `carrier keys create`.'),
    h('button', { class: 'primary' }, 'Use this key'),
  );
  fill(main, form);
  input.focus();
}

function navigation() {
  const nav = document.getElementById('nav');
  fill(
    nav,
    VIEWS.map(([id, label]) => h('li', {}, h('a', { href: `#/${id}`, 'data-view': id }, label))),
    h('li', {}, h('button', { class: 'link', onclick: () => (key.clear(), keyForm()) }, 'Change key')),
  );
}

/** What to do about an address that cannot be read, per view. */
const REOPEN = {
  chat: 'open the conversation from Conversations.',
  turns: 'open the turn from the list.',
};

/** The address's parts after the view, decoded; undefined when one has a broken %-escape. */
function pathParts(rest) {
  try {
    return rest.map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

async function show() {
  replaceView();
  const [name = 'chat', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const view = VIEWS.find(([id]) => id === name) ?? VIEWS[0];
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === view[0]) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${view[1]} · Carrier console`;
  fill(main, h('h2', {}, view[1]));
  const body = h('div', { class: 'view' });
  main.append(body);
  const parts = pathParts(rest);
  if (!parts) {
    const what = REOPEN[view[0]] ?? 'pick the view from the menu.';
    return fill(body, failure(`The address ${location.hash} could not be read (a broken %-escape): ${what}`));
  }
  try {
    await view[2](body, ctx, parts);
  } catch (error) {
    // A view that throws says so in its place instead of leaving it empty.
    fill(body, failure(error));
  }
}

async function start() {
  const problem = takeKeyFromFragment();
  if (problem) return keyForm(problem);
  // A key kept by an older page may be one no header can carry.
  const kept = key.get() && keyProblem(key.get());
  if (kept) key.clear();
  if (!key.get()) return keyForm(kept || undefined);
  let agents;
  try {
    ({ agents } = await api('/agents'));
  } catch (error) {
    if (error.status === 401) key.clear();
    return keyForm(error);
  }
  const previous = picker.value || sessionStorage.getItem('carrier.agent');
  fill(
    picker,
    agents.map((a) => h('option', { value: a.id }, `${a.name} (${a.id})`)),
  );
  if (agents.some((a) => a.id === previous)) picker.value = previous;
  navigation();
  await show();
}

picker.addEventListener('change', () => {
  sessionStorage.setItem('carrier.agent', picker.value);
  void show();
});
window.addEventListener('hashchange', () => {
  if (/^#key=/.test(location.hash)) return void start();
  if (key.get()) void show().then(() => main.focus({ preventScroll: true }));
});
void start();
