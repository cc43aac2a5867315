// The visual editor, used as a user would: palette drops, connections, the inspector, the code
// editor both ways (typing, search and replace, folding, squiggles), invalid JSON, undo/redo,
// reload, and state names that look like HTML.
// Each test asserts on the canvas (nodes by data-state-name, edges by data-edge) and the JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, codeText, definition, center, drag, browser, server, useBrowser } from './harness.mjs';

useBrowser();

const node = (page, name) => page.locator(`[data-state-name=${JSON.stringify(name)}]`);
const code = (page) => page.getByLabel('ASL definition');

/** Replaces the code as a user would: click in it, select all, paste the new text. */
async function setCode(page, text) {
  await code(page).click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(text);
}

/** Puts the cursor after the next match of `what` with the editor's search (Ctrl+F). */
async function findInCode(page, what) {
  await code(page).click();
  await page.keyboard.press('Control+f');
  await page.getByRole('textbox', { name: 'Find' }).fill('');
  await page.keyboard.type(what);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowRight'); // from the selected match to its end
}

/** A fresh page (fresh localStorage) with the seed drawn. */
async function open() {
  const { page, problems } = await openPage(browser, server.url);
  await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
  await page.waitForTimeout(100); // the first fit happens on the next animation frame
  return { page, problems };
}

/** The on-screen midpoint of the edge drawn for `id` (e.g. "/States/ProcessData->Next"). */
async function edgeMidpoint(page, id) {
  return page.evaluate((id) => {
    const path = document.querySelector(`path[data-edge="${id}"]`);
    const len = path.getTotalLength();
    const p = path.getPointAtLength(len / 2);
    const m = path.getScreenCTM();
    return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
  }, id);
}

async function rename(page, from, to) {
  await node(page, from).click();
  const field = page.getByLabel('State name');
  await field.fill(to);
  await field.press('Enter');
  await node(page, to).waitFor();
}

test('drag a Task from the palette onto an edge, and see it in the JSON', async () => {
  const { page, problems } = await open();
  const task = page.getByRole('button', { name: 'Task', exact: true });
  await drag(page, await center(task), await edgeMidpoint(page, '/States/ProcessData->Next'));
  await node(page, 'Task').waitFor();
  const asl = await definition(page);
  assert.equal(asl.States.ProcessData.Next, 'Task');
  assert.equal(asl.States.Task.Type, 'Task');
  assert.equal(asl.States.Task.Next, 'SendNotification');
  assert.equal(await page.locator('path[data-edge="/States/Task->Next"]').count(), 1);
  assert.match(await node(page, 'Task').textContent(), /Task \(Task\)/);
  await screenshot(page, 'editor-drop-on-edge.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('connect two states by dragging from a handle', async () => {
  const { page, problems } = await open();
  const from = node(page, 'SendNotification');
  await from.hover();
  const handle = from.locator('.handle-next');
  await drag(page, await center(handle), await center(node(page, 'HandleError')));
  await page.locator('path[data-edge="/States/SendNotification->Next"]').waitFor({ state: 'attached' });
  const asl = await definition(page);
  assert.equal(asl.States.SendNotification.Next, 'HandleError');
  assert.equal(asl.States.SendNotification.End, undefined);
  assert.deepEqual(problems, []);
  await page.close();
});

test('rename a state through the inspector, and every reference follows', async () => {
  const { page, problems } = await open();
  await rename(page, 'ProcessData', 'Process');
  assert.equal(await node(page, 'ProcessData').count(), 0);
  const asl = await definition(page);
  assert.equal(asl.States.CheckValidation.Choices[0].Next, 'Process');
  assert.equal(asl.States.Process.Next, 'SendNotification');
  assert.equal(asl.States.ProcessData, undefined);
  assert.deepEqual(problems, []);
  await page.close();
});

test('edit the JSON, and see the canvas change', async () => {
  const { page, problems } = await open();
  const text = (await codeText(page)).replaceAll('"HandleError"', '"OnError"');
  // Search and replace in the code editor: Ctrl+F, find, replace all.
  await code(page).click();
  await page.keyboard.press('Control+f');
  await page.getByRole('textbox', { name: 'Find' }).fill('"HandleError"');
  await page.getByRole('textbox', { name: 'Replace' }).fill('"OnError"');
  await page.getByRole('button', { name: 'replace all' }).click();
  await node(page, 'OnError').waitFor();
  assert.equal(await codeText(page), text);
  assert.equal(await node(page, 'HandleError').count(), 0);
  // The catch edge now goes to the renamed state.
  assert.equal(await page.locator('path[data-edge="/States/ValidateInput->Catch(0)"]').count(), 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('type invalid JSON, and see that nothing is lost', async () => {
  const { page, problems } = await open();
  const valid = await codeText(page);
  const broken = valid.replace('"Next": "SendNotification"', '"Next": "SendNotification",,');
  await findInCode(page, '"Next": "SendNotification"');
  await page.keyboard.press('End');
  await page.keyboard.type(',,');
  const alert = page.locator('.code-error');
  await alert.waitFor();
  const [, line, column] = (await alert.textContent()).match(/line (\d+), column (\d+)/);
  assert.equal(await codeText(page), broken, 'the text is kept as typed');
  // A squiggle marks the error where the alert says it is.
  const squiggle = page.locator('.cm-lintRange-error');
  await squiggle.waitFor();
  const lineText = broken.split('\n')[line - 1];
  assert.equal(await squiggle.textContent(), [...lineText][column - 1], `the character at ${line}:${column}`);
  assert.equal(await squiggle.evaluate((el) => el.closest('.cm-line').textContent), lineText);
  assert.equal(await page.locator('.canvas [data-state-name]').count(), 5, 'the last valid graph stays');
  assert.match(await page.getByRole('list', { name: 'Diagnostics' }).textContent(), /JSON_SYNTAX/);
  // The broken text survives a reload too.
  await page.waitForTimeout(100);
  await page.reload();
  await node(page, 'ValidateInput').waitFor();
  assert.equal(await codeText(page), broken);
  // Fixing it brings the graph back in sync.
  await setCode(page, valid.replaceAll('"HandleError"', '"Oops"'));
  await node(page, 'Oops').waitFor();
  assert.equal(await page.locator('.code-error').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('undo and redo a delete and a rename', async () => {
  const { page, problems } = await open();
  await node(page, 'SendNotification').click();
  await page.keyboard.press('Delete');
  await node(page, 'SendNotification').waitFor({ state: 'detached' });
  assert.equal((await definition(page)).States.ProcessData.End, true);
  await rename(page, 'HandleError', 'Failed');
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await node(page, 'HandleError').waitFor();
  await page.keyboard.press('Control+z');
  await node(page, 'SendNotification').waitFor();
  assert.equal((await definition(page)).States.ProcessData.Next, 'SendNotification');
  await page.keyboard.press('Control+Shift+z');
  await node(page, 'SendNotification').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Redo' }).click();
  await node(page, 'Failed').waitFor();
  assert.equal((await definition(page)).States.ValidateInput.Catch[0].Next, 'Failed');
  assert.deepEqual(problems, []);
  await page.close();
});

test('select several states with Shift+click, then copy, duplicate, delete and undo them together', async () => {
  const { page, problems } = await open();
  const selected = async () => (await page.locator('.canvas .node.selected[data-state-name]').evaluateAll((els) => els.map((e) => e.dataset.stateName))).sort();
  const original = await codeText(page);
  await node(page, 'ProcessData').click();
  await node(page, 'SendNotification').click({ modifiers: ['Shift'] });
  assert.deepEqual(await selected(), ['ProcessData', 'SendNotification']);
  assert.match(await page.getByRole('status').textContent(), /2 states selected/);
  // Shift+click on a selected state takes it out; again puts it back.
  await node(page, 'ProcessData').click({ modifiers: ['Shift'] });
  assert.deepEqual(await selected(), ['SendNotification']);
  await node(page, 'ProcessData').click({ modifiers: ['Shift'] });
  assert.deepEqual(await selected(), ['ProcessData', 'SendNotification']);

  await page.keyboard.press('Control+c');
  assert.match(await page.getByRole('status').textContent(), /Copied ProcessData, SendNotification/);
  // Duplicate the pair: the copy of ProcessData goes on to the copy of SendNotification, while
  // its Catch (out of the pair) stays on HandleError. The copies become the selection.
  await page.keyboard.press('Control+d');
  await node(page, 'SendNotification2').waitFor();
  let asl = await definition(page);
  assert.equal(asl.States.ProcessData2.Next, 'SendNotification2');
  assert.equal(asl.States.ProcessData2.Catch[0].Next, 'HandleError');
  assert.equal(asl.States.SendNotification2.End, true);
  assert.deepEqual(await selected(), ['ProcessData2', 'SendNotification2']);
  // One undo step takes both copies away.
  await page.keyboard.press('Control+z');
  await node(page, 'ProcessData2').waitFor({ state: 'detached' });
  assert.equal(await node(page, 'SendNotification2').count(), 0);
  assert.equal(await codeText(page), original);

  // Delete two states at once, then undo it as one step.
  await node(page, 'HandleError').click();
  await node(page, 'ValidateInput').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Delete');
  await node(page, 'HandleError').waitFor({ state: 'detached' });
  assert.equal(await node(page, 'ValidateInput').count(), 0);
  asl = await definition(page);
  assert.equal(asl.StartAt, 'CheckValidation');
  assert.equal(asl.States.HandleError, undefined);
  assert.equal(asl.States.ValidateInput, undefined);
  await page.keyboard.press('Control+z');
  await node(page, 'HandleError').waitFor();
  assert.equal(await codeText(page), original);
  // Escape clears the whole selection.
  await node(page, 'ProcessData').click();
  await node(page, 'HandleError').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Escape');
  assert.deepEqual(await selected(), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('reload, and see the document and moved nodes restored', async () => {
  const { page, problems } = await open();
  await rename(page, 'ProcessData', 'Process');
  const target = node(page, 'HandleError');
  const before = await center(target);
  await drag(page, before, { x: before.x - 60, y: before.y + 40 });
  const moved = await center(target);
  assert.ok(Math.abs(moved.x - before.x) > 20, 'the node moved');
  // Where the moved node sits relative to another, in node widths (independent of zoom).
  const offset = async () => {
    const a = await node(page, 'HandleError').boundingBox();
    const b = await node(page, 'Process').boundingBox();
    return { x: (a.x - b.x) / b.width, y: (a.y - b.y) / b.width };
  };
  const offsetBefore = await offset();
  // One drag is one undo step.
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(100);
  assert.ok(Math.abs((await offset()).x - offsetBefore.x) > 0.1, 'the drag was undone in one step');
  assert.equal(await node(page, 'Process').count(), 1, 'the rename before it stays');
  await page.keyboard.press('Control+Shift+z');
  await page.waitForTimeout(100);
  const text = await codeText(page);
  await page.waitForTimeout(100);
  await page.reload();
  await node(page, 'Process').waitFor({ timeout: 20000 });
  await page.waitForTimeout(100);
  assert.equal(await codeText(page), text);
  const offsetAfter = await offset();
  assert.ok(Math.abs(offsetAfter.x - offsetBefore.x) < 0.02 && Math.abs(offsetAfter.y - offsetBefore.y) < 0.02,
    `${JSON.stringify(offsetBefore)} vs ${JSON.stringify(offsetAfter)}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a state named like HTML is shown as text and runs no script', async () => {
  const { page, problems } = await open();
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  const evil = '<img src=x onerror=alert(1)>';
  await rename(page, 'ProcessData', evil);
  assert.equal(await node(page, evil).locator('.node-name').textContent(), evil);
  assert.equal(await page.locator('.canvas img, .inspector img, .diagnostics img').count(), 0);
  assert.equal((await definition(page)).States.CheckValidation.Choices[0].Next, evil);
  await page.waitForTimeout(300);
  assert.equal(dialogs, 0);
  // Problems about the name are listed as text too.
  assert.equal(await page.getByRole('list', { name: 'Diagnostics' }).locator('img').count(), 0);
  assert.deepEqual(problems.filter((p) => !p.includes('/x')), []);
  await page.close();
});

test('palette items are buttons named by their label', async () => {
  const { page } = await open();
  for (const name of ['Task', 'Pass', 'Wait', 'Choice', 'Parallel', 'Map', 'Succeed', 'Fail',
    'Lambda invoke', 'SNS publish', 'SQS send', 'DynamoDB put', 'DynamoDB get', 'Saga', 'Email + SMS']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, name);
  }
  assert.match(await node(page, 'CheckValidation').textContent(), /CheckValidation \(Choice\)/);
  await page.close();
});

test('the code editor: Ctrl+F opens search, a block folds, and Ctrl+Z in it is the document\'s undo', async () => {
  const { page, problems } = await open();
  const before = await codeText(page);
  await code(page).click();
  await page.keyboard.press('Control+f');
  const find = page.getByRole('textbox', { name: 'Find' });
  await find.waitFor();
  assert.equal(await find.evaluate((el) => el === document.activeElement), true, 'the search field has the focus');
  await page.keyboard.type('SendNotification');
  await page.keyboard.press('Enter');
  assert.ok(await page.locator('.cm-searchMatch').count() >= 1, 'matches are highlighted');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.cm-search').count(), 0, 'Escape closes the search');
  // Fold the "States" block: its lines leave the view, the text stays whole.
  const lines = await page.locator('.cm-line').count();
  const states = page.locator('.cm-line', { hasText: '"States": {' }).first();
  const box = await states.boundingBox();
  const marker = page.locator('.cm-foldGutter .cm-gutterElement').filter({ has: page.locator('span[title="Fold line"]') })
;
  let folded = false;
  for (const m of await marker.all()) {
    const b = await m.boundingBox();
    if (b && Math.abs(b.y - box.y) < 4) { await m.locator('span').click(); folded = true; break; }
  }
  assert.ok(folded, 'a fold marker sits on the "States" line');
  await page.locator('.cm-foldPlaceholder').waitFor();
  assert.ok(await page.locator('.cm-line').count() < lines - 10, 'the block is folded');
  assert.equal(await codeText(page), before, 'folding changes no text');
  // A canvas edit, then typing, then Ctrl+Z twice in the editor: both undone, in order.
  await rename(page, 'HandleError', 'Failed');
  await findInCode(page, '"Comment": "');
  await page.keyboard.type('Hello ');
  await page.waitForTimeout(50);
  assert.match(await codeText(page), /"Comment": "Hello /);
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(50);
  assert.doesNotMatch(await codeText(page), /Hello/);
  assert.equal(await node(page, 'Failed').count(), 1);
  await page.keyboard.press('Control+z');
  await node(page, 'HandleError').waitFor();
  assert.equal(await codeText(page), before);
  await screenshot(page, 'editor-code.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicking a diagnostic selects its span in the code', async () => {
  const { page, problems } = await open();
  await findInCode(page, '"Next": "SendNotification');
  await page.keyboard.type('X');
  const item = page.getByRole('list', { name: 'Diagnostics' }).getByRole('button').first();
  await item.waitFor();
  await page.locator('.cm-lintRange-error').first().waitFor();
  await item.click();
  await page.waitForTimeout(50);
  const selected = await page.evaluate(() => ({
    text: window.getSelection().toString(),
    inEditor: document.activeElement.classList.contains('cm-content'),
  }));
  assert.deepEqual(selected, { text: '"SendNotificationX"', inEditor: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a JSONPath filter's /regex/ is checked in the page by the browser's RegExp", async () => {
  const { page, problems } = await open();
  const diagnostics = page.getByRole('list', { name: 'Diagnostics' });
  const machine = (pattern) => JSON.stringify({
    StartAt: 'Pick',
    States: { Pick: { Type: 'Pass', InputPath: `$.items[?(@.name =~ ${pattern})]`, End: true } },
  }, null, 2);
  // An unclosed group: the browser's SyntaxError, located on the path, without the anchored form
  // the engine was given.
  await setCode(page, machine('/(ab/i'));
  const problem = diagnostics.getByRole('button', { name: /invalid regular expression/ });
  await problem.waitFor({ timeout: 5000 });
  assert.doesNotMatch(await problem.textContent(), /\[\\s\\S\]/, 'the message does not show the anchored pattern');
  // A valid pattern with Java's flags: no diagnostic.
  await setCode(page, machine('/^a.*(b|c)$/iU'));
  await problem.waitFor({ state: 'detached', timeout: 5000 });
  assert.equal(await diagnostics.getByRole('button', { name: /regular expression/ }).count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('New offers a blank workflow, the example or a pattern, each a new document; Open example too', async () => {
  const { page, problems } = await open();
  await page.getByRole('button', { name: 'New', exact: true }).click();
  const chooser = page.getByRole('dialog', { name: 'New document' });
  assert.ok(await chooser.getByRole('button', { name: 'Retry with back-off' }).isVisible(), 'palette patterns are offered');
  await chooser.getByRole('button', { name: 'Blank workflow' }).click();
  await node(page, 'ValidateInput').waitFor({ state: 'detached', timeout: 5000 });
  assert.equal(await page.locator('.canvas [data-state-name]').count(), 1);
  await node(page, 'Start').waitFor();
  assert.equal(await page.getByTestId('doc-name').textContent(), 'Untitled');
  // The earlier workflow is a document of its own, not an undo step.
  assert.equal(await page.getByRole('button', { name: 'Undo' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Documents (2)' }).waitFor();
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await chooser.getByRole('button', { name: 'Saga' }).click();
  await node(page, 'Start').waitFor({ state: 'detached', timeout: 5000 });
  assert.equal(await page.getByTestId('doc-name').textContent(), 'Saga');
  await page.getByRole('button', { name: 'Open example' }).click();
  await node(page, 'ValidateInput').waitFor();
  assert.equal(await page.locator('.canvas [data-state-name]').count(), 5);
  await page.getByRole('button', { name: 'Documents (4)' }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test('a dragged node follows the pointer with its edges; Escape drops the drag where it started', async () => {
  const { page, problems } = await open();
  const target = node(page, 'HandleError');
  const edge = () => page.locator('path[data-edge="/States/CheckValidation->Default"]').getAttribute('d');
  const from = await center(target);
  const d0 = await edge();
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(from.x + 12 * i, from.y + 8 * i);
  await page.waitForFunction(([x]) => {
    const b = document.querySelector('[data-state-name="HandleError"]').getBoundingClientRect();
    return b.x + b.width / 2 > x + 40;
  }, [from.x], { timeout: 2000 });
  assert.notEqual(await edge(), d0, 'the edge into it follows');
  await page.keyboard.press('Escape');
  await page.mouse.up();
  await page.waitForFunction(([x]) => {
    const b = document.querySelector('[data-state-name="HandleError"]').getBoundingClientRect();
    return Math.abs(b.x + b.width / 2 - x) < 1;
  }, [from.x], { timeout: 2000 });
  assert.equal(await edge(), d0);
  await page.waitForTimeout(300);
  const saved = await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('statecraft');
    open.onsuccess = () => {
      const all = open.result.transaction('documents').objectStore('documents').getAll();
      all.onsuccess = () => resolve(JSON.parse(all.result[0]).saved.positions ?? {});
    };
  }));
  assert.equal(saved['/States/HandleError'], undefined, 'no position was kept');
  assert.deepEqual(problems, []);
  await page.close();
});

test('selecting a state with a long name shows its lines in the code from the start of its name', async () => {
  const { page, problems } = await open();
  const long = 'Create New Organizational Unit For The Account Vending Machine Of The Platform Team';
  const { pasteAsDocument } = await import('./harness.mjs');
  await pasteAsDocument(page, { StartAt: 'Start', States: { Start: { Type: 'Pass', Next: long }, [long]: { Type: 'Pass', End: true } } });
  await page.waitForFunction(() => window.StatecraftCM?.viewOf(document.querySelector('.code-host')));
  await node(page, long).click();
  await page.waitForFunction(() => document.querySelector('.code-host .cm-state-band')?.textContent.includes('Create New'));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  // The name's start is in view across: the view did not scroll sideways to the `{` after it.
  const seen = await page.evaluate((long) => {
    const scroller = document.querySelector('.code-host .cm-scroller');
    const line = [...document.querySelectorAll('.code-host .cm-state-band')].find((l) => l.textContent.includes(long));
    const range = document.createRange();
    const text = [...line.querySelectorAll('*')].map((e) => e.firstChild).find((t) => t?.nodeType === 3 && t.textContent.includes('Create New'));
    range.setStart(text, text.textContent.indexOf('Create New'));
    range.setEnd(text, text.textContent.indexOf('Create New') + 1);
    const r = range.getBoundingClientRect();
    const s = scroller.getBoundingClientRect();
    const gutter = document.querySelector('.code-host .cm-gutters').getBoundingClientRect();
    return { left: r.left, from: gutter.right, to: s.right, scrolled: scroller.scrollLeft, wide: scroller.scrollWidth > scroller.clientWidth };
  }, long);
  assert.ok(seen.wide, `the line is wider than the pane: ${JSON.stringify(seen)}`);
  assert.ok(seen.left >= seen.from && seen.left < seen.to, `the name's start is in view: ${JSON.stringify(seen)}`);
  assert.deepEqual(problems, []);
  await page.close();
});
