// The inspector and nested containers, used as a user would: a palette drop into a Parallel
// branch, dragging a node inside a container (kept across a reload), the Choice rule builder,
// Wait modes, the Retry and Catch list editors, the top-level form, and a rename.
// Each test asserts on the canvas (nodes by data-state-name, edges by data-edge) and the JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, codeText, definition, center, drag, browser, server, useBrowser } from './harness.mjs';

useBrowser();

const node = (page, name) => page.locator(`[data-state-name=${JSON.stringify(name)}]`);
const field = (page, at) => page.locator(`.inspector [data-at=${JSON.stringify(at)}]`);
/** Waits until the JSON satisfies `check`, then returns it. */
async function until(page, check) {
  for (let i = 0; i < 50; i++) {
    const asl = await definition(page).catch(() => null);
    if (asl && check(asl)) return asl;
    await page.waitForTimeout(100);
  }
  return definition(page);
}

const NESTED = {
  Comment: 'Nested containers',
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Email', States: { Email: { Type: 'Pass', Next: 'Logged' }, Logged: { Type: 'Succeed' } } },
        { StartAt: 'Sms', States: { Sms: { Type: 'Pass', End: true } } },
      ],
      Next: 'PerItem',
    },
    PerItem: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 2,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Check',
        States: {
          Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Pause' }], Default: 'Pause' },
          Pause: { Type: 'Wait', Seconds: 5, End: true },
        },
      },
      End: true,
    },
  },
};

/** A fresh page with the seed, or with `doc` restored from autosave. */
async function open(doc) {
  const { page, problems } = await openPage(browser, server.url);
  await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
  if (doc) {
    // As a user brings a definition: Import, paste, Import (it opens as a new document).
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByLabel('Definition to import').fill(JSON.stringify(doc, null, 2));
    await page.getByRole('dialog', { name: 'Import' }).getByRole('button', { name: 'Import', exact: true }).click();
    await node(page, doc.StartAt).waitFor({ timeout: 20000 });
  }
  await page.waitForTimeout(150); // the first fit happens on the next animation frame
  return { page, problems };
}

/** Types `text` in a one-line field and commits it with Enter. */
async function commit(locator, text) {
  await locator.fill(text);
  await locator.press('Enter');
}

test('drop a palette Task into a Parallel branch, and see it in the branch', async () => {
  const { page, problems } = await open(NESTED);
  const sms = await node(page, 'Sms').boundingBox();
  const fan = await node(page, 'Fan').boundingBox();
  // Inside the container, beside the second branch's node and away from its edges.
  const at = { x: Math.min(sms.x + sms.width * 0.92, fan.x + fan.width - 6), y: sms.y - 10 };
  await drag(page, await center(page.getByRole('button', { name: 'Task', exact: true })), at);
  await node(page, 'Task').waitFor();
  const asl = await until(page, (a) => a.States.Fan.Branches[1].States.Task);
  assert.equal(asl.States.Fan.Branches[1].States.Task.Type, 'Task');
  assert.equal(asl.States.Fan.Branches[0].States.Task, undefined);
  assert.equal(asl.States.Task, undefined, 'not at the top level');
  const task = await node(page, 'Task').boundingBox();
  const box = await node(page, 'Fan').boundingBox();
  assert.ok(task.x >= box.x && task.x + task.width <= box.x + box.width + 1 && task.y >= box.y, 'drawn inside the Parallel');
  assert.deepEqual(problems, []);
  await page.close();
});

test('drag a node inside a container; its place is kept with the document across a reload', async () => {
  const { page, problems } = await open(NESTED);
  const before = await node(page, 'Pause').boundingBox();
  const from = await center(node(page, 'Pause'));
  await drag(page, from, { x: from.x + 90, y: from.y + 40 });
  await page.waitForTimeout(100);
  const moved = await node(page, 'Pause').boundingBox();
  assert.ok(moved.x - before.x > 40, `moved right: ${before.x} → ${moved.x}`);
  await page.waitForTimeout(300); // autosave
  const saved = await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('statecraft');
    open.onsuccess = () => {
      const all = open.result.transaction('documents').objectStore('documents').getAll();
      all.onsuccess = () => resolve(all.result.map((r) => JSON.parse(r).saved).find((d) => d.text.includes('"PerItem"')));
    };
  }));
  assert.ok(saved.positions['/States/PerItem/ItemProcessor/States/Pause'], JSON.stringify(saved.positions));
  const asl = await definition(page);
  assert.deepEqual(asl, NESTED, 'a move is not an edit of the ASL');
  // The map grew to hold it.
  const map = await node(page, 'PerItem').boundingBox();
  assert.ok(map.x + map.width >= moved.x + moved.width, 'the Map holds the moved node');
  await page.reload();
  await node(page, 'Pause').waitFor({ timeout: 20000 });
  await page.waitForTimeout(150);
  const pause = await node(page, 'Pause').boundingBox();
  const check = await node(page, 'Check').boundingBox();
  assert.ok(pause.x - check.x > 40, 'still to the right of Check after a reload');
  await screenshot(page, 'inspector-nested.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the rule builder: make a Choice rule an And, edit the nested condition', async () => {
  const { page, problems } = await open();
  await node(page, 'CheckValidation').click();
  await field(page, '/Choices/0#op').selectOption('And');
  let asl = await until(page, (a) => a.States.CheckValidation.Choices[0].And);
  const rule = asl.States.CheckValidation.Choices[0];
  assert.equal(rule.And.length, 2);
  assert.equal(rule.Next, 'ProcessData', 'the rule still goes where it went');
  assert.equal(rule.Variable, undefined, 'the comparison moved inside the And');
  await commit(field(page, '/Choices/0/And/1/Variable'), '$.amount');
  await field(page, '/Choices/0/And/1#op').selectOption('NumericGreaterThan');
  await commit(field(page, '/Choices/0/And/1/NumericGreaterThan'), '100');
  asl = await until(page, (a) => a.States.CheckValidation.Choices[0].And[1].NumericGreaterThan === 100);
  assert.deepEqual(asl.States.CheckValidation.Choices[0].And[1], { Variable: '$.amount', NumericGreaterThan: 100 });
  // The canvas labels the rule's edge with its new condition.
  const label = await page.locator('.edge-label').allTextContents();
  assert.ok(label.some((t) => /and|&&|∧/i.test(t)), JSON.stringify(label));
  await page.locator('path[data-edge="/States/CheckValidation->Choice(0)"]').waitFor({ state: 'attached' });
  await screenshot(page, 'inspector-choice.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('switch a Wait state between its modes', async () => {
  const { page, problems } = await open(NESTED);
  await node(page, 'Pause').click();
  await field(page, '#wait-mode').selectOption('TimestampPath');
  let asl = await until(page, (a) => a.States.PerItem.ItemProcessor.States.Pause.TimestampPath);
  assert.deepEqual(asl.States.PerItem.ItemProcessor.States.Pause, { Type: 'Wait', TimestampPath: '$.until', End: true });
  await commit(field(page, '/TimestampPath'), '$.deadline');
  await until(page, (a) => a.States.PerItem.ItemProcessor.States.Pause.TimestampPath === '$.deadline');
  await node(page, 'Pause').getByText('until $.deadline').waitFor();
  await field(page, '#wait-mode').selectOption('Seconds');
  asl = await until(page, (a) => a.States.PerItem.ItemProcessor.States.Pause.Seconds);
  assert.deepEqual(asl.States.PerItem.ItemProcessor.States.Pause, { Type: 'Wait', Seconds: 10, End: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('add a Retry and a Catch with the list editors; a bad value is shown, not lost', async () => {
  const { page, problems } = await open();
  await node(page, 'ProcessData').click();
  await page.getByRole('button', { name: '+ Add retrier' }).click();
  let asl = await until(page, (a) => a.States.ProcessData.Retry);
  assert.deepEqual(asl.States.ProcessData.Retry, [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }]);
  await commit(field(page, '/Retry/0/MaxAttempts'), '-1');
  asl = await until(page, (a) => a.States.ProcessData.Retry[0].MaxAttempts === -1);
  assert.equal(asl.States.ProcessData.Retry[0].MaxAttempts, -1, 'kept as typed');
  await page.locator('.inspector .field.invalid .field-error').first().waitFor();
  assert.match(await page.locator('.inspector .field.invalid').first().textContent(), /MaxAttempts/);
  await field(page, '/Retry/0/ErrorEquals').fill('States.Timeout');
  await field(page, '/Retry/0/ErrorEquals').press('Enter');
  asl = await until(page, (a) => a.States.ProcessData.Retry[0].ErrorEquals.length === 2);
  assert.deepEqual(asl.States.ProcessData.Retry[0].ErrorEquals, ['States.ALL', 'States.Timeout']);
  // A payload that is not JSON stays in its field with a located reason.
  const params = field(page, '/Parameters');
  await params.fill('{"a": }');
  await params.blur();
  await page.locator('.inspector .field.invalid', { hasText: 'Parameters' }).getByText(/1:7/).waitFor();
  assert.equal(await field(page, '/Parameters').inputValue(), '{"a": }');
  // The seed's ProcessData already catches States.ALL: "+ Add catcher" asks where the new one
  // goes and catches an error not caught yet, placed before States.ALL (which must stay last).
  await page.getByRole('button', { name: '+ Add catcher' }).click();
  await page.getByTestId('new-catcher-next').selectOption('SendNotification');
  asl = await until(page, (a) => a.States.ProcessData.Catch.length === 2);
  assert.deepEqual(asl.States.ProcessData.Catch[0], { ErrorEquals: ['States.TaskFailed'], Next: 'SendNotification' });
  await commit(field(page, '/Catch/0/ResultPath'), '$.error');
  asl = await until(page, (a) => a.States.ProcessData.Catch[0].ResultPath);
  assert.deepEqual(asl.States.ProcessData.Catch[0], { ErrorEquals: ['States.TaskFailed'], Next: 'SendNotification', ResultPath: '$.error' });
  await page.locator('.inspector .catcher').nth(1).getByRole('button', { name: 'Move up' }).click();
  asl = await until(page, (a) => a.States.ProcessData.Catch[0].Next === 'HandleError');
  assert.equal(asl.States.ProcessData.Catch[1].Next, 'SendNotification');
  await page.locator('path[data-edge="/States/ProcessData->Catch(1)"]').waitFor({ state: 'attached' });
  await screenshot(page, 'inspector-task.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the top-level form edits TimeoutSeconds, and refuses a non-number without losing it', async () => {
  const { page, problems } = await open();
  await page.keyboard.press('Escape');
  await commit(field(page, '/TimeoutSeconds'), '300');
  let asl = await until(page, (a) => a.TimeoutSeconds === 300);
  assert.equal(asl.TimeoutSeconds, 300);
  await commit(field(page, '/TimeoutSeconds'), 'soon');
  await page.locator('.inspector .field-error').waitFor();
  assert.equal(await field(page, '/TimeoutSeconds').inputValue(), 'soon');
  asl = await definition(page);
  assert.equal(asl.TimeoutSeconds, 300);
  assert.equal(await node(page, 'ValidateInput').count(), 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('rename a state through the inspector, and references follow', async () => {
  const { page, problems } = await open();
  await node(page, 'HandleError').click();
  await commit(page.getByLabel('State name'), 'OnError');
  await node(page, 'OnError').waitFor();
  const asl = await until(page, (a) => a.States.OnError);
  assert.equal(asl.States.HandleError, undefined);
  assert.equal(asl.States.CheckValidation.Default, 'OnError');
  assert.equal(asl.States.ValidateInput.Catch[0].Next, 'OnError');
  await page.locator('path[data-edge="/States/CheckValidation->Default"]').waitFor({ state: 'attached' });
  assert.equal(await node(page, 'HandleError').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Map inspector shows its settings', async () => {
  const { page, problems } = await open(NESTED);
  await node(page, 'PerItem').locator('.node-head').click();
  await field(page, '/ItemProcessor/ProcessorConfig/Mode').selectOption('DISTRIBUTED');
  // A Distributed Map needs its children's execution type (AWS refuses one without it).
  await field(page, '/ItemProcessor/ProcessorConfig/ExecutionType').selectOption('EXPRESS');
  await commit(field(page, '/ToleratedFailurePercentage'), '5');
  const asl = await until(page, (a) => a.States.PerItem.ToleratedFailurePercentage === 5);
  assert.equal(asl.States.PerItem.ItemProcessor.ProcessorConfig.Mode, 'DISTRIBUTED');
  assert.equal(asl.States.PerItem.ItemProcessor.ProcessorConfig.ExecutionType, 'EXPRESS');
  assert.equal(await field(page, '/MaxConcurrency').inputValue(), '2');
  await screenshot(page, 'inspector-map.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('switching a state to JSONata offers to convert its JSONPath fields', async () => {
  const { page, problems } = await open();
  await node(page, 'CheckValidation').click();
  await field(page, '/QueryLanguage').selectOption('JSONata');
  const offer = page.getByRole('group', { name: 'Convert to JSONata' });
  await offer.getByRole('button', { name: 'Convert fields' }).click();
  const asl = await until(page, (a) => a.States.CheckValidation.QueryLanguage === 'JSONata');
  const rule = asl.States.CheckValidation.Choices[0];
  assert.equal(rule.Variable, undefined);
  assert.match(rule.Condition, /^\{%.*\$states\.input\.isValid.*%\}$/);
  assert.equal(rule.Next, 'ProcessData');
  // The form now shows the JSONata fields: the rule's Condition, and Output instead of the paths.
  await field(page, '/Choices/0/Condition').waitFor();
  assert.equal(await field(page, '/InputPath').count(), 0);
  assert.equal(await field(page, '/Output').count(), 1);
  await page.locator('path[data-edge="/States/CheckValidation->Choice(0)"]').waitFor({ state: 'attached' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('switching the workflow to JSONata offers to convert every state: the engine converts, one undo takes it back', async () => {
  const { page, problems } = await open();
  const before = await definition(page);
  await field(page, '/StartAt').waitFor();
  await field(page, '/QueryLanguage').selectOption('JSONata');
  await page.getByRole('group', { name: 'Convert to JSONata' }).getByRole('button', { name: 'Convert all states' }).click();
  const asl = await until(page, (a) => a.States.CheckValidation.Choices[0].Condition !== undefined);
  assert.equal(asl.QueryLanguage, 'JSONata');
  for (const [name, state] of Object.entries(asl.States)) {
    for (const f of ['InputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'OutputPath']) assert.equal(state[f], undefined, `${name}.${f}`);
  }
  assert.match(asl.States.CheckValidation.Choices[0].Condition, /^\{%.*\$states\.input\.isValid.*%\}$/);
  assert.deepEqual(Object.keys(asl.States), Object.keys(before.States));
  // The select's own step (the top-level QueryLanguage) stays; the conversion was one step.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  assert.deepEqual(await until(page, (a) => a.States.CheckValidation.Choices[0].Condition === undefined), { ...before, QueryLanguage: 'JSONata' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a field keeps the focus when it commits: Enter then Backspace edits it (not the canvas), Tab goes on, Enter adds error after error', async () => {
  const { page, problems } = await open();
  await node(page, 'ProcessData').click();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el?.closest('.inspector') ? (el.getAttribute('data-at') ?? el.getAttribute('aria-label')) : null;
  });
  // Enter commits and the caret stays: more typing, Backspace and Enter edit the same field.
  await field(page, '/Comment').click();
  await page.keyboard.type('Charge the card');
  await page.keyboard.press('Enter');
  await until(page, (a) => a.States.ProcessData.Comment === 'Charge the card');
  assert.equal(await focused(), '/Comment');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('s');
  await page.keyboard.press('Enter');
  let asl = await until(page, (a) => a.States.ProcessData.Comment === 'Charge the cars');
  assert.equal(asl.States.ProcessData.Comment, 'Charge the cars', 'Backspace went to the field');
  assert.equal(await node(page, 'ProcessData').count(), 1, 'and did not delete the selected state');
  // Tab commits and the focus is in the next field.
  await page.keyboard.type('!');
  await page.keyboard.press('Tab');
  await until(page, (a) => a.States.ProcessData.Comment === 'Charge the cars!');
  assert.equal(await focused(), '/QueryLanguage');
  // Enter in the error chips adds one, empties the field, and the next can be typed at once.
  await page.getByRole('button', { name: '+ Add retrier' }).click();
  await until(page, (a) => a.States.ProcessData.Retry);
  await field(page, '/Retry/0/ErrorEquals').click();
  await page.keyboard.type('States.Timeout');
  await page.keyboard.press('Enter');
  await until(page, (a) => a.States.ProcessData.Retry[0].ErrorEquals.length === 2);
  assert.equal(await field(page, '/Retry/0/ErrorEquals').inputValue(), '');
  await page.keyboard.type('States.TaskFailed');
  await page.keyboard.press('Enter');
  asl = await until(page, (a) => a.States.ProcessData.Retry[0].ErrorEquals.length === 3);
  assert.deepEqual(asl.States.ProcessData.Retry[0].ErrorEquals, ['States.ALL', 'States.Timeout', 'States.TaskFailed']);
  assert.equal(await focused(), '/Retry/0/ErrorEquals');
  assert.deepEqual(problems, []);
  await page.close();
});

test("Test this state: the seed's ProcessData with a mocked error at DEBUG is caught, and the AWS CLI command is copied", async () => {
  const { page, problems } = await open();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await node(page, 'ProcessData').click();
  const panel = page.locator('.inspector details.test-state');
  await panel.locator('summary').click();
  await page.getByLabel('Test input').fill('{"isValid": true, "orderId": "ORD-1", "name": "A", "email": "a@example.com", "amount": 150}');
  await page.getByLabel('Mock', { exact: true }).selectOption('error');
  await page.getByLabel('Mocked error').fill('States.TaskFailed');
  await page.getByLabel('Mocked cause').fill('the service is down');
  await page.getByLabel('Inspection level').selectOption('DEBUG');
  await page.getByRole('button', { name: 'Run test' }).click();
  const answer = page.getByTestId('test-answer');
  await answer.waitFor();
  const text = await answer.textContent();
  assert.match(text, /CAUGHT_ERROR/);
  assert.match(text, /HandleError/);
  assert.match(text, /"catchIndex": 0/, 'DEBUG shows the error details');
  await screenshot(page, 'inspector-test-state.png');
  await page.getByRole('button', { name: 'Copy as AWS CLI' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /^aws stepfunctions test-state/);
  assert.match(copied, /--state-name 'ProcessData'/);
  assert.match(copied, /--inspection-level 'DEBUG'/);
  assert.deepEqual(problems, []);
  await page.close();
});
