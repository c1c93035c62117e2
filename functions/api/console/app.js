import { api, key } from './api.js';
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

/** What the views share: the character picked and a way to open another view. */
const ctx = {
  get agent() {
    return picker.value;
  },
  go: (path) => {
    location.hash = `#/${path}`;
  },
};

/** `/console#key=ck_…` (the start banner's link): keep the key in the page, drop it from the address. */
function takeKeyFromFragment() {
  const match = /^#key=([^&]+)/.exec(location.hash);
  if (!match) return;
  key.set(decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}#/chat`);
}

function keyForm(problem) {
  const input = h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const form = h(
    'form',
    {
      class: 'card narrow',
      onsubmit: (e) => {
        e.preventDefault();
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

async function show() {
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
  await view[2](body, ctx, rest.map(decodeURIComponent));
}

async function start() {
  takeKeyFromFragment();
  if (!key.get()) return keyForm();
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
  takeKeyFromFragment();
  if (key.get()) void show().then(() => main.focus({ preventScroll: true }));
});
void start();
