// A big document (over 400 states, of which the canvas draws only those near the view): Fit (and
// opening it, which fits) draws it as an overview (a few paths, no element per state), and the keyboard reaches every
// state: Tab from the overview goes to the first state, then from state to state in order, the
// view following so that the focused state is drawn and on the screen. On the overview, as on
// the nodes: a click selects a state (the inspector and the code show it), the pointer names it, a
// double-click zooms in to it; the selection, the problems and a run's path are drawn on it; and
// a pan or a zoom that takes the focused node away leaves the focus in the canvas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, server, useBrowser, openPage, openRunDrawer, codeReady, screenshot, runOnce } from './harness.mjs';

useBrowser();

/** A chain of `n` states, a Choice every nine (as bench.mjs's machine); `wait` is a Wait (the
 * only one: the overview's one box of its kind). */
function machine(n, wait = -1) {
  const States = {};
  for (let i = 0; i < n; i++) {
    if (i === n - 1) States[`S${i}`] = { Type: 'Succeed' };
    else if (i === wait) States[`S${i}`] = { Type: 'Wait', Seconds: 5, Next: `S${i + 1}` };
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
  assert.match(await overview.getAttribute('aria-label'), /^600 states, zoomed out: Tab or Enter goes to the selected state or the first/);
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

/** The overview's marks of class `cls` (e.g. 'overview-mark.selected'): how many boxes (or curves)
 * its paths hold. */
const marks = (page, cls) => page.evaluate((cls) => [...document.querySelectorAll(`.canvas svg.overview path.${cls}`)]
  .reduce((t, p) => t + (p.getAttribute('d').match(/M/g) ?? []).length, 0), cls);
/** The centre of an overview path holding one box, on the screen. */
async function boxCentre(page, selector) {
  const b = await page.locator(`.canvas svg.overview ${selector}`).boundingBox();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}
/** Whether the focus is in the canvas, and on what: a state's name, or 'overview'. */
const focusIn = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el || !document.querySelector('.canvas').contains(el)) return null;
  return el.dataset.stateName ?? (el.hasAttribute('data-overview') ? 'overview' : el.tagName);
});

test('on the overview, a click selects the state under the pointer, named on hover, and a double-click zooms in to it', { timeout: 180000 }, async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 900 });
  await page.locator('[data-state-name="ValidateInput"]').waitFor();
  await codeReady(page);
  await open(page, machine(600, 300), 600);
  await page.locator('.canvas svg.overview').waitFor();
  assert.equal(await page.locator('.canvas').getAttribute('data-drawn'), 'overview');
  // S300 is the only Wait: the one box of its path.
  assert.equal(await marks(page, 'overview-box.kind-wait'), 1);
  const wait = await boxCentre(page, 'path.overview-box.kind-wait');
  // The pointer over it: its name, as no name is drawn.
  await page.mouse.move(wait.x, wait.y);
  await page.locator('.canvas .overview-tip').waitFor();
  assert.equal(await page.locator('.canvas .overview-tip').textContent(), 'S300');
  assert.equal(await marks(page, 'overview-mark.pointed'), 1);
  // A click selects it: the inspector shows it, the code highlights its lines, the overview marks it.
  await page.mouse.down();
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector('.inspector input[aria-label="State name"], .inspector [aria-label="State name"]')?.value === 'S300');
  await page.waitForFunction(() => document.querySelector('.code-host .cm-state-band')?.textContent.includes('"S300"'));
  assert.equal(await marks(page, 'overview-mark.selected'), 1);
  const selected = await page.locator('.canvas svg.overview path.overview-mark.selected').boundingBox();
  assert.ok(Math.abs(selected.x + selected.width / 2 - wait.x) < 3 && Math.abs(selected.y + selected.height / 2 - wait.y) < 3, 'the mark is on S300');
  await screenshot(page, 'bigdoc-overview-selected.png');
  // Shift+click adds the Succeed at the end; a click on the empty canvas clears the selection.
  const last = await boxCentre(page, 'path.overview-box.kind-succeed');
  await page.keyboard.down('Shift');
  await page.mouse.click(last.x, last.y);
  await page.keyboard.up('Shift');
  await page.waitForFunction(() => document.querySelectorAll('.canvas .overview-mark.selected').length === 1 && (document.querySelector('.canvas .overview-mark.selected').getAttribute('d').match(/M/g) ?? []).length === 2);
  const canvas = await page.locator('section.canvas').boundingBox();
  await page.mouse.click(canvas.x + 5, canvas.y + canvas.height - 5);
  await page.waitForFunction(() => document.querySelectorAll('.canvas .overview-mark.selected').length === 0);
  // A pan started on a box pans and selects nothing (a click is decided at the release); with S300
  // selected, a pan from the Succeed's box and back keeps S300 alone selected.
  await page.mouse.click(wait.x, wait.y);
  await page.waitForFunction(() => document.querySelectorAll('.canvas .overview-mark.selected').length === 1);
  const transform = () => page.locator('.canvas .world').getAttribute('style');
  const before = await transform();
  await page.mouse.move(last.x, last.y);
  await page.mouse.down();
  await page.mouse.move(last.x - 80, last.y - 40, { steps: 8 });
  await page.mouse.up();
  assert.notEqual(await transform(), before, 'the view panned');
  await page.mouse.move(last.x - 80, last.y - 40);
  await page.mouse.down();
  await page.mouse.move(last.x, last.y, { steps: 8 });
  await page.mouse.up();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await transform(), before, 'panned back');
  assert.equal(await page.locator('.inspector [aria-label="State name"]').inputValue(), 'S300');
  assert.equal(await page.evaluate(() => (document.querySelector('.canvas .overview-mark.selected')?.getAttribute('d').match(/M/g) ?? []).length), 1, 'S300 alone is selected');
  // Selected again, then double-clicked: zoomed in to it, its node drawn, on the screen, focused.
  await page.mouse.click(wait.x, wait.y);
  await page.mouse.dblclick(wait.x, wait.y);
  await page.waitForFunction(() => document.activeElement?.dataset.stateName === 'S300');
  assert.equal(await page.locator('.canvas svg.overview').count(), 0);
  assert.deepEqual(await focused(page), { name: 'S300', shown: true });
  assert.match(await page.locator('.canvas [data-state-name="S300"]').getAttribute('class'), /\bselected\b/);
  await screenshot(page, 'bigdoc-zoomed-to.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a pan or a zoom that takes the focused state away keeps the focus in the canvas, and Enter on the overview goes back to the selection', { timeout: 180000 }, async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 900 });
  await page.locator('[data-state-name="ValidateInput"]').waitFor();
  await codeReady(page);
  await open(page, machine(600), 600);
  const overview = page.locator('.canvas svg.overview');
  await overview.focus();
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.activeElement?.dataset.stateName === 'S0');
  // The minimap moves the view far from S0 (its press takes no focus): S0 is no longer drawn,
  // and a state on the screen has the focus, not the page.
  const map = await page.getByTestId('minimap').boundingBox();
  await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
  await page.waitForFunction(() => !document.querySelector('.canvas [data-state-name="S0"]'));
  await page.waitForFunction(() => document.activeElement?.dataset.stateName);
  const moved = await focused(page);
  assert.ok(moved.name !== 'S0' && moved.shown, JSON.stringify(moved));
  // Selected, then zoomed out past reading with the wheel: the overview has the focus.
  const name = moved.name;
  await page.locator(`.canvas [data-state-name="${name}"]`).click();
  await page.waitForFunction((n) => document.activeElement?.dataset.stateName === n, name);
  const c = await page.locator('section.canvas').boundingBox();
  await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
  for (let i = 0; i < 6 && (await overview.count()) === 0; i++) {
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(50);
  }
  await overview.waitFor();
  await page.waitForFunction(() => document.activeElement?.hasAttribute('data-overview'));
  assert.equal(await focusIn(page), 'overview');
  // Enter: back to the selected state, drawn and focused.
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.activeElement?.dataset.stateName === n, name);
  assert.deepEqual(await focused(page), { name, shown: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the overview shows the selection\'s, the problems\' and a run\'s marks', { timeout: 180000 }, async () => {
  const { page, problems } = await openRunDrawer({ width: 1440, height: 960 });
  await codeReady(page);
  // 600 Pass states, the last a Fail: a run goes through every one and fails at the end.
  const States = {};
  for (let i = 0; i < 599; i++) States[`Step ${i}`] = { Type: 'Pass', Next: `Step ${i + 1}` };
  States['Step 599'] = { Type: 'Fail', Error: 'Ended', Cause: 'the last step fails' };
  await open(page, JSON.stringify({ StartAt: 'Step 0', States }, null, 2), 600);
  await page.getByRole('button', { name: 'Fit to view' }).click();
  await page.locator('.canvas svg.overview').waitFor();
  assert.equal(await marks(page, 'overview-mark.run-succeeded'), 0, 'no run yet');
  await runOnce(page, 'FAILED');
  await page.getByRole('button', { name: 'Fit to view' }).click();
  await page.locator('.canvas svg.overview.sim-shown').waitFor();
  // Every Pass ran, the Fail failed; the edges between them were taken.
  await page.waitForFunction(() => document.querySelector('.canvas svg.overview path.overview-mark.run-failed'));
  assert.equal(await marks(page, 'overview-mark.run-succeeded'), 599);
  assert.equal(await marks(page, 'overview-mark.run-failed'), 1);
  assert.ok((await marks(page, 'overview-trail.taken')) >= 599, `${await marks(page, 'overview-trail.taken')} taken curves`);
  await screenshot(page, 'bigdoc-overview-run.png');
  assert.equal(await marks(page, 'overview-dot.error'), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the overview marks a state with an error where its badge is', { timeout: 180000 }, async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 900 });
  await page.locator('[data-state-name="ValidateInput"]').waitFor();
  await codeReady(page);
  // S202 is a Choice: its rule goes nowhere (S205, where it went, is still reached from S204).
  const m = JSON.parse(machine(600));
  m.States.S202.Choices[0].Next = 'Nowhere';
  await open(page, JSON.stringify(m, null, 2), 600);
  await page.locator('.canvas svg.overview').waitFor();
  await page.waitForFunction(() => document.querySelector('.canvas svg.overview path.overview-dot.error'));
  assert.equal(await marks(page, 'overview-dot.error'), 1);
  // The dot is on S202's box's corner: a click there selects S202.
  const dot = await boxCentre(page, 'path.overview-dot.error');
  await page.mouse.click(dot.x - 1, dot.y + 0.5);
  await page.waitForFunction(() => document.querySelector('.inspector [aria-label="State name"]')?.value === 'S202');
  assert.deepEqual(problems, []);
  await page.close();
});
