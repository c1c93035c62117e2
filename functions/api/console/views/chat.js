import { api, followJob, qs } from '../api.js';
import { announce, empty, failure, field, fill, h } from '../dom.js';

const conversationKey = 'carrier.conversation';

function bubble(role, text, jobId) {
  return h(
    'li',
    { class: `msg ${role}` },
    h('span', { class: 'who' }, role === 'user' ? 'You' : 'Agent'),
    h('p', { class: 'text' }, text),
    jobId && h('a', { href: `#/turns/${encodeURIComponent(jobId)}`, class: 'small' }, 'See the turn'),
  );
}

/** Chat with the picked character: the reply streams in from the job's events. */
export async function chatView(el, ctx, [conversation, user]) {
  const stored = JSON.parse(sessionStorage.getItem(conversationKey) ?? '{}');
  const conversationInput = h('input', {
    value: conversation ?? stored.conversationId ?? 'console',
    required: true,
  });
  const userInput = h('input', { value: user ?? stored.userId ?? 'console-user', required: true });
  const text = h('textarea', { rows: 3, required: true, placeholder: 'Say something…' });
  const send = h('button', { class: 'primary' }, 'Send');
  const log = h('ol', { class: 'chat', role: 'log', 'aria-live': 'polite', 'aria-label': 'Chat history' });
  const problems = h('div');

  async function history() {
    const { jobs } = await api(
      `/jobs${qs({ agentId: ctx.agent, conversationId: conversationInput.value, limit: 20 })}`,
    );
    fill(
      log,
      jobs.length === 0 && empty('No messages in this conversation yet: say hello.'),
      jobs
        .reverse()
        .map((job) => [
          bubble('user', job.text ?? '(message erased)'),
          bubble(
            'agent',
            job.reply ?? (job.status === 'failed' ? job.error.message : `(${job.status})`),
            job.id,
          ),
        ]),
    );
  }

  async function submit(event) {
    event.preventDefault();
    const message = text.value.trim();
    if (!message) return;
    sessionStorage.setItem(
      conversationKey,
      JSON.stringify({ conversationId: conversationInput.value, userId: userInput.value }),
    );
    fill(problems);
    send.disabled = true;
    log.querySelector('.empty')?.remove();
    log.append(bubble('user', message));
    const reply = bubble('agent', '');
    reply.classList.add('streaming');
    const textEl = reply.querySelector('.text');
    const tools = h('ul', { class: 'tools' });
    reply.append(tools);
    log.append(reply);
    try {
      const { jobId } = await api(`/agents/${encodeURIComponent(ctx.agent)}/messages`, {
        method: 'POST',
        body: { text: message, conversationId: conversationInput.value, userId: userInput.value },
      });
      text.value = '';
      let attempt = 0;
      await followJob(jobId, (frame) => {
        if (frame.kind === 'delta') {
          // A new attempt writes the reply from the start.
          if (frame.attempt !== attempt) {
            attempt = frame.attempt;
            textEl.textContent = '';
          }
          textEl.textContent += frame.data.text;
        } else if (frame.kind === 'tool_start') tools.append(h('li', {}, `Calling ${frame.data.name}…`));
        else if (frame.kind === 'tool_end') tools.append(h('li', {}, `${frame.data.name} answered`));
        else if (frame.kind === 'done') textEl.textContent = frame.data.text;
        else if (frame.kind === 'error') problems.append(failure(frame.data.message));
      });
      reply.append(h('a', { href: `#/turns/${encodeURIComponent(jobId)}`, class: 'small' }, 'See the turn'));
      announce('The reply is in.');
    } catch (error) {
      problems.append(failure(error));
    } finally {
      reply.classList.remove('streaming');
      send.disabled = false;
      text.focus();
    }
  }

  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send.click();
  });
  fill(
    el,
    h(
      'div',
      { class: 'row' },
      field('Conversation', conversationInput),
      field('User id', userInput, 'Who the agent is talking to (its memories are per user).'),
    ),
    log,
    problems,
    h(
      'form',
      { class: 'compose', onsubmit: submit },
      field(
        'Message',
        text,
        'Ctrl+Enter sends. `/tool <name> {json}` asks the offline model to call a tool.',
      ),
      send,
    ),
  );
  conversationInput.addEventListener(
    'change',
    () => void history().catch((e) => problems.append(failure(e))),
  );
  await history().catch((error) => problems.append(failure(error)));
  text.focus();
}
