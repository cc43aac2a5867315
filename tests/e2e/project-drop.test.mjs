// A project dropped on the page (issue 15): a folder (a SAM app: template.yaml beside
// statemachine/*.asl.json, with a build copy in .aws-sam and a Lambda's code) and a zip of a
// Terraform module. Every state machine in them opens as a document, and the page lists what
// it found and what it skipped, and why.
//
// A real folder cannot be put into a synthetic drop, so the folder's entries are given as
// objects with the shape of the File and Directory Entries API (isDirectory, createReader,
// readEntries in batches, file()): the page's walk over them is the one a real folder takes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { serveDist, launch, openPage, root } from './harness.mjs';

let browser;
let server;
before(async () => { browser = await launch(); server = await serveDist('/'); });
after(async () => { await server?.close(); await browser?.close(); });

const fixtures = path.join(root, 'tests', 'fixtures');

/** Every file under `dir`, as [path from dir, text]. */
async function folder(dir, prefix = '') {
  const out = [];
  for (const name of (await readdir(dir)).sort()) {
    const full = path.join(dir, name);
    if ((await stat(full)).isDirectory()) out.push(...await folder(full, `${prefix}${name}/`));
    else out.push([`${prefix}${name}`, await readFile(full, 'utf8')]);
  }
  return out;
}

/** A STORE zip of `files` ([name, text]), as the backup zip is written. */
function zip(files) {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b) => { let c = 0xffffffff; for (const x of b) c = table[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const locals = []; const central = []; let offset = 0;
  for (const [name, text] of files) {
    const n = Buffer.from(name); const data = Buffer.from(text); const sum = crc(data);
    const local = Buffer.alloc(30); local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4);
    local.writeUInt32LE(sum, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(n.length, 26);
    const entry = Buffer.alloc(46); entry.writeUInt32LE(0x02014b50, 0); entry.writeUInt16LE(20, 4); entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(sum, 16); entry.writeUInt32LE(data.length, 20); entry.writeUInt32LE(data.length, 24); entry.writeUInt16LE(n.length, 28); entry.writeUInt32LE(offset, 42);
    locals.push(local, n, data); central.push(entry, n);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22); end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const report = (page) => page.getByRole('dialog', { name: 'Project opened' });
const listed = (dialog, cls) => dialog.locator(`ul.${cls} li`).allTextContents();

async function open() {
  const { page, problems } = await openPage(browser, server.url);
  await page.locator('[data-state-name="ValidateInput"]').waitFor({ timeout: 20000 });
  return { page, problems };
}

test('a dropped SAM app folder opens its state machine and says what it skipped', async () => {
  const { page, problems } = await open();
  const files = await folder(path.join(fixtures, 'projects', 'sam-app'));
  files.push(['functions/stock_checker/requirements.txt', 'boto3\n']);
  await page.evaluate((files) => {
    // Entries after the File and Directory Entries API: a folder tree of directory and file entries.
    const tree = { dirs: {}, files: {} };
    for (const [p, text] of files) {
      const parts = p.split('/');
      let at = tree;
      for (const d of parts.slice(0, -1)) at = at.dirs[d] ??= { dirs: {}, files: {} };
      at.files[parts.at(-1)] = text;
    }
    const dirEntry = (name, full, node) => ({
      name, fullPath: full, isDirectory: true, isFile: false,
      createReader() {
        const all = [
          ...Object.entries(node.dirs).map(([n, d]) => dirEntry(n, `${full}/${n}`, d)),
          ...Object.entries(node.files).map(([n, t]) => ({ name: n, fullPath: `${full}/${n}`, isDirectory: false, isFile: true, file(ok) { setTimeout(() => ok(new File([t], n)), 0); } })),
        ];
        let given = 0;
        // Two entries a batch, as browsers give large folders in several.
        return { readEntries(ok) { const batch = all.slice(given, given + 2); given += batch.length; setTimeout(() => ok(batch), 0); } };
      },
    });
    const root = dirEntry('stock-trader', '/stock-trader', tree);
    const item = { kind: 'file', type: '', webkitGetAsEntry: () => root, getAsFile: () => null };
    const transfer = { types: ['Files'], items: Object.assign([item], { length: 1 }), files: [] };
    const drop = new DragEvent('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: transfer });
    document.querySelector('.canvas').dispatchEvent(drop);
  }, files);
  const dialog = report(page);
  await dialog.waitFor({ timeout: 10000 });
  assert.equal(await dialog.getByRole('heading', { level: 2 }).textContent(), 'Opened from stock-trader');
  assert.deepEqual(await listed(dialog, 'project-found'), ['stock-trader/template.yaml (StockTradingStateMachine) with stock-trader/statemachine/stock_trader.asl.json']);
  const skipped = await listed(dialog, 'project-skipped');
  const why = (p) => skipped.find((s) => s.startsWith(`${p}: `)) ?? assert.fail(`${p} not listed: ${skipped.join('\n')}`);
  assert.match(why('stock-trader/.aws-sam/'), /build output or tools' files \(1 file\)/);
  assert.match(why('stock-trader/template.yaml (ArchivedStateMachine)'), /in S3 \(s3:\/\/release-artifacts\/archived\.asl\.json\)/);
  assert.match(why('stock-trader/events.json'), /neither a template/);
  assert.match(why('3 other files'), /not JSON, YAML or Terraform: stock-trader\/functions\/stock_checker\/app\.py/);
  await page.screenshot({ path: '/tmp/formats-drop-folder.png' });
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The document: named after the resource, its placeholders with the template's values.
  await page.locator('[data-state-name="Buy or Sell?"]').waitFor();
  assert.equal(await page.getByTestId('doc-name').textContent(), 'StockTradingStateMachine');
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  assert.equal(await page.getByLabel('Value of ${Threshold}').inputValue(), '50');
  assert.deepEqual(problems, []);
});

test('a dropped zip of a Terraform module opens each state machine as a document', async () => {
  const { page, problems } = await open();
  const files = (await folder(path.join(fixtures, 'templates', 'tf-vars'))).map(([p, t]) => [`ingest-module/${p}`, t]);
  files.push(['ingest-module/README.md', '# ingest\n'], ['ingest-module/.terraform/providers/lock.json', '{}']);
  const bytes = [...zip(files)];
  await page.evaluate((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'ingest-module.zip', { type: 'application/zip' }));
    document.querySelector('.canvas').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
  }, bytes);
  const dialog = report(page);
  await dialog.waitFor({ timeout: 10000 });
  assert.deepEqual(await listed(dialog, 'project-found'), [
    'ingest-module/main.tf (aws_sfn_state_machine.ingest) with ingest-module/templates/ingest.asl.json',
    'ingest-module/main.tf (aws_sfn_state_machine.inline)',
  ]);
  const skipped = await listed(dialog, 'project-skipped');
  assert.deepEqual(skipped, [
    '1 other file: not JSON, YAML or Terraform: ingest-module/README.md',
    'ingest-module/.terraform/: not read: dependencies, build output or tools\' files (1 file)',
  ]);
  await page.screenshot({ path: '/tmp/formats-drop-zip.png' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  // Both are documents of the workspace; the last opened is open.
  await page.locator('[data-state-name="Pause"]').waitFor();
  assert.equal(await page.getByTestId('doc-name').textContent(), 'inline');
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  assert.equal(await page.getByLabel('Value of ${var.table_name}').inputValue(), 'orders-dev');

  // A file that is not a zip says so and opens nothing.
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['not a zip'], 'broken.zip'));
    document.querySelector('.canvas').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
  });
  await page.getByRole('status').filter({ hasText: 'broken.zip was not opened: not a zip archive' }).waitFor();
  assert.deepEqual(problems, []);
});

test('the Open button takes a project\'s zip: a Terraform module with variables.tf and terraform.tfvars', async () => {
  const { page, problems } = await open();
  const files = (await folder(path.join(fixtures, 'projects', 'tf-module'))).map(([p, t]) => [`poller/${p}`, t]);
  await page.getByLabel('Open file').setInputFiles({ name: 'poller.zip', mimeType: 'application/zip', buffer: zip(files) });
  const dialog = report(page);
  await dialog.waitFor({ timeout: 10000 });
  assert.deepEqual(await listed(dialog, 'project-found'), [
    'poller/main.tf (aws_sfn_state_machine.poller) with poller/templates/poller.asl.json, values from poller/variables.tf, poller/terraform.tfvars',
    'poller/main.tf (aws_sfn_state_machine.inline), values from poller/terraform.tfvars',
  ]);
  assert.deepEqual(await listed(dialog, 'project-skipped'), []);
  await page.screenshot({ path: '/tmp/formats-open-zip.png' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  // The last opened: `Seconds = var.wait_seconds` shows terraform.tfvars' value.
  await page.locator('[data-state-name="Pause"]').waitFor();
  assert.equal(await page.getByTestId('doc-name').textContent(), 'inline');
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  assert.equal(await page.getByLabel('Value of ${var.wait_seconds}').inputValue(), '30');

  assert.deepEqual(problems, []);
});
