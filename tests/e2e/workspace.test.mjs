// The workspace, as a user would meet it: New keeps the open document in the Documents list
// (restorable after a reload, deletable to a trash and back), a save that fails (storage
// answering that its quota is full) says so at once and keeps the text, two tabs editing one document lose
// nothing, and a share link is copied to the clipboard and opens as a new document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { codeText, screenshot, browser, server, useBrowser } from './harness.mjs';

useBrowser();

const node = (page, name) => page.locator(`[data-state-name=${JSON.stringify(name)}]`);
const docName = (page) => page.getByTestId('doc-name').textContent();

/** Records pages' problems (uncaught errors, console errors). */
function watch(page, problems) {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  return page;
}

/** A page of `context` on the app, `hash` appended, once `waitFor` is drawn. */
async function openIn(context, problems, { hash = '', waitFor = 'ValidateInput' } = {}) {
  const page = watch(await context.newPage(), problems);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url + hash);
  await node(page, waitFor).waitFor({ timeout: 20000 });
  await page.waitForTimeout(150);
  return page;
}

/** Renames the state `from` to `to` in the inspector. */
async function rename(page, from, to) {
  await node(page, from).click();
  const field = page.getByLabel('State name');
  await field.fill(to);
  await field.press('Enter');
  await node(page, to).waitFor();
}

/** The Documents menu, opened. */
async function documents(page) {
  const panel = page.getByRole('dialog', { name: 'Documents' });
  if (!(await panel.isVisible())) await page.getByRole('button', { name: /^Documents \(\d+\)$/ }).click();
  await panel.waitFor();
  return panel;
}
const listed = async (page) => (await documents(page)).locator('.doc-list').first().locator('.doc-row-name').allTextContents();

/** Every stored document's record, read from IndexedDB in the page. */
const stored = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('statecraft');
  open.onsuccess = () => {
    const all = open.result.transaction('documents').objectStore('documents').getAll();
    all.onsuccess = () => { resolve(all.result.map((r) => JSON.parse(r))); open.result.close(); };
    all.onerror = () => reject(all.error);
  };
  open.onerror = () => reject(open.error);
}));

/** Waits until the stored documents satisfy `check` (saves are asynchronous). */
async function storedUntil(page, check, what) {
  for (let i = 0; i < 50; i++) {
    const records = await stored(page);
    if (check(records)) return records;
    await page.waitForTimeout(100);
  }
  assert.fail(`stored documents never ${what}: ${JSON.stringify((await stored(page)).map((r) => [r.saved.name, r.revision]))}`);
}

test('New keeps the open document in the list; after a reload it opens again; delete goes to a trash and back', async () => {
  const problems = [];
  const context = await browser.newContext();
  const page = await openIn(context, problems);
  await rename(page, 'HandleError', 'Failed');
  await page.getByRole('button', { name: 'New', exact: true }).click();
  const chooser = page.getByRole('dialog', { name: 'New document' });
  await chooser.getByRole('button', { name: 'Blank workflow' }).click();
  await node(page, 'Start').waitFor();
  assert.equal(await node(page, 'ValidateInput').count(), 0);
  assert.equal(await docName(page), 'Untitled');
  assert.deepEqual(await listed(page), ['Untitled', 'OrderProcessingWorkflow']);
  await page.screenshot({ path: '/tmp/workspace-documents.png' });
  await screenshot(page, 'workspace-documents.png');
  await storedUntil(page, (r) => r.length === 2 && r.some((d) => d.saved.text.includes('"Failed"')), 'held both');

  // A reload opens the tab's document again; the other is in the list, with its edit.
  await page.reload();
  await node(page, 'Start').waitFor({ timeout: 20000 });
  await (await documents(page)).getByRole('button', { name: 'OrderProcessingWorkflow', exact: true }).click();
  await node(page, 'Failed').waitFor();
  assert.equal(await docName(page), 'OrderProcessingWorkflow');

  // Delete to the trash, and restore.
  const panel = await documents(page);
  await panel.getByRole('button', { name: 'Delete Untitled' }).click();
  assert.deepEqual(await listed(page), ['OrderProcessingWorkflow']);
  await panel.getByRole('button', { name: 'Restore Untitled' }).click();
  await panel.getByRole('button', { name: 'Untitled', exact: true }).waitFor();
  assert.deepEqual((await listed(page)).sort(), ['OrderProcessingWorkflow', 'Untitled']);
  // Rename a document that is not open; duplicate the open one.
  await panel.getByRole('button', { name: 'Rename Untitled' }).click();
  const field = panel.getByLabel('New name');
  await field.fill('Scratch');
  await field.press('Enter');
  await panel.getByRole('button', { name: 'Duplicate OrderProcessingWorkflow' }).click();
  await node(page, 'Failed').waitFor();
  assert.equal(await docName(page), 'OrderProcessingWorkflow (copy)');
  assert.deepEqual((await listed(page)).sort(), ['OrderProcessingWorkflow', 'OrderProcessingWorkflow (copy)', 'Scratch']);
  await storedUntil(page, (r) => r.length === 3 && r.some((d) => d.saved.name === 'Scratch'), 'held the renamed copy');
  assert.deepEqual(problems, []);
  await context.close();
});

/** Makes IndexedDB writes fail as a full quota does while `window.__refuseWrites` is set.
 * (Chromium's quota override over CDP does not reach IndexedDB here, and filling a 10 GB quota
 * is no test: the write is refused where the app makes it.) */
const refusable = (context) => context.addInitScript(() => {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    if (window.__refuseWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return put.apply(this, args);
  };
});

test('a save that fails (the quota full) says so at once, keeps the text, and offers a backup', async () => {
  const problems = [];
  const context = await browser.newContext({ acceptDownloads: true });
  await refusable(context);
  const page = await openIn(context, problems);
  await storedUntil(page, (r) => r.length === 1, 'held the seed');
  await page.evaluate(() => { window.__refuseWrites = true; });
  await rename(page, 'ProcessData', 'KeptInMemory');
  const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
  await alert.waitFor({ timeout: 5000 });
  assert.match(await alert.textContent(), /Not saved: the browser's storage for this page is full\. Your work is still here in this tab\. Download a backup/);
  assert.match(await codeText(page), /"KeptInMemory"/, 'the text is kept');
  assert.equal(await node(page, 'KeptInMemory').count(), 1);
  // The backup holds the document as it is in the tab.
  const [download] = await Promise.all([page.waitForEvent('download'), alert.getByRole('button', { name: 'Download backup' }).click()]);
  assert.equal(download.suggestedFilename(), 'statecraft-backup.zip');
  const zip = await readFile(await download.path());
  assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  assert.ok(zip.includes('KeptInMemory'), 'the backup has the unsaved edit');
  // Space again: Try again saves, the notice goes, and a reload shows the edit.
  await page.evaluate(() => { window.__refuseWrites = false; });
  await alert.getByRole('button', { name: 'Try again' }).click();
  await alert.waitFor({ state: 'detached', timeout: 5000 });
  await page.reload();
  await node(page, 'KeptInMemory').waitFor({ timeout: 20000 });

  // The same backup restores into an empty workspace.
  const fresh = await browser.newContext();
  const other = await openIn(fresh, problems);
  const panel = await documents(other);
  await panel.getByLabel('Restore a backup').setInputFiles({ name: 'statecraft-backup.zip', mimeType: 'application/zip', buffer: zip });
  await other.getByRole('status').filter({ hasText: 'Restored 1 document from the backup' }).waitFor();
  await storedUntil(other, (r) => r.length === 2 && r.some((d) => d.saved.text.includes('KeptInMemory')), 'held the restored document');
  await fresh.close();
  await context.close();

  // No storage at all (IndexedDB refuses to open): the seed opens, and the page says so.
  const none = await browser.newContext();
  await none.addInitScript(() => { IDBFactory.prototype.open = () => { throw new DOMException('blocked by the test', 'SecurityError'); }; });
  const blocked = await openIn(none, problems);
  assert.match(await blocked.getByRole('alert').textContent(), /Not saved: documents cannot be stored in this browser: this browser does not let the page store anything/);
  await rename(blocked, 'ProcessData', 'StillEditable');
  assert.deepEqual(problems, []);
  await none.close();
});

test('two tabs editing one document lose nothing: an untouched tab takes the other\'s save, an edited one offers both', async () => {
  const problems = [];
  const context = await browser.newContext();
  // One tab's writes fail for a while (as a full disk would), so that both tabs hold unsaved
  // edits of the same document at once.
  await refusable(context);
  const a = await openIn(context, problems);
  const b = await openIn(context, problems);
  // A edits; B, untouched, shows A's version.
  await rename(a, 'ProcessData', 'FromA');
  await node(b, 'FromA').waitFor({ timeout: 5000 });
  assert.match(await b.getByRole('status').textContent(), /was changed in another tab/);

  // B edits while it cannot save; A edits and saves: B holds a conflict and offers both.
  await b.evaluate(() => { window.__refuseWrites = true; });
  await rename(b, 'SendNotification', 'FromB');
  await b.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
  await rename(a, 'HandleError', 'FromA2');
  const bar = b.getByRole('alert').filter({ hasText: 'Another tab saved' });
  await bar.waitFor({ timeout: 5000 });
  await b.screenshot({ path: '/tmp/workspace-conflict.png' });
  assert.equal(await node(b, 'FromB').count(), 1, 'B still shows its own edit');
  await b.evaluate(() => { window.__refuseWrites = false; });
  await bar.getByRole('button', { name: 'Keep both' }).click();
  await bar.waitFor({ state: 'detached' });
  assert.equal(await docName(b), "OrderProcessingWorkflow (this tab's version)");
  const records = await storedUntil(b, (r) => r.length === 2, 'held both versions');
  const texts = records.map((r) => r.saved.text);
  assert.ok(texts.some((t) => t.includes('"FromA2"') && !t.includes('"FromB"')), 'A\'s version is stored');
  assert.ok(texts.some((t) => t.includes('"FromB"') && t.includes('"FromA"')), 'B\'s version is stored beside it');
  // A hears of B's new document; its own stays as it is.
  await a.getByRole('button', { name: 'Documents (2)' }).waitFor({ timeout: 5000 });
  assert.equal(await node(a, 'FromA2').count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Share copies the link to the clipboard; the link opens as a new document', async () => {
  const problems = [];
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  const page = await openIn(context, problems);
  await rename(page, 'HandleError', 'Shared');
  const text = await codeText(page);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /Share link copied to the clipboard/ }).waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#share=2\.[A-Za-z0-9_-]+$/);
  assert.equal(new URL(page.url()).hash, '', 'the address bar is left alone');
  // The original is changed after sharing: the link's document opens beside it.
  await rename(page, 'Shared', 'ChangedAfter');
  const other = await openIn(context, problems, { hash: new URL(link).hash, waitFor: 'Shared' });
  assert.equal(await codeText(other), text);
  assert.equal(new URL(other.url()).hash, '', 'the link is consumed: a reload keeps the stored document');
  assert.deepEqual(await listed(other), ['OrderProcessingWorkflow', 'OrderProcessingWorkflow']);
  await storedUntil(other, (r) => r.length === 2 && r.some((d) => d.saved.text.includes('"ChangedAfter"')) && r.some((d) => d.saved.text.includes('"Shared"')), 'held both');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the single document of the old localStorage autosave moves into the workspace on the first load', async () => {
  const problems = [];
  const context = await browser.newContext();
  const text = JSON.stringify({ StartAt: 'Solo', States: { Solo: { Type: 'Pass', End: true } } }, null, 2);
  // What the page autosaved before the workspace, present before the first load only.
  await context.addInitScript((saved) => {
    if (!sessionStorage.getItem('legacy-written')) {
      sessionStorage.setItem('legacy-written', '1');
      localStorage.setItem('statecraft.document.v1', saved);
    }
  }, JSON.stringify({ name: 'FromBefore', text, positions: {} }));
  const page = await openIn(context, problems, { waitFor: 'Solo' });
  assert.equal(await docName(page), 'FromBefore');
  assert.equal(await codeText(page), text);
  await storedUntil(page, (r) => r.length === 1 && r[0].saved.name === 'FromBefore', 'held the migrated document');
  await page.waitForFunction(() => localStorage.getItem('statecraft.document.v1') === null);
  await page.reload();
  await node(page, 'Solo').waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: 'Documents (1)' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
