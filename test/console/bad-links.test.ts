import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleStack, shot, type ConsoleStack } from './support/console-stack.ts';

let t: ConsoleStack;
beforeAll(async () => {
  t = await consoleStack();
});
afterAll(async () => t?.close());

/** A page that records what it throws, to hold it to none. */
async function watched(): Promise<{ page: Page; thrown: string[] }> {
  const page = await t.page();
  const thrown: string[] = [];
  page.on('pageerror', (error) => thrown.push(error.message));
  return { page, thrown };
}

const storedKey = (page: Page) => page.evaluate("sessionStorage.getItem('carrier.key')");

describe('the console given a broken link or key', () => {
  it('drops a key fragment with a broken %-escape from the address and asks for the key, saying why', async () => {
    const { page, thrown } = await watched();
    await page.goto(`${t.stack.url}/console#key=%E0%A4%A`);
    await page
      .getByRole('alert')
      .getByText(
        'The key in the link could not be read (a broken %-escape): paste the key the start banner printed.',
      )
      .waitFor();
    expect(page.url()).toBe(`${t.stack.url}/console`);
    expect(await storedKey(page)).toBeNull();
    expect(thrown).toEqual([]);
    await shot(page, 'key-link-broken');
    // The form still takes a good key.
    await page.getByLabel('Key').fill(t.stack.devApiKey);
    await page.getByLabel('Key').press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Chat' }).waitFor();
    await page.close();
  });

  it('refuses a key a request header cannot carry, from the form and from the link, and keeps it nowhere', async () => {
    const { page, thrown } = await watched();
    const refused =
      'This key holds “к”, which an HTTP header cannot carry: an API key is plain ASCII (ck_…). Paste it as the start banner or `carrier keys create` printed it.';
    await page.goto(`${t.stack.url}/console`);
    await page.getByLabel('Key').fill('ck_ключ');
    await page.getByLabel('Key').press('Enter');
    await page.getByRole('alert').getByText(refused).waitFor();
    expect(await page.getByText(/Failed to execute|ISO-8859-1/).count()).toBe(0);
    expect(await storedKey(page)).toBeNull();
    await shot(page, 'key-unsendable');

    await page.close();

    const linked = await watched();
    await linked.page.goto(`${t.stack.url}/console#key=${encodeURIComponent('ck_ключ')}`);
    await linked.page.getByRole('alert').getByText(refused).waitFor();
    expect(linked.page.url()).toBe(`${t.stack.url}/console`);
    expect(await storedKey(linked.page)).toBeNull();
    expect([...thrown, ...linked.thrown]).toEqual([]);
    await linked.page.close();
  });

  it('says so when a view’s address has a broken %-escape, and the menu still works', async () => {
    const { page, thrown } = await watched();
    await page.goto(t.consoleUrl);
    await page.getByRole('heading', { level: 2, name: 'Chat' }).waitFor();
    const broken =
      'The address #/turns/%E0%A4%A could not be read (a broken %-escape): open the turn from the list.';
    await page.evaluate("location.hash = '#/turns/%E0%A4%A'");
    await page.getByRole('alert').getByText(broken).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: 'Turns' }).isVisible()).toBe(true);
    await shot(page, 'turn-address-broken');
    // Loaded as it is, too (the key is already in the tab).
    await page.reload();
    await page.getByRole('alert').getByText(broken).waitFor();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Turns' }).click();
    await page
      .getByRole('table', { name: /^Turns of ada/ })
      .or(page.getByText('No turns for ada yet.'))
      .waitFor();
    expect(thrown).toEqual([]);
    await page.close();
  });
});
