// The simulated services' stores in the Run drawer (issue 14), driven as a person would: a
// multi-service workflow (DynamoDB, SNS, SQS and an aws-sdk call, with a Catch) pasted as a new
// document runs once to SUCCEEDED and the Stores tab shows what each service holds after it; a
// Task switched to its service error in two clicks lights the Catch path; a table seeded with
// bad JSON says where, and keeps the text; a CSV dropped on a bucket becomes an object that a
// Distributed Map reads, one child execution per row, each child's history in the History tab;
// the seeds are saved with the document and one undo takes a drop back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, browser, server, useBrowser, pasteAsDocument, runOnce } from './harness.mjs';

useBrowser();

const node = (page, name) => page.locator(`.canvas [data-state-name="${name}"]`);
const runClass = async (page, name) => (await node(page, name).getAttribute('class')).match(/run-[a-z-]+/)?.[0];

const ORDERS = {
  Comment: 'Order intake: load the customer, record the order once, keep a receipt, queue fulfilment, tell the customer.',
  StartAt: 'Load customer profile',
  States: {
    'Load customer profile': {
      Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: 'Customers', Key: { customerId: { 'S.$': '$.customerId' } } },
      ResultPath: '$.customer', Next: 'Record order once',
    },
    'Record order once': {
      Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: {
        TableName: 'Orders',
        Item: { orderId: { 'S.$': '$.orderId' }, customerId: { 'S.$': '$.customerId' }, status: { S: 'RECEIVED' } },
        ConditionExpression: 'attribute_not_exists(orderId)',
      },
      ResultPath: null,
      Retry: [{ ErrorEquals: ['DynamoDB.ProvisionedThroughputExceededException'], IntervalSeconds: 1, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.conflict', Next: 'Report duplicate order' }],
      Next: 'Keep receipt',
    },
    'Keep receipt': {
      Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:putObject',
      Parameters: { Bucket: 'order-receipts', 'Key.$': "States.Format('receipts/{}.json', $.orderId)", 'Body.$': '$' },
      ResultSelector: { 'etag.$': '$.ETag' }, ResultPath: '$.receipt', Next: 'Queue fulfilment',
    },
    'Queue fulfilment': {
      Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage',
      Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/fulfilment', 'MessageBody.$': '$.orderId' },
      ResultSelector: { 'messageId.$': '$.MessageId' }, ResultPath: '$.queued', Next: 'Tell the customer',
    },
    'Tell the customer': {
      Type: 'Task', Resource: 'arn:aws:states:::sns:publish',
      Parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:order-events', 'Message.$': "States.Format('Order {} received', $.orderId)" },
      ResultPath: null, End: true,
    },
    'Report duplicate order': {
      Type: 'Pass', Parameters: { 'duplicate.$': '$.orderId', 'error.$': '$.conflict.Error' }, End: true,
    },
  },
};

const LINES = {
  Comment: 'Reprice every order line of an uploaded CSV, one child workflow per line.',
  StartAt: 'Reprice order lines',
  States: {
    'Reprice order lines': {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
        Parameters: { Bucket: 'order-uploads', Key: 'lines.csv' },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Price one line',
        States: { 'Price one line': { Type: 'Pass', Parameters: { 'sku.$': '$.sku', 'qty.$': 'States.StringToJson($.qty)' }, End: true } },
      },
      MaxConcurrency: 10,
      ResultPath: '$.lines',
      End: true,
    },
  },
};

const CSV = 'sku,qty\nA-100,1\nB-200,3\nC-300,2\nD-400,5\n';

/** Drops a file on a locator, as a drag from the desktop does (dragover, then drop). */
async function dropFile(page, target, name, text) {
  const transfer = await page.evaluateHandle(([n, t]) => {
    const data = new DataTransfer();
    data.items.add(new File([t], n, { type: 'text/csv' }));
    return data;
  }, [name, text]);
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
}

const tab = (page, name) => page.getByRole('button', { name, exact: true });

test('a pasted multi-service workflow runs, its stores show what it wrote, and a service error in two clicks takes the Catch', async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 1000 });
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  await pasteAsDocument(page, ORDERS);
  await page.getByTestId('run-toggle').click();
  await page.getByTestId('run-input').fill('{"orderId": "o-1001", "customerId": "c-7"}');
  await runOnce(page, 'SUCCEEDED');
  assert.equal(await runClass(page, 'Tell the customer'), 'run-succeeded');

  // The Stores tab: every store the definition names, and what each holds after the run.
  await page.getByTestId('stores-tab').click();
  const stores = page.getByTestId('stores');
  const orders = stores.locator('[data-table="Orders"]');
  const written = JSON.parse(await orders.getByTestId('table-after').locator('pre').textContent());
  assert.deepEqual(written, [{ orderId: { S: 'o-1001' }, customerId: { S: 'c-7' }, status: { S: 'RECEIVED' } }]);
  assert.match(await stores.locator('[data-table="Customers"]').getByTestId('table-after').textContent(), /No items/);
  const receipts = stores.locator('[data-bucket="order-receipts"]');
  const receipt = receipts.getByTestId('bucket-after').locator('.store-object[data-key="receipts/o-1001.json"]');
  const body = JSON.parse(await receipt.locator('pre').textContent());
  assert.equal(body.orderId, 'o-1001');
  assert.equal(await receipt.locator('summary').textContent(), `receipts/o-1001.json · ${JSON.stringify(body).length} bytes`);
  const queue = stores.locator('[data-testid="queue"]');
  assert.match(await queue.locator('header').textContent(), /fulfilment · 1 message at the moment shown/);
  assert.equal(JSON.parse(await queue.locator('pre').textContent()).MessageBody, 'o-1001');
  const topic = stores.locator('[data-testid="topic"]');
  assert.equal(JSON.parse(await topic.locator('pre').textContent()).Message, 'Order o-1001 received');

  await page.screenshot({ path: '/tmp/stores-after-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: '/tmp/stores-after-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });

  // Seeding a table with JSON that is not DynamoDB's says where, in words, and keeps the text.
  const customers = stores.locator('[data-table="Customers"]');
  const bad = '[{"customerId": {"S": "c-7"}, "tier": "gold"}]';
  await customers.getByTestId('table-items').fill(bad);
  await customers.getByTestId('table-save').click();
  const said = await customers.getByRole('alert').textContent();
  assert.match(said, /^The items were not saved: Line 1, column 39 \(at \/0\/tier\): "gold" is not a DynamoDB attribute value: write it typed, as \{"S":"gold"\}$/);
  assert.equal(await customers.getByTestId('table-items').inputValue(), bad, 'nothing typed is lost');
  await customers.getByTestId('table-items').fill('[{"customerId": {"S": "c-7"}, "tier": {"S": "gold"}}]');
  await customers.getByTestId('table-save').click();
  await customers.getByRole('alert').waitFor({ state: 'detached' });
  await tab(page, 'Scenario').click();
  await runOnce(page, 'SUCCEEDED');
  // The seeded customer is what getItem read.
  const output = JSON.parse(await page.getByTestId('run-output').inputValue());
  assert.deepEqual(output.customer.Item.tier, { S: 'gold' });

  // Two clicks in the inspector: "throw error", then the service's error.
  await node(page, 'Record order once').click();
  const answer = page.getByTestId('service-answer');
  await answer.getByLabel('Service answer').selectOption('throw');
  await answer.getByLabel('Error to throw').selectOption('DynamoDB.ConditionalCheckFailedException');
  await runOnce(page, 'SUCCEEDED');
  assert.equal(await runClass(page, 'Record order once'), 'run-caught');
  assert.equal(await runClass(page, 'Report duplicate order'), 'run-succeeded');
  assert.equal(await runClass(page, 'Keep receipt'), 'run-not-reached');
  assert.equal(await page.locator('.canvas path.edge.taken.caught').count(), 1, 'the Catch edge is lit');
  assert.equal(JSON.parse(await page.getByTestId('run-output').inputValue()).error, 'DynamoDB.ConditionalCheckFailedException');
  // Nothing was written this time: the Orders table is empty after the run.
  await page.getByTestId('stores-tab').click();
  assert.match(await orders.getByTestId('table-after').textContent(), /No items/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a CSV dropped on a bucket is the object a Distributed Map reads: one child execution per row, each history shown', async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 1000 });
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  await pasteAsDocument(page, LINES);
  await page.getByTestId('run-toggle').click();
  await page.getByTestId('stores-tab').click();
  const bucket = page.locator('[data-bucket="order-uploads"]');
  assert.match(await bucket.textContent(), /The definition reads lines\.csv, which is not here yet\./);

  // A file that is not what its name says is refused, located.
  await dropFile(page, bucket.getByTestId('bucket-drop'), 'broken.csv', 'sku,qty\nA,"1\n');
  assert.match(await bucket.getByRole('alert').textContent(), /^broken\.csv was not added: Line 2, column 3: broken\.csv: this quote is never closed$/);

  await dropFile(page, bucket.getByTestId('bucket-drop'), 'lines.csv', CSV);
  const dropped = bucket.getByTestId('bucket-before').locator('.store-object[data-key="lines.csv"]');
  await dropped.waitFor();
  assert.equal(await bucket.getByRole('alert').count(), 0);
  assert.doesNotMatch(await bucket.textContent(), /not here yet/);
  await page.screenshot({ path: '/tmp/stores-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: '/tmp/stores-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });

  await tab(page, 'Scenario').click();
  await runOnce(page, 'SUCCEEDED');
  const output = JSON.parse(await page.getByTestId('run-output').inputValue());
  assert.deepEqual(output.lines, [{ sku: 'A-100', qty: 1 }, { sku: 'B-200', qty: 3 }, { sku: 'C-300', qty: 2 }, { sku: 'D-400', qty: 5 }]);
  // One child execution per row, each with its own history.
  const picker = page.getByTestId('history-execution');
  const options = await picker.locator('option').allTextContents();
  assert.equal(options.length, 1 + 4, options.join(' | '));
  assert.match(options[3], /^Reprice order lines child 3 · .+ · SUCCEEDED \(\d+ events\)$/);
  const parentTypes = await page.getByTestId('history').locator('tbody tr.event td:nth-child(2)').allTextContents();
  assert.ok(parentTypes.includes('MapRunStarted') && !parentTypes.includes('PassStateEntered'), parentTypes.join(', '));
  await picker.selectOption({ index: 3 });
  const childRows = page.getByTestId('history').locator('tbody tr.event');
  const childTypes = await childRows.locator('td:nth-child(2)').allTextContents();
  assert.deepEqual([childTypes[0], childTypes.at(-1)], ['ExecutionStarted', 'ExecutionSucceeded']);
  assert.ok(childTypes.includes('PassStateEntered'), childTypes.join(', '));
  // A child event's details are that child's: its input is the third row.
  await childRows.first().click();
  assert.match(await page.getByTestId('history').locator('tr.details pre').textContent(), /C-300/);
  await page.screenshot({ path: '/tmp/stores-history.png' });

  // One undo takes the drop back, redo brings it again.
  await page.getByTestId('stores-tab').click();
  await page.getByRole('button', { name: 'Undo' }).click();
  await dropped.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Redo' }).click();
  await dropped.waitFor();

  // The seed is the document's: saved, and back after a reload.
  await page.waitForTimeout(800);
  await page.reload();
  await node(page, 'Reprice order lines').waitFor({ timeout: 20000 });
  await page.getByTestId('run-toggle').click();
  await page.getByTestId('stores-tab').click();
  const reloaded = page.locator('[data-bucket="order-uploads"]');
  const kept = reloaded.getByTestId('bucket-before').locator('.store-object[data-key="lines.csv"]');
  await kept.waitFor();
  await reloaded.getByRole('button', { name: 'Remove lines.csv' }).click();
  await kept.waitFor({ state: 'detached' });
  assert.match(await reloaded.textContent(), /not here yet/);
  await screenshot(page, 'stores.png');
  assert.deepEqual(problems, []);
  await page.close();
});

const DRAIN = {
  Comment: 'Takes the waiting jobs, announces each, deletes it.',
  StartAt: 'Receive jobs',
  States: {
    'Receive jobs': {
      Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sqs:receiveMessage',
      Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs', MaxNumberOfMessages: 10 },
      ResultPath: '$.received', Next: 'Announce first job',
    },
    'Announce first job': {
      Type: 'Task', Resource: 'arn:aws:states:::sns:publish',
      Parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:jobs-done', 'Message.$': '$.received.Messages[0].Body' },
      ResultPath: null, Next: 'Delete first job',
    },
    'Delete first job': {
      Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sqs:deleteMessage',
      Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs', 'ReceiptHandle.$': '$.received.Messages[0].ReceiptHandle' },
      ResultPath: null, End: true,
    },
  },
};

test('a queue seeded in the Stores tab is what receiveMessage gets, and stepping back shows the stores at that moment', async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 1000 });
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  await pasteAsDocument(page, DRAIN);
  await page.getByTestId('run-toggle').click();
  await page.getByTestId('stores-tab').click();
  const stores = page.getByTestId('stores');
  const queue = stores.locator('[data-testid="queue"]');
  // A message that is not one says where.
  await queue.getByTestId('queue-messages').fill('["resize photo-1", {"Body": "x"}]');
  await queue.getByTestId('queue-save').click();
  assert.match(await queue.getByRole('alert').textContent(), /^The messages were not saved: Line 1, column 29 \(at \/1\/Body\): unknown member "Body"/);
  await queue.getByTestId('queue-messages').fill('["resize photo-1", "resize photo-2"]');
  await queue.getByTestId('queue-save').click();
  await queue.getByRole('alert').waitFor({ state: 'detached' });
  const topic = stores.locator('[data-testid="topic"]');
  await topic.getByTestId('topic-subscriptions').fill('["arn:aws:sqs:us-east-1:123456789012:audit"]');
  await topic.getByTestId('topic-save').click();
  await tab(page, 'Scenario').click();
  await runOnce(page, 'SUCCEEDED');
  await page.getByTestId('stores-tab').click();
  const jobs = stores.locator('[data-testid="queue"][data-name$="/jobs"]');
  const audit = stores.locator('[data-testid="queue"][data-name$="/audit"]');
  assert.match(await jobs.locator('header').textContent(), /· 1 message at the moment shown/, 'the first job was deleted');
  assert.equal(JSON.parse(await jobs.getByTestId('queue-after').locator('pre').textContent()).MessageBody, 'resize photo-2');
  const envelope = JSON.parse(JSON.parse(await audit.getByTestId('queue-after').locator('pre').textContent()).MessageBody);
  assert.equal(envelope.Message, 'resize photo-1', 'the subscribed queue got the announcement');
  await page.screenshot({ path: '/tmp/stores-queues.png' });
  // Back to the start: both jobs wait, nothing was announced.
  // The step controls are on the Scenario tab; the moment shown stays when the tab changes.
  await tab(page, 'Scenario').click();
  while (await page.getByTestId('run-back').isEnabled()) await page.getByTestId('run-back').click();
  await page.getByTestId('stores-tab').click();
  assert.match(await jobs.locator('header').textContent(), /· 2 messages at the moment shown/);
  assert.match(await audit.getByTestId('queue-after').textContent(), /No messages/);
  assert.deepEqual(problems, []);
  await page.close();
});
