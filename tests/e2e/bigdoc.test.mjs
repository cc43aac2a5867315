// A big document (over 400 states, of which the canvas draws only those near the view): Fit (and
// opening it, which fits) draws it as an overview (a few paths, no element per state), and the keyboard reaches every
// state: Tab from the overview goes to the first state, then from state to state in order, the
// view following so that the focused state is drawn and on the screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, server, useBrowser, openPage, codeReady, screenshot } from './harness.mjs';

useBrowser();

/** A chain of `n` states, a Choice every nine (as bench.mjs's machine). */
function machine(n) {
  const States = {};
  for (let i = 0; i < n; i++) {
    if (i === n - 1) States[`S${i}`] = { Type: 'Succeed' };
    else if (i % 9 === 4) States[`S${i}`] = { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: i, Next: `S${Math.min(n - 1, i + 3)}` }], Default: `S${i + 1}` };
    else States[`S${i}`] = { Type: 'Task', Resource: `arn:aws:lambda:eu-west-3:123456789012:function:F${i}`, Next: `S${i + 1}` };
  }
  return JSON.stringify({ StartAt: 'S0', States }, null, 2);
}

/** Pastes `text` on the canvas (a new document) and waits until its scene holds `n` states. */
async function open(page, text, n) {
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.querySelector('.canvas').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, text);
  await page.waitForFunction((n) => document.querySelector('.canvas')?.dataset.states === String(n), n);
}

/** The focused element's state name, and whether it is wholly inside the canvas on the screen. */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const c = document.querySelector('.canvas').getBoundingClientRect();
  const r = el.getBoundingClientRect();
  return { name: el.dataset.stateName ?? null, shown: r.left >= c.left && r.top >= c.top && r.right <= c.right && r.bottom <= c.bottom };
});

test('Fit on a big document draws an overview, and Tab walks its states in order into view', { timeout: 180000 }, async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 900 });
  await page.locator('[data-state-name="ValidateInput"]').waitFor();
  await codeReady(page);
  await open(page, machine(600), 600);
  const drawnStates = () => page.locator('.canvas [data-state-name]').count();

  // Opened, it is fitted: everything in view, far too small to read: one overview, no state
  // element.
  const overview = page.locator('.canvas svg.overview');
  await overview.waitFor();
  assert.equal(await drawnStates(), 0);
  const boxes = await overview.evaluate((svg) => [...svg.querySelectorAll('path.overview-box')].reduce((t, p) => t + (p.getAttribute('d').match(/M/g) ?? []).length, 0));
  assert.ok(boxes >= 600, `${boxes} boxes in the overview`);
  assert.equal(await overview.getAttribute('aria-label'), '600 states, zoomed out: Tab or Enter goes to the first');
  await screenshot(page, 'bigdoc-overview.png');

  // The keyboard's way in: the overview, then Tab to S0, drawn and on the screen.
  await overview.focus();
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.activeElement?.dataset.stateName === 'S0');
  assert.equal(await overview.count(), 0, 'zoomed in: no overview');
  assert.deepEqual(await focused(page), { name: 'S0', shown: true });

  // Tab on and on, far past what was drawn at first: each state in turn, each on the screen.
  const firstDrawn = await page.evaluate(() => [...document.querySelectorAll('.canvas [data-state-name]')].map((n) => n.dataset.stateName));
  for (let k = 1; k <= 40; k++) {
    await page.keyboard.press('Tab');
    await page.waitForFunction((k) => document.activeElement?.dataset.stateName === `S${k}`, k);
    assert.deepEqual(await focused(page), { name: `S${k}`, shown: true });
  }
  assert.ok(!firstDrawn.includes('S40'), 'S40 was not drawn when the walk began');
  // And back.
  await page.keyboard.press('Shift+Tab');
  await page.waitForFunction(() => document.activeElement?.dataset.stateName === 'S39');
  assert.deepEqual(await focused(page), { name: 'S39', shown: true });
  await screenshot(page, 'bigdoc-tabbed.png');
  const near = await drawnStates();
  assert.ok(near > 0 && near < 600, `${near} states drawn near the view`);
  // Fit (the F key) draws the overview again.
  await page.keyboard.press('Escape');
  await page.keyboard.press('f');
  await overview.waitFor();
  assert.equal(await drawnStates(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a small document keeps its every state drawn at Fit, and the browser\'s Tab order', { timeout: 60000 }, async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 900 });
  await page.locator('[data-state-name="ValidateInput"]').waitFor();
  await codeReady(page);
  await open(page, machine(300), 300);
  await page.keyboard.press('Escape');
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.querySelectorAll('.canvas [data-state-name]').length === 300);
  assert.equal(await page.locator('.canvas svg.overview').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});
