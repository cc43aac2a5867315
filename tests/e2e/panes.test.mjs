// The workspace's panes and the canvas's gestures, used as a person would: splitters dragged and
// moved with the keyboard (sizes kept across a reload), the Run drawer shrinking the canvas and
// the failed state brought into view, "+ Add catcher" keeping the definition valid, a pattern
// dropped on an edge that runs, rename by double-click, a selection box, the minimap, the code
// pane's wrap toggle. Screenshots at 1280×800 and 1920×1080.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, definition, center, drag, browser, server, useBrowser, pasteAsDocument } from './harness.mjs';

useBrowser();

const node = (page, name) => page.locator(`.canvas [data-state-name=${JSON.stringify(name)}]`);
const splitter = (page, which) => page.locator(`[data-splitter="${which}"]`);
const problemCount = async (page) => Number(await page.locator('.diagnostics-panel .count').textContent());

async function open(viewport) {
  const { page, problems } = await openPage(browser, server.url, viewport);
  await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
  await page.waitForTimeout(100); // the first fit happens on the next animation frame
  return { page, problems };
}

/** The definition once `check` holds (the code follows a change on the next frame). */
async function until(page, check) {
  for (let i = 0; i < 50; i++) {
    const asl = await definition(page).catch(() => null);
    if (asl && check(asl)) return asl;
    await page.waitForTimeout(100);
  }
  return definition(page);
}

const width = async (locator) => (await locator.boundingBox()).width;
const height = async (locator) => (await locator.boundingBox()).height;

/** Whether `inner` lies wholly inside `outer` on the screen. */
async function inside(inner, outer) {
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  return a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.width <= b.x + b.width + 1 && a.y + a.height <= b.y + b.height + 1;
}

test('each splitter resizes its pane by drag and by keyboard, and the sizes survive a reload', async () => {
  const { page, problems } = await open();
  const palette = page.locator('nav.palette');
  const side = page.locator('aside.side');
  const inspector = page.locator('.inspector');
  const before = { palette: await width(palette), side: await width(side), inspector: await height(inspector) };
  // Palette: 60 px wider.
  let c = await center(splitter(page, 'palette'));
  await drag(page, c, { x: c.x + 60, y: c.y });
  assert.ok(Math.abs(await width(palette) - (before.palette + 60)) <= 2, `palette ${await width(palette)}`);
  // Side column: dragged left, 80 px wider.
  c = await center(splitter(page, 'side'));
  await drag(page, c, { x: c.x - 80, y: c.y });
  assert.ok(Math.abs(await width(side) - (before.side + 80)) <= 2, `side ${await width(side)}`);
  // Inspector: 100 px taller (the code below it shrinks).
  c = await center(splitter(page, 'inspector'));
  await drag(page, c, { x: c.x, y: c.y + 100 });
  assert.ok(Math.abs(await height(inspector) - (before.inspector + 100)) <= 2, `inspector ${await height(inspector)}`);
  // The keyboard: a focused separator moves 16 px an arrow, and says where it is.
  await splitter(page, 'palette').focus();
  await page.keyboard.press('ArrowLeft');
  assert.ok(Math.abs(await width(palette) - (before.palette + 44)) <= 2);
  assert.equal(await splitter(page, 'palette').getAttribute('role'), 'separator');
  assert.equal(await splitter(page, 'palette').getAttribute('aria-valuenow'), String(before.palette + 44));
  // The drawer's splitter appears with the drawer; dragged up, the drawer grows and the canvas shrinks.
  await page.getByTestId('run-toggle').click();
  const drawer = page.getByTestId('run-panel');
  const canvas = page.locator('section.canvas');
  const [drawerBefore, canvasBefore] = [await height(drawer), await height(canvas)];
  c = await center(splitter(page, 'drawer'));
  await drag(page, c, { x: c.x, y: c.y - 70 });
  assert.ok(Math.abs(await height(drawer) - (drawerBefore + 70)) <= 2, `drawer ${await height(drawer)}`);
  assert.ok(Math.abs(await height(canvas) - (canvasBefore - 70)) <= 3, `canvas ${await height(canvas)}`);
  const sizes = { palette: await width(palette), side: await width(side), inspector: await height(inspector), drawer: await height(drawer) };
  await page.waitForTimeout(200);
  await page.waitForLoadState('networkidle'); // as below: no request of the first load cancelled by the reload
  await page.reload();
  await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
  assert.equal(await width(palette), sizes.palette);
  assert.equal(await width(side), sizes.side);
  assert.equal(await height(inspector), sizes.inspector);
  await page.getByTestId('run-toggle').click();
  assert.equal(await height(drawer), sizes.drawer);
  // Dragged past its limit, the palette stops where the canvas still has room.
  c = await center(splitter(page, 'palette'));
  await drag(page, c, { x: c.x + 2000, y: c.y });
  assert.ok(await width(canvas) >= 279, `canvas ${await width(canvas)}`);
  await screenshot(page, 'panes-resized.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('with the drawer open after a failing run, the failed state is in view', async () => {
  const { page, problems } = await open();
  // Zoomed in on the top of the flow: SendNotification is far below the view.
  const canvas = page.locator('section.canvas');
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByTestId('run-toggle').click();
  assert.ok(!(await inside(node(page, 'SendNotification'), canvas)), 'SendNotification starts out of view');
  await page.getByTestId('run-start').waitFor();
  await page.locator('.handler-row[data-handler="SendNotification"] select').selectOption('throw');
  await page.getByTestId('run-start').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'FAILED', null, { timeout: 20000 });
  await page.waitForTimeout(150);
  assert.match(await node(page, 'SendNotification').getAttribute('class'), /run-failed/);
  assert.ok(await inside(node(page, 'SendNotification'), canvas), 'the failed state is inside the canvas');
  // The drawer sits under the canvas, not over it.
  const d = await page.getByTestId('run-panel').boundingBox();
  const cv = await canvas.boundingBox();
  assert.ok(cv.y + cv.height <= d.y + 1, `canvas ends at ${cv.y + cv.height}, the drawer starts at ${d.y}`);
  await screenshot(page, 'panes-failed-in-view.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('"+ Add catcher" asks where the catcher goes and keeps the problem count at zero', async () => {
  const { page, problems } = await open();
  await node(page, 'ProcessData').click();
  assert.equal(await problemCount(page), 0);
  await page.getByRole('button', { name: '+ Add catcher' }).click();
  const next = page.getByTestId('new-catcher-next');
  const options = await next.locator('option').allTextContents();
  assert.ok(!options.includes('ProcessData'), 'a state does not catch into itself');
  await next.selectOption('SendNotification');
  const def = await until(page, (a) => a.States.ProcessData.Catch.length === 2);
  assert.deepEqual(def.States.ProcessData.Catch.map((c) => c.ErrorEquals), [['States.TaskFailed'], ['States.ALL']]);
  assert.equal(def.States.ProcessData.Catch[0].Next, 'SendNotification');
  assert.equal(await problemCount(page), 0);
  // Once more: another error, never a second States.ALL.
  await page.getByRole('button', { name: '+ Add catcher' }).click();
  await page.getByTestId('new-catcher-next').selectOption('HandleError');
  const again = await until(page, (a) => a.States.ProcessData.Catch.length === 3);
  assert.deepEqual(again.States.ProcessData.Catch.map((c) => c.ErrorEquals), [['States.TaskFailed'], ['States.Timeout'], ['States.ALL']]);
  assert.equal(await problemCount(page), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a pattern dropped onto an edge is connected into the flow, valid, and runs', async () => {
  const { page, problems } = await open();
  const edge = page.locator('path[data-edge="/States/ProcessData->Next"]');
  const box = await edge.boundingBox();
  const target = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const item = page.getByRole('button', { name: 'Email + SMS' });
  await item.scrollIntoViewIfNeeded();
  await drag(page, await center(item), target);
  await node(page, 'Notify').waitFor();
  const def = await until(page, (a) => a.States.Notify);
  assert.equal(def.States.ProcessData.Next, 'NotifySettings');
  assert.equal(def.States.Notify.Next, 'SendNotification');
  assert.equal(await problemCount(page), 0);
  // Its placeholders are named in the inspector of its first state.
  await node(page, 'NotifySettings').click();
  const field = (at) => page.locator(`.inspector [data-at=${JSON.stringify(at)}]`);
  await field('/Parameters').waitFor();
  assert.match(await field('/Parameters').inputValue(), /"email": "customer@example\.com"/);
  assert.equal(await field('/ResultPath').inputValue(), '$.notify');
  // And the seed's first scenario runs through it to success.
  await page.getByTestId('run-toggle').click();
  await page.getByTestId('run-start').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'SUCCEEDED', null, { timeout: 20000 });
  assert.match(await node(page, 'Notify').getAttribute('class'), /run-succeeded/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a double-click renames a state in place: Enter commits, Escape cancels, names stay unique', async () => {
  const { page, problems } = await open();
  await node(page, 'SendNotification').dblclick();
  const field = page.getByTestId('rename-field');
  await field.waitFor();
  await field.fill('NotifyCustomer');
  await page.keyboard.press('Escape');
  await field.waitFor({ state: 'detached' });
  assert.equal((await definition(page)).States.ProcessData.Next, 'SendNotification');
  // A name another state has is refused, and the field stays open.
  await node(page, 'SendNotification').dblclick();
  await field.fill('HandleError');
  await page.keyboard.press('Enter');
  await page.getByText(/already exists/).waitFor();
  assert.ok(await field.isVisible());
  await field.fill('NotifyCustomer');
  await page.keyboard.press('Enter');
  await node(page, 'NotifyCustomer').waitFor();
  let def = await definition(page);
  assert.equal(def.States.ProcessData.Next, 'NotifyCustomer');
  assert.equal(def.States.SendNotification, undefined);
  // One undo step.
  await page.locator('section.canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await node(page, 'SendNotification').waitFor();
  def = await definition(page);
  assert.equal(def.States.ProcessData.Next, 'SendNotification');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Shift+drag on the background selects the states inside the box', async () => {
  const { page, problems } = await open();
  const a = await node(page, 'ValidateInput').boundingBox();
  const b = await node(page, 'CheckValidation').boundingBox();
  await page.keyboard.down('Shift');
  await drag(page, { x: Math.min(a.x, b.x) - 30, y: a.y - 10 }, { x: Math.max(a.x + a.width, b.x + b.width) + 30, y: b.y + b.height + 5 });
  await page.keyboard.up('Shift');
  assert.match(await node(page, 'ValidateInput').getAttribute('class'), /selected/);
  assert.match(await node(page, 'CheckValidation').getAttribute('class'), /selected/);
  assert.doesNotMatch(await node(page, 'SendNotification').getAttribute('class'), /selected/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the minimap appears when the graph is larger than the view, and a press moves the view', async () => {
  const { page, problems } = await open();
  assert.equal(await page.getByTestId('minimap').count(), 0, 'a fitted seed needs no minimap');
  for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  const map = page.getByTestId('minimap');
  await map.waitFor();
  const before = await page.locator('.world').getAttribute('style');
  const m = await map.boundingBox();
  await page.mouse.click(m.x + m.width / 2, m.y + m.height - 8);
  assert.notEqual(await page.locator('.world').getAttribute('style'), before);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the code pane wraps long lines on request, and remembers it', async () => {
  const { page, problems } = await open();
  const toggle = page.getByTestId('wrap-toggle');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await page.locator('.cm-content.cm-lineWrapping').waitFor();
  // What the first load fetches after its paint (the catalogue's files, the page's wasm parts)
  // has arrived: a reload made sooner cancels those requests, which `problems` would report.
  await page.waitForLoadState('networkidle');
  await page.reload();
  await page.locator('.cm-content.cm-lineWrapping').waitFor({ timeout: 20000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('screenshots: the workspace at 1280×800 and 1920×1080, light and dark, drawer open', async () => {
  for (const [w, h] of [[1280, 800], [1920, 1080]]) {
    for (const scheme of ['light', 'dark']) {
      const { page } = await open({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByTestId('run-toggle').click();
      await page.getByTestId('run-start').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'SUCCEEDED', null, { timeout: 20000 });
      await screenshot(page, `panes-${w}x${h}-${scheme}.png`);
      await page.close();
    }
  }
});

test('the inspector can take the whole column: a double-click on its splitter (or Enter), and again to restore it', async () => {
  const { page, problems } = await open({ width: 1280, height: 800 });
  await node(page, 'ProcessData').click();
  const inspector = page.locator('.inspector');
  const side = page.locator('aside.side');
  const before = await height(inspector);
  await splitter(page, 'inspector').dblclick();
  await page.waitForTimeout(100);
  const full = await height(inspector);
  const column = await side.boundingBox();
  assert.ok(full > before + 250 && full >= column.height - 140, `inspector ${full} of a ${column.height} column`);
  // The code pane keeps its head in the column, under the inspector.
  const head = page.locator('section.code h2').first();
  assert.ok(await inside(head, side), 'the code pane\'s head stays in view');
  assert.ok(await page.evaluate(() => { const s = document.querySelector('aside.side'); return s.scrollHeight <= s.clientHeight + 1; }), 'the column does not overflow');
  await screenshot(page, 'inspector-full-height.png');
  await splitter(page, 'inspector').dblclick();
  await page.waitForTimeout(100);
  assert.ok(Math.abs(await height(inspector) - 300) <= 2, `back to the default: ${await height(inspector)}`);
  await splitter(page, 'inspector').focus();
  await page.keyboard.press('Enter');
  await page.waitForTimeout(100);
  assert.ok(Math.abs(await height(inspector) - full) <= 2, 'Enter does the same');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the top bar\'s notice is read whole at 1440 px: it wraps, the bar grows, nothing is cut', async () => {
  const { page, problems } = await open({ width: 1440, height: 900 });
  // A definition pasted on the canvas opens as a new document, and the notice says so (with a
  // long Comment beside it in the bar).
  await pasteAsDocument(page, {
    Comment: 'Reconciles the nightly settlement files of every acquiring bank with the ledger and reports the differences',
    StartAt: 'Reconcile',
    States: { Reconcile: { Type: 'Pass', End: true } },
  });
  const notice = page.locator('.topbar .notice');
  await page.waitForFunction(() => /^Imported the definition/.test(document.querySelector('.topbar .notice')?.textContent ?? ''));
  const m = await notice.evaluate((el) => ({
    text: el.textContent,
    scroll: [el.scrollWidth, el.scrollHeight],
    client: [el.clientWidth, el.clientHeight],
    box: el.getBoundingClientRect().toJSON(),
    bar: el.closest('.topbar').getBoundingClientRect().toJSON(),
    actions: document.querySelector('.topbar .actions').getBoundingClientRect().toJSON(),
  }));
  assert.equal(m.text, 'Imported the definition (the earlier one is under Documents)');
  // Nothing hidden: no overflow either way, inside the bar and the window, clear of the buttons.
  assert.ok(m.scroll[0] <= m.client[0] + 1 && m.scroll[1] <= m.client[1] + 1, JSON.stringify(m));
  assert.ok(m.box.top >= m.bar.top && m.box.bottom <= m.bar.bottom + 0.5 && m.box.left >= 0 && m.box.right <= 1440, JSON.stringify(m));
  assert.ok(m.box.top >= m.actions.bottom - 0.5 || m.box.right <= m.actions.left, `the notice lies over the buttons: ${JSON.stringify(m)}`);
  assert.ok(m.actions.right <= 1440, JSON.stringify(m.actions));
  // The canvas still starts under the bar, whatever its height.
  const canvas = await page.locator('section.canvas').boundingBox();
  assert.ok(canvas.y >= m.bar.bottom - 0.5, `canvas at ${canvas.y}, bar to ${m.bar.bottom}`);
  await page.screenshot({ path: '/tmp/layout-notice-1440.png' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the top bar keeps its every button in the window with a template\'s long name, a notice and Save template, at 1280 px', async () => {
  const { page, problems } = await open({ width: 1280, height: 800 });
  const sam = 'Resources:\n  ReconcileNightlySettlementFilesOfEveryAcquiringBank:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A: {Type: Pass, Result: "${Greeting}", End: true}\n      DefinitionSubstitutions:\n        Greeting: hi\n';
  await page.getByLabel('Open file').setInputFiles({ name: 'reconcile-nightly-settlement-files.template.yaml', mimeType: 'text/yaml', buffer: Buffer.from(sam) });
  await page.locator('.topbar').getByText('Save template').waitFor();
  const m = await page.evaluate(() => ({
    notice: document.querySelector('.topbar .notice').textContent,
    page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
    buttons: [...document.querySelectorAll('.topbar .actions > *')].filter((el) => el.getBoundingClientRect().width > 0).map((el) => [el.textContent.trim() || el.getAttribute('aria-label'), Math.round(el.getBoundingClientRect().right)]),
    name: (() => { const el = document.querySelector('[data-testid="doc-name"]'); return { cut: el.scrollWidth > el.clientWidth, ellipsis: getComputedStyle(el).textOverflow, right: el.getBoundingClientRect().right }; })(),
    actionsLeft: document.querySelector('.topbar .actions').getBoundingClientRect().left,
  }));
  assert.match(m.notice, /^Opened ReconcileNightlySettlementFilesOfEveryAcquiringBank from reconcile-nightly/);
  assert.deepEqual(m.buttons.filter(([, right]) => right > 1280), [], JSON.stringify(m.buttons));
  assert.ok(m.buttons.some(([label]) => label === 'Export'), JSON.stringify(m.buttons));
  assert.ok(m.page[0] <= m.page[1], `the page scrolls sideways: ${m.page}`);
  // The name gave its room up to the buttons, not to the notice: cut with an ellipsis at its
  // widest (whole in its title and the Documents menu).
  assert.equal(m.name.ellipsis, 'ellipsis');
  assert.ok(m.name.right >= m.actionsLeft - 2 * 16, `the name stops at ${m.name.right}, the buttons start at ${m.actionsLeft}`);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('dialog', { name: 'Export' }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test('a big real workflow\'s long name is read whole beside its "Opened ..." notice at 1280 px', async () => {
  const { readFile } = await import('node:fs/promises');
  const { page, problems } = await open({ width: 1280, height: 800 });
  // Customizations for Control Tower's 93-state StackSet machine, under its deployed file's name.
  const text = await readFile(new URL('../fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json', import.meta.url), 'utf8');
  await page.getByLabel('Open file').setInputFiles({ name: 'sfn_state_machine_stackset.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.waitForFunction(() => /^Opened sfn_state_machine_stackset\.json/.test(document.querySelector('.topbar .notice')?.textContent ?? ''));
  await page.waitForTimeout(200);
  const m = await page.evaluate(() => {
    const box = (el) => el.getBoundingClientRect().toJSON();
    const name = document.querySelector('[data-testid="doc-name"]');
    const notice = document.querySelector('.topbar .notice');
    return {
      name: { text: name.textContent, scroll: name.scrollWidth, client: name.clientWidth, box: box(name) },
      notice: { scroll: [notice.scrollWidth, notice.scrollHeight], client: [notice.clientWidth, notice.clientHeight], box: box(notice) },
      actions: box(document.querySelector('.topbar .actions')),
      bar: box(document.querySelector('.topbar')),
    };
  });
  // The name whole, not cut to "sfn_state_m…" by the notice beside it.
  assert.equal(m.name.text, 'sfn_state_machine_stackset');
  assert.ok(m.name.scroll <= m.name.client, `the name is cut: ${JSON.stringify(m.name)}`);
  // The notice shown whole too, in the bar, clear of the name and the buttons, and on one line.
  assert.ok(m.notice.scroll[0] <= m.notice.client[0] + 1 && m.notice.scroll[1] <= m.notice.client[1] + 1, JSON.stringify(m.notice));
  assert.ok(m.notice.box.bottom <= m.bar.bottom + 0.5 && m.notice.box.top >= m.name.box.bottom - 0.5 && m.notice.box.top >= m.actions.bottom - 0.5, JSON.stringify(m));
  assert.ok(m.notice.box.height < 30, `the notice wraps: ${JSON.stringify(m.notice)}`);
  assert.ok(m.actions.right <= 1280, JSON.stringify(m.actions));
  await page.screenshot({ path: '/tmp/topbar-long-name-1280.png', clip: { x: 0, y: 0, width: 1280, height: 160 } });
  assert.deepEqual(problems, []);
  await page.close();
});
