import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleStack, servedAsDeployed, shot, type ConsoleStack } from './support/console-stack.ts';

let t: ConsoleStack;
beforeAll(async () => {
  // Slow enough that the stack can be stopped while the reply is still being written.
  t = await consoleStack({ chunkDelayMs: 300 });
});
// A test that fails while the stack is stopped leaves it running for the next.
afterEach(async () => t?.startStack());
afterAll(async () => t?.close());

type Live = 'stream' | 'poll';

/** Resolves in the page once the streaming reply shows its first words (a string: it runs there). */
const FIRST_WORDS = `new Promise((resolve) => {
  const text = () => document.querySelector('.msg.agent.streaming .text')?.textContent;
  if (text()) return resolve();
  new MutationObserver((_, observer) => {
    if (text()) observer.disconnect(), resolve();
  }).observe(document.querySelector('.chat'), { subtree: true, childList: true, characterData: true });
})`;

/**
 * The chat with the dev key, following replies as `live` says (`poll` as the deployed page does),
 * and for each job-events request it makes, the seq it asked to go on after.
 */
async function chat(live: Live = 'stream'): Promise<{ page: Page; afters: number[] }> {
  const page = await t.page();
  if (live === 'poll') await servedAsDeployed(page);
  const afters: number[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!/^\/v1\/jobs\/[^/]+\/events$/.test(url.pathname)) return;
    afters.push(Number(url.searchParams.get('after') ?? request.headers()['last-event-id'] ?? 0));
  });
  await page.goto(t.consoleUrl);
  await page.getByRole('heading', { level: 2, name: 'Chat' }).waitFor();
  return { page, afters };
}

describe('the console when the stack goes away', () => {
  it.each(['stream', 'poll'] as const)(
    'keeps following a reply (%s) across a stop and start of the stack, saying so while it is gone',
    async (live) => {
      const { page, afters } = await chat(live);
      await page.getByRole('textbox', { name: 'Message' }).fill('hello there, how are the tides?');
      await page.getByRole('button', { name: 'Send' }).click();
      const reply = page.locator('.msg.agent').last();
      // The first words are in (seen by an observer in the page, at once): stop the stack under the rest.
      await page.evaluate(FIRST_WORDS);
      const stopped = t.stopStack();
      const lost = reply.getByRole('status');
      await lost.getByText('Lost the connection to the stack; retrying…').waitFor();
      await stopped;
      await shot(page, `chat-reconnecting-${live}`);

      await t.startStack();
      await reply.getByRole('link', { name: 'See the turn' }).waitFor();
      const jobId = decodeURIComponent(
        (await reply.getByRole('link', { name: 'See the turn' }).getAttribute('href'))!.replace(
          '#/turns/',
          '',
        ),
      );
      const job = (await (await t.api(`/jobs/${encodeURIComponent(jobId)}`)).json()) as { reply: string };
      expect(await reply.locator('.text').textContent()).toBe(job.reply);
      expect(await lost.count()).toBe(0);
      expect(await page.getByRole('alert').count()).toBe(0);
      // It picked up after the last event it had, not from the start.
      expect(afters[0]).toBe(0);
      expect(afters.at(-1)).toBeGreaterThan(0);
      await shot(page, `chat-reconnected-${live}`);
      await page.close();
    },
  );

  it('says the stack cannot be reached when a send fails, and keeps the message to send again', async () => {
    const { page } = await chat();
    const before = await page.locator('.msg').count();
    await t.stopStack();
    const message = page.getByRole('textbox', { name: 'Message' });
    await message.fill('are you still there?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Cannot reach the stack at http:\/\/127\.0\.0\.1:\d+: is it running\?/)
      .waitFor();
    expect(await page.getByText('Failed to fetch').count()).toBe(0);
    expect(await message.inputValue()).toBe('are you still there?');
    // Nothing was sent: no bubble waits for a reply that will never come.
    expect(await page.locator('.msg').count()).toBe(before);
    await shot(page, 'chat-unreachable');

    await t.startStack();
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.msg.agent').last();
    await reply.getByRole('link', { name: 'See the turn' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await message.inputValue()).toBe('');
    await page.close();
  });
});
