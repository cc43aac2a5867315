// Real workflows run in the page (issue 14): a multi-service workflow pasted through the Import
// dialog runs with zero configuration, each service answering from its API model (fetched by the
// page the first time the document uses that service, never in the first download); a Task set
// to throw its service's error in two clicks in the inspector takes its Catch; a Run or a batch
// started before the files arrived waits for them; a service file that cannot be fetched is
// said in words and its Tasks echo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openPage, screenshot, root, browser, server, useBrowser, runOnce, waitForStatus } from './harness.mjs';

useBrowser();

const node = (page, name) => page.locator(`.canvas [data-state-name="${name}"]`);
const runClass = async (page, name) => (await node(page, name).getAttribute('class')).match(/run-[a-z-]+/)?.[0];

/** The services the multi-service workflow's Tasks call. */
const SERVICES = ['dynamodb', 'organizations', 'ec2', 'sns'];

/** Each of SERVICES' files was fetched exactly once. */
function assertEachFetchedOnce(fetched) {
  for (const service of SERVICES) {
    assert.equal(fetched.filter((s) => s === service).length, 1, `${service} fetched once: ${fetched}`);
  }
}

/** Waits until the service-files line (inside the tab `testId`, or anywhere) lists every one of SERVICES as loading. */
async function untilSaidLoading(page, testId) {
  const selector = (testId ? `[data-testid="${testId}"] ` : '') + '[data-testid="service-files-loading"]';
  await page.waitForFunction(([selector, services]) => {
    const said = document.querySelector(selector)?.textContent || '';
    return services.every((s) => said.includes(s));
  }, [selector, SERVICES], { timeout: 5000 });
}

/** The page, recording which service files it fetched. */
async function fresh() {
  const { page, problems } = await openPage(browser, 'about:blank', { width: 1440, height: 1000 });
  const fetched = [];
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname.match(/\/catalogue\/([a-z0-9]+)\.json$/);
    if (m) fetched.push(m[1]);
  });
  await page.goto(server.url);
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  return { page, problems, fetched };
}

async function importDefinition(page, text, last) {
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Import' });
  await dialog.getByLabel('Definition to import').fill(text);
  await dialog.getByRole('button', { name: 'Import' }).click();
  await node(page, last).waitFor();
}

test('a pasted multi-service workflow runs with zero configuration; a DynamoDB error in two clicks takes the Catch', async () => {
  const { page, problems, fetched } = await fresh();
  // The seed's workflow calls Lambda functions only: no other service file was fetched.
  assert.ok(fetched.every((s) => s === 'lambda'), `first load fetched ${fetched}`);
  const text = await readFile(path.join(root, 'tests/fixtures/answers/multi_service.asl.json'), 'utf8');
  await importDefinition(page, text, 'Report duplicate request');
  await page.getByTestId('run-toggle').click();
  await runOnce(page, 'SUCCEEDED');
  // Each service's file fetched once, on first use.
  assertEachFetchedOnce(fetched);
  // Shaped like the services' answers, not echoes of the requests: ResultSelectors read
  // $.Accounts, $.Reservations and $.MessageId, which no request has.
  const output = JSON.parse(await page.getByTestId('run-output').inputValue());
  assert.ok(output.accounts.count >= 1 && typeof output.accounts.first === 'string', JSON.stringify(output));
  assert.equal(typeof output.instances.reservations, 'number');
  assert.match(output.notified.messageId, /^[0-9a-f-]{36}$/);
  assert.ok(output.request.SdkResponseMetadata, 'the optimized getItem answers as AWS does');
  assert.equal(await runClass(page, 'Notify platform team'), 'run-succeeded');

  // Two clicks in the inspector: "throw error", then the DynamoDB error.
  await node(page, 'Reserve account record').click();
  const answer = page.getByTestId('service-answer');
  await answer.getByLabel('Service answer').selectOption('throw');
  const errors = await answer.getByLabel('Error to throw').locator('option').allTextContents();
  assert.ok(errors.includes('DynamoDb.ConditionalCheckFailedException') && errors.includes('States.Timeout'), errors.join(', '));
  await answer.getByLabel('Error to throw').selectOption('DynamoDb.ConditionalCheckFailedException');
  await runOnce(page, 'SUCCEEDED');
  assert.equal(await runClass(page, 'Reserve account record'), 'run-caught');
  assert.equal(await runClass(page, 'Report duplicate request'), 'run-succeeded');
  assert.equal(await runClass(page, 'Notify platform team'), 'run-not-reached');
  assert.equal(await page.locator('.canvas path.edge.taken.caught').count(), 1, 'the Catch edge is lit');
  const caught = JSON.parse(await page.getByTestId('run-output').inputValue());
  assert.deepEqual(Object.keys(caught), ['duplicate', 'error']);
  assert.equal(caught.error, 'DynamoDb.ConditionalCheckFailedException');
  await screenshot(page, 'services-catch.png');
  await answer.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/choices-answer.png' });

  // The answers download is what `statecraft run --answers` reads.
  const href = await answer.getByTestId('download-answers').getAttribute('href');
  const answers = JSON.parse(decodeURIComponent(href.slice(href.indexOf(',') + 1)));
  assert.equal(answers.states['Reserve account record'].choice.error, 'DynamoDb.ConditionalCheckFailedException');

  // Each choice was one undoable change: two undos give the default answer back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="answer-kind"]')?.value === 'default');

  // The Export's policy uses the fetched files: no action guessed.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  // (The engine worker generates the files: read them once the answer to these options is shown.)
  await page.getByRole('dialog', { name: 'Export' }).locator('.export-files[aria-busy="false"]').waitFor();
  const policy = await page.getByRole('dialog', { name: 'Export' }).getByRole('status', { name: 'Policy warnings' }).textContent().catch(() => '');
  assert.ok(!/catalogue does not give/.test(policy), policy);
  assert.deepEqual(problems, []);
  await page.close();
});

/** A cold page whose service files are held until `release()`, with the multi-service workflow
 * pasted in and the Run drawer open: what is started now cannot find its files here, and those
 * its click first asks for must be waited for too. */
async function coldWithFilesHeld() {
  const { page, problems, fetched } = await fresh();
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/catalogue/*.json', async (route) => { await held; await route.continue(); });
  await page.getByTestId('run-toggle').click();
  const text = await readFile(path.join(root, 'tests/fixtures/answers/multi_service.asl.json'), 'utf8');
  await importDefinition(page, text, 'Report duplicate request');
  return { page, problems, fetched, release };
}

test('a Run clicked at once after pasting a multi-service workflow, on a cold page, waits for every file its Tasks need', async () => {
  const { page, problems, fetched, release } = await coldWithFilesHeld();
  await page.getByTestId('run-start').click();
  // Every file its Tasks need is on its way (asked for by the click, whatever the page had asked).
  await untilSaidLoading(page);
  assert.notEqual(await page.getByTestId('run-status').textContent().catch(() => ''), 'SUCCEEDED', 'the run waits for its files');
  release();
  await waitForStatus(page, 'SUCCEEDED');
  // Answered from the services' models, not echoes of the requests.
  const output = JSON.parse(await page.getByTestId('run-output').inputValue());
  assert.ok(output.accounts.count >= 1 && typeof output.accounts.first === 'string', JSON.stringify(output));
  assert.equal(typeof output.instances.reservations, 'number');
  assert.match(output.notified.messageId, /^[0-9a-f-]{36}$/);
  assertEachFetchedOnce(fetched);
  assert.equal(await page.getByTestId('service-files-failed').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a batch started at once after pasting a multi-service workflow, on a cold page, waits for every file its Tasks need', async () => {
  const { page, problems, fetched, release } = await coldWithFilesHeld();
  await page.getByTestId('batch-tab').click();
  await page.getByTestId('batch-run-all').click();
  await untilSaidLoading(page, 'batch');
  assert.equal(await page.getByTestId('batch-summary').count(), 0, 'the batch waits for its files');
  release();
  await page.getByTestId('batch-summary').waitFor({ timeout: 20000 });
  // Every scenario ran with the services' models: without organizations' file, listAccounts
  // would answer with its request and the ResultSelector's ArrayLength of no Accounts would fail.
  const statuses = await page.locator('[data-testid="batch-rows"] tbody tr td:nth-child(2)').allTextContents();
  assert.ok(statuses.length >= 1, 'the batch ran scenarios');
  assert.deepEqual(statuses.filter((s) => s !== 'SUCCEEDED'), [], statuses.join(', '));
  assertEachFetchedOnce(fetched);
  assert.equal(await page.getByTestId('service-files-failed').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a suite generated at once after pasting a multi-service workflow, on a cold page, says which files it waits for', async () => {
  const { page, problems, fetched, release } = await coldWithFilesHeld();
  await page.getByTestId('suite-tab').click();
  await page.getByTestId('suite-generate').click();
  await untilSaidLoading(page, 'suite');
  assert.equal(await page.getByTestId('suite-summary').count(), 0, 'the suite waits for its files');
  release();
  await page.getByTestId('suite-summary').waitFor({ timeout: 60000 });
  assert.equal(await page.locator('[data-testid="suite"] [data-testid="service-files-loading"]').count(), 0, 'the wait is over');
  assertEachFetchedOnce(fetched);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a service file that cannot be fetched is said in words, and its Task echoes', async () => {
  const { page, problems } = await fresh();
  await page.route('**/catalogue/sqs.json', (route) => route.fulfill({ status: 503, body: 'down' }));
  const definition = {
    StartAt: 'List queues',
    States: { 'List queues': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sqs:listQueues', Parameters: { QueueNamePrefix: 'orders' }, End: true } },
  };
  await importDefinition(page, JSON.stringify(definition, null, 2), 'List queues');
  await page.getByTestId('run-toggle').click();
  await runOnce(page, 'SUCCEEDED');
  const said = await page.getByTestId('service-files-failed').textContent();
  assert.match(said, /The AWS API model of sqs could not be loaded \(HTTP 503\): Tasks calling sqs answer with their own request instead\./);
  assert.deepEqual(JSON.parse(await page.getByTestId('run-output').inputValue()), { QueueNamePrefix: 'orders' });
  await page.getByTestId('tab-logs').click();
  assert.match(await page.getByTestId('run-logs').textContent(), /no simulated answer for arn:aws:states:::aws-sdk:sqs:listQueues \(the catalogue has no service "sqs" in this build\): the task returns its input/);
  assert.deepEqual(problems.filter((p) => !p.includes('sqs.json') && !p.includes('status of 503')), []);
  await page.close();
});

test('a request field the operation does not take is a warning on that field, once the service file is here', async () => {
  const { page, problems } = await fresh();
  const definition = {
    StartAt: 'Load order',
    States: {
      'Load order': {
        Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem',
        Parameters: { TableName: 'Orders', Key: { orderId: { 'S.$': '$.orderId' } }, ConsistentRead: 'yes' }, End: true,
      },
    },
  };
  await importDefinition(page, JSON.stringify(definition, null, 2), 'Load order');
  const warning = page.locator('.diagnostics li.diag.warning', { hasText: 'REQUEST_FIELD' });
  await warning.waitFor({ timeout: 10000 });
  assert.match(await warning.textContent(), /expected a boolean, found a string \(dynamodb:GetItem input\)/);
  assert.match(await warning.locator('.diag-place').textContent(), /^\d+:\d+$/);
  // Which state and field, in words.
  assert.equal(await warning.locator('.diag-where').textContent(), 'Load order › Parameters.ConsistentRead');
  // The code editor marks it too, and the canvas node shows a problem.
  await page.locator('.code-host .cm-lintRange-warning').first().waitFor({ timeout: 10000 });
  assert.deepEqual(problems, []);
  await page.close();
});
