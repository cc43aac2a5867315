// The release build opens with the seed's order workflow loaded, from the root and from a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SEED_STATES = ['ValidateInput', 'CheckValidation', 'ProcessData', 'SendNotification', 'HandleError'];

async function expectSeedLoaded(page) {
  await page.getByTestId('state-list').waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('doc-name').textContent(), 'OrderProcessingWorkflow');
  const names = await page.locator('[data-testid=state] .state-name').allTextContents();
  assert.deepEqual(names, SEED_STATES);
  const kinds = await page.locator('[data-testid=state]').evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.deepEqual(kinds, ['Task', 'Choice', 'Task', 'Task', 'Task']);
  const code = await page.getByTestId('asl-code').textContent();
  assert.equal(JSON.parse(code).StartAt, 'ValidateInput');
  assert.match(code, /"Comment": "Workflow de traitement de commande"/);
}

test('the app opens with the seed order workflow as the current document', async () => {
  const server = await serveDist('/');
  try {
    const { page, problems } = await openPage(browser, server.url);
    await expectSeedLoaded(page);
    const start = page.locator('[data-testid=state]', { hasText: 'ValidateInput' });
    assert.match(await start.textContent(), /Start/);
    assert.match(await start.textContent(), /CheckValidation, HandleError/);
    await screenshot(page, 'app-shell.png');
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await server.close();
  }
});

test('dist/ is static-hostable under a sub-path', async () => {
  const server = await serveDist('/tools/statecraft/');
  try {
    const { page, problems } = await openPage(browser, server.url);
    await expectSeedLoaded(page);
    // Every asset the page loaded came from under the sub-path.
    const assets = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.ok(assets.some((a) => a.endsWith('.wasm')), `no wasm among ${assets}`);
    for (const a of assets) assert.ok(new URL(a).pathname.startsWith('/tools/statecraft/'), a);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await server.close();
  }
});
