import { api, qs } from '../api.js';
import { announce, empty, failure, field, fill, h, prose, table, when } from '../dom.js';

const TYPES = ['', 'fact', 'message', 'knowledge', 'description', 'lore', 'document'];
const PARTS = [
  ['fullText', 'full text'],
  ['fullTextRank', 'text rank'],
  ['vector', 'vector'],
  ['vectorRank', 'vector rank'],
  ['userFact', 'user fact'],
];

/** Why a memory ranked where it did: each part of its fused score. */
function scoreParts(memory) {
  const parts = PARTS.filter(([k]) => memory.why?.[k] !== undefined).map(([k, label]) => {
    const v = memory.why[k];
    return h('li', {}, `${label}: ${typeof v === 'number' ? +v.toFixed(4) : v ? 'yes' : 'no'}`);
  });
  return h(
    'div',
    {},
    h('strong', {}, memory.score.toFixed(4)),
    parts.length ? h('ul', { class: 'parts' }, parts) : null,
  );
}

/** Who said a message: the character, or the user by name as the prompt labels them. */
function saidBy(memory) {
  if (!memory.speaker) return '—';
  if (memory.speaker.role === 'assistant') return 'the character';
  return memory.speaker.name ? `${memory.speaker.name} (user)` : 'the user';
}

/** Search the picked character's memories, add a fact, forget a user. */
export async function memoriesView(el, ctx) {
  const queryInput = h('input', { type: 'search', placeholder: 'e.g. favourite colour' });
  const userInput = h('input', { placeholder: 'every user' });
  const typeInput = h(
    'select',
    {},
    TYPES.map((t) => h('option', { value: t }, t || 'any type')),
  );
  const results = h('div', { class: 'results' });

  async function search(event) {
    event?.preventDefault();
    const params = { query: queryInput.value, userId: userInput.value, type: typeInput.value, limit: 50 };
    try {
      const { memories } = await api(`/agents/${encodeURIComponent(ctx.agent)}/memories${qs(params)}`);
      announce(`${memories.length} memories found.`);
      if (memories.length === 0) {
        return fill(
          results,
          empty(userInput.value ? `No memories for ${userInput.value} yet.` : 'No memories match.'),
        );
      }
      fill(
        results,
        table(
          queryInput.value ? `Memories for “${queryInput.value}”, best first` : 'Memories, newest first',
          [
            ['Text', (m) => prose(m.text)],
            ['Type', (m) => m.type],
            ['Said by', (m) => prose(saidBy(m))],
            ['User', (m) => prose(m.userId ?? 'shared')],
            ['Score (parts)', queryInput.value ? scoreParts : () => '— (newest first)'],
            ['Stored', (m) => when(m.createdAt)],
          ],
          memories,
        ),
      );
    } catch (error) {
      fill(results, failure(error));
    }
  }

  const factUser = h('input', { required: true });
  const factText = h('input', { required: true, placeholder: 'Sam’s favourite colour is teal' });
  const factOut = h('div', { role: 'status' });
  async function addFact(event) {
    event.preventDefault();
    try {
      const { outcome } = await api(`/agents/${encodeURIComponent(ctx.agent)}/memories`, {
        method: 'POST',
        body: { userId: factUser.value, text: factText.value },
      });
      fill(
        factOut,
        h('p', { class: 'ok' }, outcome === 'duplicate' ? 'Already known: stored once.' : `Fact ${outcome}.`),
      );
      factText.value = '';
    } catch (error) {
      fill(factOut, failure(error));
    }
  }

  const forgetUser = h('input', { required: true });
  const forgetOut = h('div', { role: 'status' });
  function askForget(event) {
    event.preventDefault();
    const who = forgetUser.value.trim();
    const confirm = h(
      'button',
      {
        type: 'button',
        class: 'danger',
        onclick: async () => {
          try {
            const { deleted } = await api(
              `/agents/${encodeURIComponent(ctx.agent)}/memories${qs({ userId: who })}`,
              {
                method: 'DELETE',
              },
            );
            fill(
              forgetOut,
              h(
                'p',
                { class: 'ok' },
                `Forgot ${deleted} ${deleted === 1 ? 'memory' : 'memories'} of ${who}.`,
              ),
            );
            await search();
          } catch (error) {
            fill(forgetOut, failure(error));
          }
        },
      },
      `Yes, forget ${who}`,
    );
    fill(
      forgetOut,
      h('p', {}, `Erase everything ${ctx.agent} remembers about ${who}? This cannot be undone. `, confirm),
    );
    confirm.focus();
  }

  fill(
    el,
    h(
      'form',
      { class: 'row', role: 'search', onsubmit: search },
      field('Search', queryInput, 'Empty: the newest memories.'),
      field('User', userInput),
      field('Type', typeInput),
      h('button', { class: 'primary' }, 'Search'),
    ),
    results,
    h(
      'div',
      { class: 'cols' },
      h(
        'form',
        { class: 'card', onsubmit: addFact },
        h('h3', {}, 'Add a fact'),
        field('User', factUser),
        field('Fact', factText),
        h('button', {}, 'Add fact'),
        factOut,
      ),
      h(
        'form',
        { class: 'card', onsubmit: askForget },
        h('h3', {}, 'Forget a user'),
        field('User', forgetUser, 'Their memories, finished turns and what is in flight.'),
        h('button', { class: 'danger' }, 'Forget…'),
        forgetOut,
      ),
    ),
  );
  await search();
}
