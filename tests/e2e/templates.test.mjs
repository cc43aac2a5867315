// Templates, as a user meets them (issue 15): open a SAM template with DefinitionSubstitutions
// and a CloudFormation template whose definition is an Fn::Sub (it holds two state machines: the
// page asks which), see the placeholders in the Substitutions table, edit a state on the canvas
// and in the inspector, save the template, and find that the saved file differs from the
// original only in that state's lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openPage, screenshot, definition, root, browser, server, useBrowser } from './harness.mjs';

useBrowser();

const node = (page, name) => page.locator(`[data-state-name=${JSON.stringify(name)}]`);
const docName = (page) => page.getByTestId('doc-name').textContent();
const fixture = (name) => readFile(path.join(root, 'tests', 'fixtures', 'templates', name), 'utf8');

async function open() {
  const { page, problems } = await openPage(browser, server.url);
  await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
  await page.waitForTimeout(100);
  return { page, problems };
}

async function until(page, check) {
  for (let i = 0; i < 50; i++) {
    const asl = await definition(page).catch(() => null);
    if (asl && check(asl)) return asl;
    await page.waitForTimeout(100);
  }
  return definition(page);
}

/** The lines of `before` and `after` between their common first and last lines. */
function lineDiff(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

/** Clicks "Save template" and gives the download's name and text. */
async function saveTemplate(page) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Save template' }).click()]);
  return { name: dl.suggestedFilename(), text: await readFile(await dl.path(), 'utf8') };
}

async function rename(page, from, to) {
  await node(page, from).click();
  const field = page.getByLabel('State name');
  await field.fill(to);
  await field.press('Enter');
  await node(page, to).waitFor();
}

test('a SAM template with DefinitionSubstitutions opens, edits on the canvas and saves back changing only that state', async () => {
  const { page, problems } = await open();
  const original = await fixture('sam.yaml');
  await page.getByLabel('Open file').setInputFiles({ name: 'sam.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from(original) });
  await node(page, 'Charge').waitFor();
  assert.equal(await docName(page), 'order-processing');
  assert.equal((await definition(page)).States.Charge.Resource, '${ChargeFunctionArn}');
  // The placeholders are values once deployed: no error on the canvas for them.
  assert.equal(await page.locator('.diagnostics .diag.error').count(), 0);

  // The Workflow form shows the template and its substitutions.
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  const table = page.getByRole('table', { name: 'Substitutions' });
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), 3);
  assert.equal(await page.getByLabel('Value of ${TopicArn}').inputValue(), '!Ref OrderTopic');
  await table.scrollIntoViewIfNeeded();
  await screenshot(page, 'templates-sam.png');
  await page.screenshot({ path: '/tmp/formats-sam.png' });

  // A value edited for runs is one undo step.
  const value = page.getByLabel('Value of ${ChargeFunctionArn}');
  await value.fill('arn:aws:lambda:eu-west-1:123456789012:function:charge');
  await value.press('Enter');
  await page.getByRole('button', { name: 'Undo' }).waitFor();
  await page.waitForFunction(() => document.querySelector('[aria-label="Value of ${ChargeFunctionArn}"]')?.value.startsWith('arn:'));
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.waitForFunction(() => document.querySelector('[aria-label="Value of ${ChargeFunctionArn}"]')?.value === '!GetAtt ChargeFunction.Arn');

  // Rename a state on the canvas's inspector: its key and the transition to it change.
  await rename(page, 'Charge', 'ChargeCard');
  await until(page, (a) => a.States.ChargeCard && a.States.Validate.Next === 'ChargeCard');
  const saved = await saveTemplate(page);
  assert.equal(saved.name, 'sam.yaml');
  const { removed, added } = lineDiff(original, saved.text);
  assert.deepEqual(removed, ['            Next: Charge', '          Charge:']);
  assert.deepEqual(added, ['            Next: ChargeCard', '          ChargeCard:']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a CloudFormation template with two machines asks which (Escape cancels); an Fn::Sub definition saves back changing only that state', async () => {
  const { page, problems } = await open();
  const original = await fixture('cloudformation.yaml');
  await page.getByLabel('Open file').setInputFiles({ name: 'cloudformation.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from(original) });
  const dialog = page.getByRole('dialog', { name: 'Choose a state machine' });
  await dialog.waitFor();
  assert.equal(await dialog.locator('.machine-choice').count(), 2);
  // The keyboard starts on the first choice; Escape cancels, and nothing opens.
  await page.waitForFunction(() => document.activeElement?.classList.contains('machine-choice'));
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await docName(page), 'OrderProcessingWorkflow');
  await page.getByLabel('Open file').setInputFiles({ name: 'cloudformation.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from(original) });
  await dialog.waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: '/tmp/formats-choose.png' });
  await dialog.getByRole('button', { name: 'DispatchMachine (dispatch)' }).click();
  await node(page, 'Pause').waitFor();
  assert.equal(await docName(page), 'dispatch');
  assert.equal((await definition(page)).States.Send.Parameters.QueueUrl, '${Queue}');

  // The Fn::Sub's own references are listed, from the template.
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  assert.equal(await page.getByLabel('Value of ${Queue}').inputValue(), '!Ref Queue');
  assert.equal(await page.getByLabel('Value of ${AWS::Region}').inputValue(), '!Ref AWS::Region');

  // Change a field of one state in the inspector.
  await node(page, 'Pause').click();
  const seconds = page.locator('.inspector [data-at="/Seconds"]');
  await seconds.fill('30');
  await seconds.press('Enter');
  await until(page, (a) => a.States.Pause.Seconds === 30);
  const saved = await saveTemplate(page);
  assert.equal(saved.name, 'cloudformation.yaml');
  const { removed, added } = lineDiff(original, saved.text);
  assert.deepEqual(removed, ['              "Seconds": 5,']);
  assert.deepEqual(added, ['              "Seconds": 30,']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a file that is no template of ours says why, and nothing changes', async () => {
  const { page, problems } = await open();
  const input = page.getByLabel('Open file');
  await input.setInputFiles({ name: 'topic.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from('Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n') });
  await page.waitForFunction(() => /topic\.yaml/.test(document.querySelector('[role=status]').textContent));
  assert.match(await page.getByRole('status').textContent(), /topic\.yaml was not opened: topic\.yaml is a CloudFormation template \(YAML\) but holds no state machine/);
  await input.setInputFiles({ name: 'bad.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from('Resources:\n  A: [1,\n') });
  await page.waitForFunction(() => /bad\.yaml/.test(document.querySelector('[role=status]').textContent));
  assert.match(await page.getByRole('status').textContent(), /bad\.yaml was not opened: line \d+, column \d+: not YAML/);
  assert.equal(await node(page, 'ValidateInput').count(), 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('values typed in the Substitutions table are kept with the document and saved into the template where it holds literals', async () => {
  const { page, problems } = await open();
  const original = await fixture('substitutions.yaml');
  await page.getByLabel('Open file').setInputFiles({ name: 'substitutions.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from(original) });
  await node(page, 'Record').waitFor();
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  const value = page.getByLabel('Value of ${TableName}');
  assert.equal(await value.inputValue(), 'audit-dev');
  await value.fill('audit-prod');
  await value.press('Enter');
  const topic = page.getByLabel('Value of ${TopicArn}');
  await topic.fill('arn:aws:sns:eu-west-3:123456789012:audit');
  await topic.press('Enter');
  // Saved with the document: a reload shows them.
  await page.waitForTimeout(600);
  await page.reload();
  await node(page, 'Record').waitFor({ timeout: 20000 });
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  await page.waitForFunction(() => document.querySelector('[aria-label="Value of ${TableName}"]')?.value === 'audit-prod');
  const saved = await saveTemplate(page);
  assert.equal(saved.name, 'substitutions.yaml');
  const { removed, added } = lineDiff(original, saved.text);
  // The literal changes (its comment kept); the intrinsic function stays.
  assert.deepEqual(removed, ["        TableName: audit-dev # the stage's table"]);
  assert.deepEqual(added, ["        TableName: audit-prod # the stage's table"]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a Terraform templatefile opens in one step with its definition file, chosen together', async () => {
  const { page, problems } = await open();
  const [tf, asl] = [await fixture('main.tf'), await fixture('templated.asl.json')];
  await page.getByLabel('Open file').setInputFiles([
    { name: 'main.tf', mimeType: 'text/plain', buffer: Buffer.from(tf) },
    { name: 'templated.asl.json', mimeType: 'application/json', buffer: Buffer.from(asl) },
  ]);
  const dialog = page.getByRole('dialog', { name: 'Choose a state machine' });
  await dialog.waitFor();
  assert.equal(await dialog.locator('.machine-choice').count(), 3);
  await dialog.getByRole('button', { name: 'aws_sfn_state_machine.templated (templated)' }).or(dialog.getByRole('button', { name: 'templated', exact: true })).click();
  await node(page, 'Process').waitFor();
  assert.equal(await docName(page), 'templated');
  assert.equal((await definition(page)).States.Save.Parameters.TableName, '${table}');
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  assert.equal(await page.getByLabel('Value of ${table}').inputValue(), 'orders');
  await rename(page, 'Save', 'Store');
  await until(page, (a) => a.States.Store);
  const saved = await saveTemplate(page);
  assert.equal(saved.name, 'templated.asl.json', 'Save writes the definition file');
  assert.ok(saved.text.includes('"Store"') && saved.text.includes('"${table}"'), saved.text);
  assert.deepEqual(problems, []);
  await page.close();
});
