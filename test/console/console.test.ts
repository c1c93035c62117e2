import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import { makeImage } from '#test/media/support/fixtures.ts';
import { consoleStack, servedAsDeployed, shot, type ConsoleStack } from './support/console-stack.ts';

let t: ConsoleStack;
beforeAll(async () => {
  t = await consoleStack();
});
afterAll(async () => t?.close());

/** The console opened from the banner's link, on the view `name` of the nav. */
async function open(view: string, agent = 'ada'): Promise<Page> {
  const page = await t.page();
  await page.goto(t.consoleUrl);
  await page.getByLabel('Character').selectOption(agent);
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('link', { name: view, exact: true })
    .click();
  await page.getByRole('heading', { level: 2, name: view }).waitFor();
  return page;
}

describe('the console on the local stack', () => {
  it('says so when the key is wrong, and asks for another', async () => {
    const page = await t.page();
    await page.goto(`${t.stack.url}/console#key=ck_not_a_key`);
    await page.getByRole('alert').getByText('the API key is unknown or revoked').waitFor();
    await shot(page, 'key-refused');
    await page.getByLabel('Key').fill(t.stack.devApiKey);
    await page.getByLabel('Key').press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Chat' }).waitFor();
    await page.close();
  });

  it('sends a message and shows the reply streaming in, with the key kept out of the address', async () => {
    const page = await open('Chat');
    expect(page.url()).toBe(`${t.stack.url}/console#/chat`);
    await page.getByRole('textbox', { name: 'Message' }).fill('hello there, how are the tides?');
    // Every text the reply shows while it is being written (a string: this runs in the page).
    await page.evaluate(`
      window.seen = [];
      new MutationObserver(() => {
        const text = document.querySelector('.msg.agent.streaming .text')?.textContent;
        if (text && text !== window.seen.at(-1)) window.seen.push(text);
      }).observe(document.querySelector('.chat'), { subtree: true, childList: true, characterData: true });
    `);
    await page.getByRole('button', { name: 'Send' }).click();

    const reply = page.locator('.msg.agent').last();
    await reply.locator('a', { hasText: 'See the turn' }).waitFor();
    const whole = (await reply.locator('.text').textContent())!;
    // What the reply showed while it was being written: growing beginnings of the whole.
    const seen = (await page.evaluate('window.seen')) as string[];
    expect(seen.every((text) => whole.startsWith(text))).toBe(true);
    expect(seen.filter((text) => text.length < whole.length)).not.toEqual([]);
    expect(await reply.getAttribute('class')).not.toContain('streaming');
    // The same page at phone width: the controls stay usable.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.getByRole('button', { name: 'Send' }).isVisible()).toBe(true);
    await shot(page, 'chat-phone');
    await page.close();
  });

  it('adds a fact, searches memories with their score parts, forgets a user with the count, and shows who said a message', async () => {
    const page = await open('Memories');
    // Every control has a name a screen reader reads out.
    const unnamed = await page.evaluate(
      "[...document.querySelectorAll('input, select, textarea')].filter((el) => el.labels.length === 0).length",
    );
    expect(unnamed).toBe(0);
    const addFact = page.locator('form', { has: page.getByRole('heading', { name: 'Add a fact' }) });
    await addFact.getByLabel('User').fill('sam');
    await addFact.getByLabel('Fact').fill('Sam’s favourite colour is teal');
    await addFact.getByRole('button', { name: 'Add fact' }).click();
    await addFact.getByText('Fact added.').waitFor();

    const search = page.getByRole('search');
    await search.getByLabel('Search').fill('favourite colour');
    await search.getByLabel('User').fill('sam');
    await search.getByRole('button', { name: 'Search' }).click();
    const row = page.getByRole('row', { name: /favourite colour is teal/ });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toMatch(/text rank: 1/);

    const forget = page.locator('form', { has: page.getByRole('heading', { name: 'Forget a user' }) });
    await forget.getByLabel('User').fill('sam');
    await forget.getByRole('button', { name: 'Forget…' }).click();
    await page.getByRole('button', { name: 'Yes, forget sam' }).click();
    await forget.getByText(/^Forgot 1 memory of sam\.$/).waitFor();
    await page.getByText('No memories for sam yet.').waitFor();
    await shot(page, 'memories');

    // A message says who said it.
    const said = await fetch(`${t.stack.url}/v1/agents/ada/messages?wait=20`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.stack.devApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'I kayak on Sundays', userId: 'kim', userName: 'Kim' }),
    });
    expect(((await said.json()) as { status: string }).status).toBe('done');
    await search.getByLabel('Search').fill('kayak');
    await search.getByLabel('User').fill('kim');
    await search.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => page.getByRole('row', { name: /I kayak on Sundays/ }).textContent())
      .toMatch(/Kim \(user\)/);
    await page.close();
  });

  it('opens a failed post, reads its reason and retries it', async () => {
    // The media lives on another host (a loopback one here): the API reads it for the page.
    const png = await makeImage(120, 90, 'png');
    const media = createServer((req, res) => {
      if (req.url === '/mug.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(media.address() as AddressInfo).port}`;
    const created = await t.api('/posts', {
      method: 'POST',
      body: { character: 'juniper', media: [`http://${host}/mug.png`], caption: 'speckled mugs' },
    });
    const { post } = (await created.json()) as { post: { id: string } };
    const posts = new SqlPostRepository(t.store);
    const [claimed] = await posts.claim('test', 10, new Date(Date.now() + 60_000));
    await posts.fail(post.id, 'test', new Date(), {
      from: claimed!.state,
      reason: 'the media URL answered 404 Not Found; fix the URL and retry',
      errorKind: 'fix_input',
    });

    const page = await open('Posts', 'juniper');
    await page.getByLabel('State').selectOption('failed');
    const card = page.locator('.post', { hasText: post.id });
    await card.getByText('Reason: the media URL answered 404 Not Found; fix the URL and retry').waitFor();
    // Media on another host is shown through the API's preview, never loaded from that host.
    const thumb = card.getByRole('img', { name: `media of post ${post.id}` });
    await thumb.waitFor();
    await expect
      .poll(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(120);
    expect(await thumb.getAttribute('src')).toMatch(/^blob:/);
    await shot(page, 'post-failed');
    await card.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('No posts here yet').waitFor();
    await page.getByLabel('State').selectOption('scheduled');
    await page.locator('.post', { hasText: post.id }).getByRole('button', { name: 'Cancel' }).waitFor();

    // A preview that cannot be read says why, in the card.
    const broken = await t.api('/posts', {
      method: 'POST',
      body: { character: 'juniper', media: [`http://${host}/gone.jpg`], caption: 'lost mug' },
    });
    const { post: lost } = (await broken.json()) as { post: { id: string } };
    await page.getByLabel('State').selectOption('');
    await page
      .locator('.post', { hasText: lost.id })
      .getByText(/no preview: .*download answered HTTP 404/)
      .waitFor();
    await page.close();
    media.close();
  });

  it("shows a turn's tool calls with their arguments and outputs", async () => {
    const page = await open('Chat', 'orbit');
    await page.getByRole('textbox', { name: 'Message' }).fill('/tool get_sum {"a":2,"b":40}');
    await page.getByRole('textbox', { name: 'Message' }).press('Control+Enter');
    const reply = page.locator('.msg.agent').last();
    await reply.getByText('get_sum answered').waitFor();
    // By keyboard: the link to the turn is reached and followed like any link.
    await reply.getByRole('link', { name: 'See the turn' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tool calls (1)' }).waitFor();
    const call = page.locator('.tool-calls li').first();
    expect(await call.locator('strong').textContent()).toBe('get_sum');
    expect(await call.locator('pre').first().textContent()).toBe('{"a":2,"b":40}');
    expect(await call.locator('pre').nth(1).textContent()).toContain('The sum of 2 and 40 is 42.');
    await page.getByText(/#\d+ tool_start: get_sum/).waitFor();
    await shot(page, 'turn-tools');
    await page.close();
  });

  it('follows a reply by long-poll as the deployed page does, with the tool call on the way', async () => {
    const page = await t.page();
    await servedAsDeployed(page);
    const polls: string[] = [];
    page.on('request', (request) => {
      if (/\/events\?/.test(request.url())) polls.push(request.url());
    });
    await page.goto(t.consoleUrl);
    await page.getByLabel('Character').selectOption('orbit');
    await page.getByRole('textbox', { name: 'Message' }).fill('/tool get_sum {"a":5,"b":8}');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.msg.agent').last();
    await reply.getByText('get_sum answered').waitFor();
    await reply.locator('a', { hasText: 'See the turn' }).waitFor();
    expect(await reply.locator('.text').textContent()).toContain('13');
    expect(polls[0]).toMatch(/\/v1\/jobs\/[^/]+\/events\?after=0&wait=20$/);
    // Each poll asks after the last event it was given.
    expect(new Set(polls).size).toBe(polls.length);
    await shot(page, 'chat-long-poll');
    await page.close();
  });

  it('made no request to any host but its own', () => {
    expect(t.requests.length).toBeGreaterThan(10);
    expect(t.requests.filter((url) => new URL(url).origin !== t.stack.url)).toEqual([]);
  });
});
