// A Terraform module's separate files, as a user brings them in (issue 15): main.tf,
// variables.tf, terraform.tfvars and the templatefile's definition chosen together in the Open
// file picker, or dropped together on the page. The machine opens with the values
// variables.tf and terraform.tfvars give it, and the Substitutions table says, for each value
// that is an expression, what a run uses and why, or why it is not known offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openPage, root, browser, server, useBrowser } from './harness.mjs';

useBrowser();

const module = path.join(root, 'tests', 'fixtures', 'projects', 'tf-module');
const node = (page, name) => page.locator(`[data-state-name=${JSON.stringify(name)}]`);
const value = (page, name) => page.getByLabel(`Value of \${${name}}`).inputValue();
/** The note under a placeholder's origin in the Substitutions table. */
const note = (page, name) => page.locator('table.substitutions tr', { has: page.getByText(`\${${name}}`, { exact: true }) }).locator('.sub-note').textContent();

/** The module's four files as the picker gives them: names without folders. */
async function moduleFiles() {
  const read = (p) => readFile(path.join(module, p));
  return [
    { name: 'main.tf', mimeType: 'text/plain', buffer: await read('main.tf') },
    { name: 'variables.tf', mimeType: 'text/plain', buffer: await read('variables.tf') },
    { name: 'terraform.tfvars', mimeType: 'text/plain', buffer: await read('terraform.tfvars') },
    { name: 'poller.asl.json', mimeType: 'application/json', buffer: await read('templates/poller.asl.json') },
  ];
}

async function open() {
  const { page, problems } = await openPage(browser, server.url);
  await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
  return { page, problems };
}

/** Clicks on the empty canvas, so that the inspector shows the workflow and its template. */
async function showWorkflow(page) {
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  await page.getByRole('table', { name: 'Substitutions' }).waitFor();
}

test('main.tf, variables.tf, terraform.tfvars and the definition chosen together: the chooser, then the machine with their values', async () => {
  const { page, problems } = await open();
  await page.getByLabel('Open file').setInputFiles(await moduleFiles());
  const dialog = page.getByRole('dialog', { name: 'Choose a state machine' });
  await dialog.waitFor({ timeout: 10000 });
  // Each listed as the template's resource, where it is, and which files give its values.
  const rows = await dialog.locator('.machine-list li').evaluateAll((lis) => lis.map((li) => [li.querySelector('button').textContent, li.querySelector('.hint').textContent]));
  assert.deepEqual(rows, [
    ['aws_sfn_state_machine.poller (poller)', 'main.tf, line 3, definition in poller.asl.json, values from variables.tf, terraform.tfvars'],
    ['aws_sfn_state_machine.inline (inline)', 'main.tf, line 15, values from terraform.tfvars'],
  ]);
  assert.match(await dialog.locator('.hint').first().textContent(), /main\.tf \+ variables\.tf \+ terraform\.tfvars \+ poller\.asl\.json holds 2 state machines/);
  await page.screenshot({ path: '/tmp/formats-tf-chooser.png' });
  await dialog.getByRole('button', { name: 'aws_sfn_state_machine.poller (poller)' }).click();
  await node(page, 'Check').waitFor();
  assert.equal(await page.getByTestId('doc-name').textContent(), 'poller');
  await showWorkflow(page);
  // variables.tf's default, terraform.tfvars over variables.tf's default, a map default.
  assert.equal(await value(page, 'table_name'), 'jobs-dev');
  assert.equal(await value(page, 'wait_seconds'), '30');
  assert.equal(await value(page, 'enabled'), 'true');
  assert.equal(JSON.parse(await value(page, 'item')).id.S, 'job-1');
  // A resource's attribute is not known offline, and the table says why.
  assert.equal(await value(page, 'queue_url'), 'aws_sqs_queue.jobs.url');
  assert.match(await note(page, 'queue_url'), /unknown offline \(aws_sqs_queue\.jobs\.url is a resource's attribute: known once deployed\)/);
  await page.screenshot({ path: '/tmp/formats-tf-values.png' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the same four files dropped together open every machine with the module\'s values', async () => {
  const { page, problems } = await open();
  const files = (await moduleFiles()).map((f) => [f.name, f.buffer.toString('utf8')]);
  await page.evaluate((files) => {
    const transfer = new DataTransfer();
    for (const [name, text] of files) transfer.items.add(new File([text], name));
    document.querySelector('.canvas').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
  }, files);
  const dialog = page.getByRole('dialog', { name: 'Project opened' });
  await dialog.waitFor({ timeout: 10000 });
  assert.deepEqual(await dialog.locator('ul.project-found li').allTextContents(), [
    'main.tf (aws_sfn_state_machine.poller) with poller.asl.json, values from variables.tf, terraform.tfvars',
    'main.tf (aws_sfn_state_machine.inline), values from terraform.tfvars',
  ]);
  await dialog.getByRole('button', { name: 'Close' }).click();
  // The last opened is open: `Seconds = var.wait_seconds` shows terraform.tfvars' value.
  await node(page, 'Pause').waitFor();
  assert.equal(await page.getByTestId('doc-name').textContent(), 'inline');
  await showWorkflow(page);
  assert.equal(await value(page, 'var.wait_seconds'), '30');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Substitutions table says what a run uses for an expression, and why a value is unknown', async () => {
  const { page, problems } = await open();
  const main = `locals {
  prefix = "svc-\${var.stage}"
}

variable "stage" {
  default = "dev"
}

variable "tags" {
  default = { team = "orders" }
}

resource "aws_sfn_state_machine" "notes" {
  name       = "notes"
  definition = templatefile("notes.asl.json", {
    table   = "\${local.prefix}-jobs"
    team    = lookup(var.tags, "team", "nobody")
    payload = jsonencode({ stage = var.stage, retries = 3 })
    mode    = var.stage == "prod" ? "live" : "test"
    queue   = aws_sqs_queue.jobs.url
    stamp   = timestamp()
  })
}
`;
  const asl = JSON.stringify({
    StartAt: 'Save',
    States: {
      Save: { Type: 'Pass', Parameters: { table: '${table}', team: '${team}', payload: '${payload}', mode: '${mode}', queue: '${queue}', stamp: '${stamp}', shout: '${upper(team)}' }, End: true },
    },
  }, null, 2);
  await page.getByLabel('Open file').setInputFiles([
    { name: 'main.tf', mimeType: 'text/plain', buffer: Buffer.from(main) },
    { name: 'terraform.tfvars', mimeType: 'text/plain', buffer: Buffer.from('stage = "prod"\n') },
    { name: 'notes.asl.json', mimeType: 'application/json', buffer: Buffer.from(asl) },
  ]);
  await node(page, 'Save').waitFor({ timeout: 10000 });
  await showWorkflow(page);
  // Worked out offline: the note says what a run uses, and from what.
  assert.equal(await note(page, 'table'), 'runs as svc-prod-jobs (worked out from local.prefix)');
  assert.equal(await note(page, 'team'), 'runs as orders (worked out from var.tags)');
  assert.equal(await note(page, 'payload'), 'runs as {"retries":3,"stage":"prod"} (worked out from var.stage)');
  assert.equal(await note(page, 'mode'), 'runs as live (worked out from var.stage)');
  assert.equal(await note(page, 'upper(team)'), 'runs as ORDERS (worked out from team)');
  // Not known offline: the note says why, and that a value typed here runs instead.
  assert.equal(await note(page, 'queue'), "unknown offline (aws_sqs_queue.jobs.url is a resource's attribute: known once deployed): runs keep the placeholder; set a value here to run with one");
  assert.equal(await note(page, 'stamp'), 'unknown offline (the function timestamp() is not worked out offline): runs keep the placeholder; set a value here to run with one');
  await page.getByRole('table', { name: 'Substitutions' }).screenshot({ path: '/tmp/formats-tf-notes.png' });
  // A value typed for an unknown one is a literal: its note goes.
  const field = page.getByLabel('Value of ${queue}');
  await field.fill('https://sqs.us-east-1.amazonaws.com/123456789012/jobs');
  await field.press('Enter');
  await field.blur();
  await page.waitForFunction(() => ![...document.querySelectorAll('table.substitutions tr')].some((r) => r.textContent.includes('${queue}') && r.querySelector('.sub-note')));
  assert.deepEqual(problems, []);
  await page.close();
});
