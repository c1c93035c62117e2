import { api, qs } from '../api.js';
import { announce, empty, failure, field, fill, h } from '../dom.js';
import { followJob } from '../follow-job.js';

const conversationKey = 'carrier.conversation';
const NONE = 'No messages in this conversation yet: say hello.';
const NOT_SENT = 'Your message was not sent: it is still in the box below.';

const turnLink = (jobId) =>
  h('a', { href: `#/turns/${encodeURIComponent(jobId)}`, class: 'small' }, 'See the turn');

function bubble(role, text, jobId) {
  return h(
    'li',
    { class: `msg ${role}` },
    h('span', { class: 'who' }, role === 'user' ? 'You' : 'Agent'),
    h('p', { class: 'text' }, text),
    jobId && turnLink(jobId),
  );
}

/**
 * The agent's bubble while its reply comes in: `frame` writes each event into it, `status` shows
 * one line under the text (none for ''), `done` links the finished turn.
 */
function pendingReply(problems) {
  const el = bubble('agent', '');
  el.classList.add('streaming');
  const text = el.querySelector('.text');
  const tools = h('ul', { class: 'tools' });
  el.append(tools);
  let attempt = 0;
  let note;
  return {
    el,
    frame(frame) {
      if (frame.kind === 'delta') {
        // A new attempt writes the reply from the start.
        if (frame.attempt !== attempt) {
          attempt = frame.attempt;
          text.textContent = '';
        }
        text.textContent += frame.data.text;
      } else if (frame.kind === 'tool_start') tools.append(h('li', {}, `Calling ${frame.data.name}…`));
      else if (frame.kind === 'tool_end') tools.append(h('li', {}, `${frame.data.name} answered`));
      else if (frame.kind === 'done') text.textContent = frame.data.text;
      else if (frame.kind === 'error') problems.append(failure(frame.data.message));
    },
    status(line) {
      note?.remove();
      note = line ? h('p', { class: 'note small muted', role: 'status' }, line) : undefined;
      if (note) text.after(note);
    },
    done: (jobId) => el.append(turnLink(jobId)),
  };
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
      jobs.length === 0 && empty(NONE),
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
    const none = log.querySelector('.empty');
    none?.remove();
    const asked = bubble('user', message);
    const reply = pendingReply(problems);
    log.append(asked, reply.el);
    // Aborted once another view replaces this one: nothing is left following in the background.
    const { signal } = ctx;
    let jobId;
    try {
      ({ jobId } = await api(`/agents/${encodeURIComponent(ctx.agent)}/messages`, {
        method: 'POST',
        body: { text: message, conversationId: conversationInput.value, userId: userInput.value },
      }));
      text.value = '';
      await followJob(jobId, reply.frame, { signal, onStatus: reply.status });
      reply.done(jobId);
      announce('The reply is in.');
    } catch (error) {
      if (jobId === undefined) {
        // Not sent: take the bubbles back and leave the message in the box to send again.
        asked.remove();
        reply.el.remove();
        if (none && !log.children.length) log.append(none);
        problems.append(failure(`${error.message.replace(/\.?$/, '.')} ${NOT_SENT}`));
      } else if (!signal.aborted) problems.append(failure(error));
    } finally {
      reply.status('');
      reply.el.classList.remove('streaming');
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
