// Documents in and out of the page, as a user would: open a file, import by paste (the Import
// dialog, Ctrl+V on the canvas), copy and paste a state (Ctrl+C, Ctrl+V), and a share link.
// A whole definition comes in as a new document (the open one stays in the Documents list),
// states as one undo step; bad input changes nothing and says where it is bad.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { openPage, codeText, definition, browser, server, useBrowser } from './harness.mjs';

useBrowser();

const node = (page, name) => page.locator(`[data-state-name=${JSON.stringify(name)}]`);
const docName = (page) => page.getByTestId('doc-name').textContent();
const notice = (page) => page.getByRole('status').textContent();

const SOLO = JSON.stringify({ Comment: 'Solo flow', StartAt: 'Solo', States: { Solo: { Type: 'Pass', Next: 'Done' }, Done: { Type: 'Succeed' } } }, null, 2);

async function open() {
  const { page, problems } = await openPage(browser, server.url);
  await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
  await page.waitForTimeout(100);
  return { page, problems };
}

/** Clicks empty canvas, so that keys go to the canvas. */
const focusCanvas = (page) => page.locator('.canvas').click({ position: { x: 20, y: 20 } });

test('open a file: JSON becomes a new document; a bad file is refused with where it breaks', async () => {
  const { page, problems } = await open();
  const seed = await codeText(page);
  const input = page.getByLabel('Open file');
  await input.setInputFiles({ name: 'broken.asl.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "StartAt": "A",\n  "States": {,}\n}') });
  await page.waitForFunction(() => /broken\.asl\.json/.test(document.querySelector('[role=status]').textContent));
  assert.match(await notice(page), /broken\.asl\.json was not opened: not JSON at line 3, column \d+/);
  assert.equal(await codeText(page), seed, 'nothing changed');
  assert.equal(await docName(page), 'OrderProcessingWorkflow');

  await input.setInputFiles({ name: 'solo.asl.json', mimeType: 'application/json', buffer: Buffer.from(SOLO) });
  await node(page, 'Solo').waitFor();
  assert.equal(await node(page, 'ValidateInput').count(), 0);
  assert.equal(await codeText(page), SOLO);
  assert.equal(await docName(page), 'solo');
  // The earlier document is in the list, as it was.
  await page.getByRole('button', { name: 'Documents (2)' }).click();
  await page.getByRole('dialog', { name: 'Documents' }).getByRole('button', { name: 'OrderProcessingWorkflow', exact: true }).click();
  await node(page, 'ValidateInput').waitFor();
  assert.equal(await codeText(page), seed, 'the earlier document is kept');
  assert.deepEqual(problems, []);
  await page.close();
});

test('import by paste: the Import dialog takes a definition, and says where a bad one breaks', async () => {
  const { page, problems } = await open();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Import' });
  const field = dialog.getByLabel('Definition to import');
  await field.fill('{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass" "End": true}\n  }\n}');
  await dialog.getByRole('button', { name: 'Import' }).click();
  assert.match(await dialog.getByRole('alert').textContent(), /not JSON at line 4, column \d+/);
  assert.equal(await node(page, 'ValidateInput').count(), 1, 'nothing changed');
  await field.fill(SOLO);
  await dialog.getByRole('button', { name: 'Import' }).click();
  await node(page, 'Solo').waitFor();
  assert.equal(await dialog.count(), 0, 'the dialog closes');
  assert.deepEqual(await definition(page), JSON.parse(SOLO));
  assert.equal(await docName(page), 'Imported definition', 'named by where it came from, not by its Comment');
  assert.deepEqual(problems, []);
  await page.close();
});

test('copy and paste a state with Ctrl+C and Ctrl+V on the canvas; paste a definition to import it', async () => {
  const { page, problems } = await open();
  await node(page, 'ProcessData').click();
  await page.keyboard.press('Control+c');
  assert.match(await notice(page), /Copied ProcessData/);
  await page.keyboard.press('Control+v');
  await node(page, 'ProcessData2').waitFor();
  await page.keyboard.press('Control+v');
  await node(page, 'ProcessData3').waitFor();
  const asl = await definition(page);
  assert.deepEqual(asl.States.ProcessData3, asl.States.ProcessData);
  assert.equal(asl.States.ProcessData2.Next, 'SendNotification');
  // The pasted state is selected: the inspector shows it.
  assert.equal(await page.getByLabel('State name').inputValue(), 'ProcessData3');
  // One undo step per paste.
  await focusCanvas(page);
  await page.keyboard.press('Control+z');
  await node(page, 'ProcessData3').waitFor({ state: 'detached' });
  assert.equal(await node(page, 'ProcessData2').count(), 1);

  // A whole definition on the clipboard, pasted on the canvas, becomes the document.
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.querySelector('.canvas').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, SOLO);
  await node(page, 'Solo').waitFor();
  assert.deepEqual(await definition(page), JSON.parse(SOLO));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a share link carries the document; it opens as a new document', async () => {
  const { page, problems } = await open();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await node(page, 'HandleError').click();
  const name = page.getByLabel('State name');
  await name.fill('Failed');
  await name.press('Enter');
  await node(page, 'Failed').waitFor();
  const text = await codeText(page);
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('status').filter({ hasText: 'Share link copied' }).waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#share=2\.[A-Za-z0-9_-]+$/, "a deflated link (format 2)");
  await page.close();

  // A fresh page (a fresh workspace: the seed) opens the link as a second document.
  const other = await openPage(browser, link);
  await node(other.page, 'Failed').waitFor({ timeout: 20000 });
  assert.equal(await codeText(other.page), text);
  assert.equal(new URL(other.page.url()).hash, '', 'the link is consumed: a reload keeps the stored document');
  await other.page.getByRole('button', { name: 'Documents (2)' }).waitFor();
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
  await other.page.close();
});

test('a damaged or oversized share link opens nothing and says why (the browser inflates it, bounded)', async () => {
  const base64url = (bytes) => Buffer.from(bytes).toString('base64url');
  // Not deflate data; then a small link that inflates past the 16 MB a link may carry.
  const damaged = `${server.url}#share=2.${base64url(Buffer.from('not deflate'))}`;
  const bomb = `${server.url}#share=2.${base64url(deflateRawSync(JSON.stringify({ name: 'N', text: ' '.repeat((16 << 20) + 10) }), { level: 9 }))}`;
  assert.ok(bomb.length < 100000, `${bomb.length}`);
  for (const [link, said] of [[damaged, /the share link is damaged \(not deflate data\)/], [bomb, /the share link is too large: its document is over 16777216/]]) {
    const { page, problems } = await openPage(browser, link);
    await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
    await page.getByRole('status').filter({ hasText: said }).waitFor();
    await page.getByRole('button', { name: 'Documents (1)' }).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  }
  // A link written by zlib (not by the page) opens: the format is plain raw deflate.
  const doc = { name: 'From zlib', text: SOLO };
  const { page, problems } = await openPage(browser, `${server.url}#share=2.${base64url(deflateRawSync(JSON.stringify(doc)))}`);
  await node(page, 'Solo').waitFor({ timeout: 20000 });
  assert.equal(await codeText(page), SOLO);
  assert.equal(await docName(page), 'From zlib');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an export of a pasted workflow carries its own name and its own scenarios, never the seed\'s', async () => {
  const { page, problems } = await open();
  const watcher = JSON.stringify({ StartAt: 'Watch', States: { Watch: { Type: 'Pass', InputPath: '$.detail.executionArn', End: true } } }, null, 2);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const importing = page.getByRole('dialog', { name: 'Import' });
  await importing.getByLabel('Definition to import').fill(watcher);
  await importing.getByRole('button', { name: 'Import' }).click();
  await node(page, 'Watch').waitFor();
  // Renamed in the top bar: the state machine's name in every export.
  await page.getByTestId('doc-name').click();
  const field = page.getByLabel('Workflow name');
  await field.fill('Execution watcher');
  await field.press('Enter');
  assert.equal(await docName(page), 'Execution watcher');

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('State machine name').inputValue(), 'Execution-watcher');
  const preview = dialog.getByTestId('export-preview');
  const file = async (name) => { await dialog.getByRole('tab', { name, exact: true }).click(); return preview.textContent(); };
  const deploy = await file('deploy.sh');
  assert.ok(deploy.includes("STATE_MACHINE_NAME='Execution-watcher'"), deploy);
  const run = await file('run.sh');
  assert.ok(run.includes('First run') && run.includes('executionArn'), `run.sh starts the document's own scenario:\n${run}`);
  for (const name of ['cloudformation.yaml', 'sam-template.yaml', 'deploy.sh', 'run.sh', 'cleanup.sh']) {
    const text = await file(name);
    assert.ok(!text.includes('OrderProcessingWorkflow'), `${name} carries the seed's name`);
    assert.ok(!text.includes('Exécution réussie') && !text.includes('Dupont'), `${name} carries the seed's scenarios`);
  }
  assert.ok((await file('sam-template.yaml')).includes('Execution-watcher'));
  await page.keyboard.press('Escape');
  assert.deepEqual(problems, []);
  await page.close();
});

test('each document keeps its own undo: undo in one never changes another', async () => {
  const { page, problems } = await open();
  const rename = async (from, to) => {
    await node(page, from).click();
    const field = page.getByLabel('State name');
    await field.fill(to);
    await field.press('Enter');
    await node(page, to).waitFor();
  };
  await rename('HandleError', 'SeedEdit');
  // A second document, edited.
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const importing = page.getByRole('dialog', { name: 'Import' });
  await importing.getByLabel('Definition to import').fill(SOLO);
  await importing.getByRole('button', { name: 'Import' }).click();
  await node(page, 'Solo').waitFor();
  await rename('Solo', 'SoloEdit');
  // Back to the seed: its undo undoes its own rename, and nothing of the other document's.
  const documents = async () => {
    const panel = page.getByRole('dialog', { name: 'Documents' });
    if (!(await panel.isVisible())) await page.getByRole('button', { name: /^Documents \(\d+\)$/ }).click();
    return panel;
  };
  await (await documents()).getByRole('button', { name: 'OrderProcessingWorkflow', exact: true }).click();
  await node(page, 'SeedEdit').waitFor();
  await focusCanvas(page);
  await page.keyboard.press('Control+z');
  await node(page, 'HandleError').waitFor();
  assert.equal(await node(page, 'ValidateInput').count(), 1, 'still the seed');
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(200);
  assert.equal(await node(page, 'HandleError').count(), 1, 'no step of the other document applies here');
  assert.equal(await node(page, 'ValidateInput').count(), 1);
  // The other document kept its own step.
  await (await documents()).getByRole('button', { name: 'Imported definition', exact: true }).click();
  await node(page, 'SoloEdit').waitFor();
  await focusCanvas(page);
  await page.keyboard.press('Control+z');
  await node(page, 'Solo').waitFor();
  assert.equal(await node(page, 'HandleError').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});
