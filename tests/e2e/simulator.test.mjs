// The simulator in the page (issue 7): the seed scenarios coloured on the graph with their
// outputs, fast-forwarded waits, Retry after failures, a callback task, and a batch of 1,000
// generated scenarios with its summary and coverage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, useBrowser, paste, runOnce, waitForStatus, openRunDrawer as fresh, SEED, node, runClass, chooseHandler, historyTypes } from './harness.mjs';

useBrowser();

test('each seed scenario colours its path and gives the course output', async () => {
  const { page, problems } = await fresh();
  const options = await page.getByTestId('scenario-select').locator('option').allTextContents();
  assert.deepEqual(options, ['Test 1 : Exécution réussie', 'Test 2 : Exécution avec erreur (validation)', 'Test 3 : Montant négatif']);
  const cases = [
    { index: 0, colours: ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'not-reached'], output: /"subject": "Commande ORD-\d{5} confirmée"/, taken: '/States/ProcessData->Next' },
    { index: 1, colours: ['succeeded', 'succeeded', 'not-reached', 'not-reached', 'succeeded'], output: /"errorMessage": "Champ manquant: amount"/, taken: '/States/CheckValidation->Default' },
    { index: 2, colours: ['succeeded', 'succeeded', 'not-reached', 'not-reached', 'succeeded'], output: /"errorMessage": "Le montant doit être positif"/, taken: '/States/CheckValidation->Default' },
  ];
  for (const c of cases) {
    await page.getByTestId('scenario-select').selectOption(String(c.index));
    await runOnce(page, 'SUCCEEDED');
    const colours = [];
    for (const s of ['ValidateInput', 'CheckValidation', 'ProcessData', 'SendNotification', 'HandleError']) colours.push((await runClass(page, s)).slice(4));
    assert.deepEqual(colours, c.colours, options[c.index]);
    assert.match(await page.getByTestId('run-output').inputValue(), c.output);
    assert.match(await page.locator(`path[data-edge="${c.taken}"]`).getAttribute('class'), /\btaken\b/);
    if (c.index === 0) {
      const types = await historyTypes(page);
      assert.equal(types[0], 'ExecutionStarted');
      assert.equal(types.at(-1), 'ExecutionSucceeded');
      assert.equal(types.filter((t) => t === 'LambdaFunctionSucceeded').length, 3);
      // Expand an event's details.
      await page.locator('[data-testid="history"] tr.event', { hasText: 'ExecutionSucceeded' }).click();
      assert.match(await page.locator('[data-testid="history"] tr.details').textContent(), /executionSucceededEventDetails/);
      await page.getByTestId('history-filter').fill('Lambda');
      assert.ok((await historyTypes(page)).every((t) => t.startsWith('LambdaFunction')));
      await page.getByTestId('tab-logs').click();
      const logs = await page.getByTestId('run-logs').textContent();
      assert.match(logs, /\/aws\/lambda\/ProcessData/);
      assert.match(logs, /SendNotification - Event reçu: \{"statusCode": 200/);
      // Selecting a state shows its data flow.
      await node(page, 'ProcessData').click();
      const flow = await page.getByTestId('dataflow').textContent();
      assert.match(flow, /Data flow of ProcessData/);
      assert.match(flow, /after InputPath.*result.*output/s);
      await screenshot(page, 'sim-success.png');
    }
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('a failing handler fails the run, red on the graph, with its error and cause', async () => {
  const { page, problems } = await fresh();
  await chooseHandler(page, 'SendNotification', 'throw', { error: 'Mail.Unavailable', cause: 'SMTP down' });
  await runOnce(page, 'FAILED');
  assert.equal(await runClass(page, 'SendNotification'), 'run-failed');
  assert.equal(await runClass(page, 'ProcessData'), 'run-succeeded');
  assert.equal(await page.getByTestId('run-output').inputValue(), 'Mail.Unavailable\nSMTP down');
  await screenshot(page, 'sim-failed.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 60-second Wait and a Timestamp Wait complete at once, the clock fast-forwarded', async () => {
  const { page, problems } = await fresh();
  const def = structuredClone(SEED);
  def.States.ValidateInput.Next = 'WaitMinute';
  def.States.WaitMinute = { Type: 'Wait', Seconds: 60, Next: 'WaitUntil' };
  def.States.WaitUntil = { Type: 'Wait', Timestamp: '2024-12-31T00:00:00Z', Next: 'CheckValidation' };
  await paste(page, def);
  await runOnce(page, 'SUCCEEDED');
  assert.equal(await runClass(page, 'WaitMinute'), 'run-succeeded');
  assert.equal(await runClass(page, 'WaitUntil'), 'run-succeeded');
  const clock = await page.getByTestId('run-clock').textContent();
  assert.match(clock, /2024-12-31T00:00:00/);
  const forwarded = Number((await page.getByTestId('run-forwarded').textContent()).match(/fast-forwarded ([\d.]+)s/)[1]);
  assert.ok(forwarded > 60 * 60 * 24 * 300, `fast-forwarded ${forwarded}s`);
  const types = await historyTypes(page);
  assert.equal(types.filter((t) => t === 'WaitStateExited').length, 2);
  assert.deepEqual(problems, []);
  await page.close();
});

test('ProcessData fails twice, is retried twice, then succeeds', async () => {
  const { page, problems } = await fresh();
  const def = structuredClone(SEED);
  def.States.ProcessData.Retry = [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }];
  await paste(page, def);
  await chooseHandler(page, 'ProcessData', 'fail', { times: 2, error: 'States.TaskFailed' });
  await runOnce(page, 'SUCCEEDED');
  assert.equal(await runClass(page, 'ProcessData'), 'run-succeeded');
  assert.equal(await runClass(page, 'SendNotification'), 'run-succeeded');
  assert.equal(await node(page, 'ProcessData').locator('.retry-badge').textContent(), '↻2');
  const types = await historyTypes(page);
  assert.equal(types.filter((t) => t === 'LambdaFunctionFailed').length, 2);
  assert.equal(types.filter((t) => t === 'LambdaFunctionScheduled').length, 5, 'ValidateInput, ProcessData ×3, SendNotification');
  await node(page, 'ProcessData').click();
  const flow = await page.getByTestId('dataflow').textContent();
  assert.equal((flow.match(/retry/g) || []).length, 2, flow);
  assert.match(await page.getByTestId('run-output').inputValue(), /Commande ORD-\d{5} confirmée/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a callback task pauses the run until success is sent', async () => {
  const { page, problems } = await fresh();
  const def = structuredClone(SEED);
  def.States.ProcessData = {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: { FunctionName: 'ProcessData', Payload: { 'input.$': '$', 'token.$': '$$.Task.Token' } },
    Next: 'SendNotification',
  };
  await paste(page, def);
  await chooseHandler(page, 'ProcessData', 'callback');
  await runOnce(page, 'RUNNING');
  assert.equal(await runClass(page, 'ProcessData'), 'run-in-progress');
  await page.getByTestId('callback-panel').waitFor();
  // A heartbeat keeps the task waiting (and says when the virtual clock received it).
  await page.getByTestId('callback-heartbeat').click();
  await page.getByText(/Heartbeat received at \d{4}-\d{2}-\d{2}T/).waitFor();
  assert.equal(await page.getByTestId('callback-panel').count(), 1);
  await page.getByTestId('callback-output').fill(JSON.stringify({ result: { orderId: 'ORD-CALLBACK', customer: 'Jean', email: 'jean@example.com', amount: 150, tax: 30, total: 180 } }));
  await page.getByTestId('callback-success').click();
  await waitForStatus(page, 'SUCCEEDED');
  assert.equal(await runClass(page, 'ProcessData'), 'run-succeeded');
  assert.match(await page.getByTestId('run-output').inputValue(), /Commande ORD-CALLBACK confirmée/);
  assert.equal(await page.getByTestId('callback-panel').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a batch of 1,000 generated scenarios shows its summary, coverage and cost', async () => {
  const { page, problems } = await fresh();
  await page.getByTestId('batch-tab').click();
  await page.getByTestId('batch-count').fill('1000');
  await page.getByTestId('batch-generate').click();
  await page.waitForFunction(() => /1000 of 1000 run/.test(document.querySelector('[data-testid="batch-summary"]')?.textContent ?? ''), null, { timeout: 60000 });
  const summary = await page.getByTestId('batch-summary').textContent();
  assert.match(summary, /1000 passed · 0 failed/);
  const coverage = await page.locator('[data-testid="coverage"] li').allTextContents();
  assert.equal(coverage.length, 5);
  assert.match(coverage[0], /^ValidateInput1000$/);
  assert.equal(await page.getByTestId('never-reached').textContent(), 'Every state was reached.');
  // The heat map: ValidateInput ran in every scenario, the hottest.
  assert.match(await node(page, 'ValidateInput').getAttribute('class'), /heat-5/);
  assert.match(await node(page, 'SendNotification').getAttribute('class'), /heat-[1-4]/);
  // A neutral scale with its legend; red (heat-failed) only for states that failed, none here.
  assert.equal(await page.getByTestId('heat-legend').locator('.heat-key').count(), 7);
  assert.equal(await page.locator('.canvas .node.heat-failed').count(), 0);
  const ring = await node(page, 'ValidateInput').evaluate((n) => getComputedStyle(n).boxShadow);
  assert.match(ring, /rgb\(30, 58, 138\)/, `the darkest step of the neutral scale: ${ring}`);
  assert.match(await page.getByTestId('cost').textContent(), /Per million executions\$[\d.]+\$[\d.]+/);
  assert.equal(await page.locator('[data-testid="batch-rows"] tbody tr').count(), 200);
  await screenshot(page, 'sim-batch.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Variables tab shows the variables in scope as each state was entered, and a row selects its state', async () => {
  const { page, problems } = await fresh();
  await paste(page, {
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Assign: { n: 0, label: 'order' }, Next: 'Inc' },
      Inc: { Type: 'Pass', Assign: { 'n.$': 'States.MathAdd($n, 1)' }, Next: 'More' },
      More: { Type: 'Choice', Choices: [{ Variable: '$n', NumericLessThan: 3, Next: 'Inc' }], Default: 'Fan' },
      Fan: {
        Type: 'Parallel',
        End: true,
        Branches: [{ StartAt: 'A1', States: { A1: { Type: 'Pass', Assign: { a: 1 }, Next: 'A2' }, A2: { Type: 'Pass', Parameters: { 'seen.$': '$a', 'label.$': '$label' }, End: true } } }],
      },
    },
  });
  await runOnce(page, 'SUCCEEDED');
  await page.getByTestId('tab-vars').click();
  assert.deepEqual(JSON.parse(await page.getByTestId('vars-now').textContent()), { n: 3, label: 'order' });
  const rows = page.locator('[data-testid="vars-steps"] tbody tr');
  const cells = async (i) => (await rows.nth(i).locator('td').allTextContents());
  assert.equal(await rows.count(), 9, 'Inc, More three times, then Fan, A1 and A2 (Init saw none)');
  const [, newestState, newestVars] = await cells(0);
  assert.equal(newestState, 'A2');
  assert.deepEqual(JSON.parse(newestVars), { n: 3, label: 'order', a: 1 }, 'the branch sees the outer variables and its own');
  const [, oldestState, oldestVars] = await cells(8);
  assert.equal(oldestState, 'Inc');
  assert.deepEqual(JSON.parse(oldestVars), { n: 0, label: 'order' });
  assert.deepEqual(JSON.parse((await cells(7))[2]), { n: 1, label: 'order' }, 'More saw the value Inc had just assigned');
  await rows.nth(0).click();
  await page.waitForFunction(() => document.querySelector('.canvas [data-state-name="A2"]')?.classList.contains('selected'));
  await screenshot(page, 'sim-variables.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the heat map marks in red only the states that failed', async () => {
  const { page, problems } = await fresh();
  await chooseHandler(page, 'SendNotification', 'throw', { error: 'Mail.Unavailable', cause: 'SMTP down' });
  await page.getByTestId('batch-tab').click();
  await page.getByTestId('batch-run-all').click();
  await page.waitForFunction(() => /3 of 3 run/.test(document.querySelector('[data-testid="batch-summary"]')?.textContent ?? ''), null, { timeout: 20000 });
  assert.deepEqual(await page.locator('.canvas .node.heat-failed').evaluateAll((n) => n.map((x) => x.dataset.stateName)), ['SendNotification']);
  assert.match(await node(page, 'HandleError').getAttribute('class'), /heat-[1-5]/);
  assert.deepEqual(problems, []);
  await page.close();
});
