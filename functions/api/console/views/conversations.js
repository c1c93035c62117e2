import { api, qs } from '../api.js';
import { empty, h, prose, render, table, when } from '../dom.js';

/** The tenant's conversations with the picked character, the latest first. */
export async function conversationsView(el, ctx) {
  await render(el, async () => {
    const { conversations } = await api(
      `/agents/${encodeURIComponent(ctx.agent)}/conversations${qs({ limit: 50 })}`,
    );
    if (conversations.length === 0)
      return empty(`No conversations with ${ctx.agent} yet: start one in Chat.`);
    return table(
      `Conversations with ${ctx.agent}`,
      [
        [
          'Conversation',
          (c) =>
            prose(c.conversationId, 'a', {
              href: `#/chat/${encodeURIComponent(c.conversationId)}/${encodeURIComponent(c.userId)}`,
            }),
        ],
        ['User', (c) => prose(c.userId)],
        ['Messages', (c) => c.jobs],
        ['Last', (c) => when(c.lastAt)],
        ['Last message', (c) => h('span', { class: 'clip' }, c.lastText || '(erased)')],
        ['Turns', (c) => h('a', { href: `#/turns/in/${encodeURIComponent(c.conversationId)}` }, 'Turns')],
      ],
      conversations,
    );
  });
}
