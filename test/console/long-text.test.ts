import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import { consoleStack, shot, type ConsoleStack } from './support/console-stack.ts';

/** One 704-character word, as a pasted token or URL is: no space to break it at. */
const TOKEN = `tok_${'aB3dE5fG7h'.repeat(70)}`;
/** Ids at their longest, with no space either. */
const CONVERSATION = `conv-${'0123456789'.repeat(11)}abcdefghi`;
const USER = `user-${'abcdefghij'.repeat(9)}klmno`;

let t: ConsoleStack;
let jobId: string;

/** A POST the test's data needs, held to succeeding. */
async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await t.api(path, { method: 'POST', body });
  expect(res.status, `POST ${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}

beforeAll(async () => {
  t = await consoleStack();
  // The offline model answers an unknown `/tool <name>` by quoting the name: model text too.
  const job = await post<{ id: string; status: string }>('/agents/ada/messages?wait=20', {
    text: `/tool ${TOKEN}`,
    conversationId: CONVERSATION,
    userId: USER,
  });
  expect(job.status).toBe('done');
  jobId = job.id;
  await post('/agents/ada/memories', { userId: USER, text: `my token is ${TOKEN}` });
  await post('/agents/ada/schedules', { id: 'long-prompt', cron: '0 9 * * 1-5', prompt: TOKEN });
  const { post: queued } = await post<{ post: { id: string } }>('/posts', {
    character: 'ada',
    media: [`http://127.0.0.1:1/${TOKEN}.png`],
    caption: TOKEN,
  });
  const posts = new SqlPostRepository(t.store);
  const [claimed] = await posts.claim('test', 10, new Date(Date.now() + 60_000));
  await posts.fail(queued.id, 'test', new Date(), {
    from: claimed!.state,
    reason: `the media URL https://cdn.example/${TOKEN}.png answered 404`,
    errorKind: 'fix_input',
  });
});
afterAll(async () => t?.close());

/** How the page's text starts where it shows one of them. */
const PROBES = [TOKEN, CONVERSATION, USER].map((text) => text.slice(0, 30));

/**
 * What does not fit: the page wider than the window, and each element showing a long word whose
 * box is wider than the window or whose text runs out of its box (an ellipsis is meant to). A
 * string: it runs in the page.
 */
const OVERFLOWS = `((probes) => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width)
    problems.push('the page is ' + document.documentElement.scrollWidth + ' px wide in ' + width + ' px');
  let checked = 0;
  for (const el of document.querySelectorAll('main *')) {
    const own = [...el.childNodes].some(
      (n) => n.nodeType === 3 && probes.some((probe) => n.textContent.includes(probe)),
    );
    if (!own) continue;
    checked++;
    if (el.closest('.clip')) continue;
    const box = el.getBoundingClientRect().width;
    if (box > width || el.scrollWidth > el.clientWidth + 1)
      problems.push(el.tagName.toLowerCase() + '.' + el.className + ': ' + Math.round(box) + ' px box, ' + el.scrollWidth + ' px text');
  }
  return { checked, problems };
})(${JSON.stringify(PROBES)})`;

/** Each view that shows the token: [name, address, heading]. */
const views = (): Array<[string, string, string]> => [
  ['chat', `#/chat/${encodeURIComponent(CONVERSATION)}/${encodeURIComponent(USER)}`, 'Chat'],
  ['conversations', '#/conversations', 'Conversations'],
  ['memories', '#/memories', 'Memories'],
  ['turns', '#/turns', 'Turns'],
  ['turn', `#/turns/${encodeURIComponent(jobId)}`, 'Turns'],
  ['posts', '#/posts', 'Posts'],
  ['schedules', '#/schedules', 'Schedules'],
];

describe('the console with long unbroken text', () => {
  it.each([
    [1280, 800],
    [390, 844],
  ])('wraps a 704-character word wherever it shows one, at %i px', async (width, height) => {
    const page = await t.page();
    await page.setViewportSize({ width, height });
    await page.goto(t.consoleUrl);
    await page.getByRole('heading', { level: 2, name: 'Chat' }).waitFor();
    const found: Record<string, string[]> = {};
    for (const [name, hash, heading] of views()) {
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
      await page.locator('main').getByText(TOKEN.slice(0, 40)).first().waitFor();
      const { checked, problems } = (await page.evaluate(OVERFLOWS)) as {
        checked: number;
        problems: string[];
      };
      expect(checked, `${name}: no element shows a long word`).toBeGreaterThan(0);
      found[name] = problems;
      await shot(page, `long-text-${name}-${width}`);
    }
    expect(found).toEqual(Object.fromEntries(views().map(([name]) => [name, []])));
    await page.close();
  });
});
