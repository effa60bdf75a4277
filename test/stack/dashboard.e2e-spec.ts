/// <reference lib="dom" />
// The functions passed to page.evaluate and waitForFunction run in the browser.
import type { Browser, Page } from 'playwright-core';
import { launchChromium, TestStack, testOutput } from '../support';

/** The page's cards, by instance id, with the status each shows. */
const cards = (page: Page): Promise<Record<string, string | undefined>> =>
  page.$$eval('li[data-instance]', (items) =>
    Object.fromEntries(
      items.map((li): [string, string | undefined] => [
        (li as HTMLElement).dataset.instance ?? '',
        (li as HTMLElement).dataset.status,
      ]),
    ),
  );

describe('the registry dashboard in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([TestStack.start({ likes: 2, polls: 1 }), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 180_000); // a whole formation and a browser, on a machine that may be busy
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const id = (app: { port: number }) => `127.0.0.1:${app.port}`;

  it("lists the formation's instances through HAProxy, each beside HAProxy's view, and offers no way to change anything", async () => {
    await page.goto(`http://127.0.0.1:${stack.haproxy.registry}/ui`);
    const expected = [stack.registry, ...stack.likes, ...stack.polls].map(id);
    await page.waitForFunction(
      (ids) => ids.every((i) => document.querySelector(`li[data-instance="${i}"] .badge.UP`)),
      expected,
    );
    expect(Object.keys(await cards(page)).sort()).toEqual(expected.sort());
    expect(await page.locator('form, button, input, textarea, select').count()).toBe(0);
  });

  it('shows a SIGKILLed instance critical or gone, without a reload', async () => {
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const victim = stack.likes[0];
    await victim.child.stop('SIGKILL');
    // The registry notices at its next round (1 s here) and the watch brings the change to the page.
    await page.waitForFunction(
      (i) => {
        const card = document.querySelector<HTMLElement>(`li[data-instance="${i}"]`);
        return !card || card.dataset.status === 'critical';
      },
      id(victim),
      { timeout: 20_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
    expect(Object.keys(await cards(page))).toContain(id(stack.likes[1]));
  });

  it('shows an instance in maintenance with its reason, its weight and its check, agreeing with HAProxy', async () => {
    const held = id(stack.likes[1]);
    const put = (path: string, json: object) =>
      fetch(`${stack.registry.url}/services/likes/instances/${held}/${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
    expect((await put('weight', { weight: 3 })).status).toBe(200);
    expect((await put('maintenance', { reason: 'kernel upgrade' })).status).toBe(200);
    await page.waitForFunction(
      (i) => document.querySelector(`li[data-instance="${i}"].maintenance .badge.MAINT`),
      held,
      { timeout: 20_000 },
    );
    const card = page.locator(`li[data-instance="${held}"]`);
    expect(await card.locator('.badge.maintenance').count()).toBe(1);
    expect(await card.locator('.reason').innerText()).toContain('kernel upgrade');
    expect(await card.innerText()).toMatch(/http · weight 3/);
    expect(await card.locator('.disagreement').count()).toBe(0); // out of traffic on both sides
  });

  it('saves screenshots at 1280x800 and at phone width', async () => {
    await page.waitForSelector('#rounds tr');
    await page.screenshot({ path: testOutput('dashboard-1280x800.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: testOutput('dashboard-phone.png'), fullPage: true });
    // The page fits the phone's width: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
