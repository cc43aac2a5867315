// The release build opens with the seed's order workflow loaded, from the root and from a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, codeText } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SEED_STATES = ['ValidateInput', 'CheckValidation', 'ProcessData', 'SendNotification', 'HandleError'];

/** Records in `window.__drawnAt` when the seed's first state appears on the canvas. */
async function noteWhenDrawn(context) {
  await context.addInitScript(() => {
    const seen = new MutationObserver(() => {
      if (document.querySelector('.canvas [data-state-name="ValidateInput"]')) {
        seen.disconnect();
        window.__drawnAt = performance.now();
      }
    });
    seen.observe(document, { childList: true, subtree: true });
  });
}

async function expectSeedLoaded(page) {
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('doc-name').textContent(), 'OrderProcessingWorkflow');
  const nodes = page.locator('.canvas [data-state-name]');
  const names = await nodes.evaluateAll((els) => els.map((e) => e.dataset.stateName));
  assert.deepEqual(names, SEED_STATES);
  const kinds = await nodes.evaluateAll((els) => els.map((e) => e.querySelector('.node-text .sr-only').textContent.match(/\((\w+)\)/)[1]));
  assert.deepEqual(kinds, ['Task', 'Choice', 'Task', 'Task', 'Task']);
  await page.getByLabel('ASL definition').waitFor();
  const code = await codeText(page);
  assert.equal(JSON.parse(code).StartAt, 'ValidateInput');
  assert.match(code, /"Comment": "Workflow de traitement de commande"/);
}

test('the app opens with the seed order workflow as the current document', async () => {
  const server = await serveDist('/');
  try {
    const { page, problems } = await openPage(browser, server.url);
    await expectSeedLoaded(page);
    // ValidateInput is where Start points, and it goes on to CheckValidation and, on error, HandleError.
    for (const edge of ['#start->', '/States/ValidateInput->Next', '/States/ValidateInput->Catch(0)']) {
      assert.equal(await page.locator(`path[data-edge="${edge}"]`).count(), 1, edge);
    }
    assert.match(await page.locator('.canvas').textContent(), /Start.*End/s);
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

// Issue #18: the first paint does not wait for the code editor. Its bundle is named in index.html
// but not run there; the page starts it once the canvas is drawn, and the editor then mounts.
test('the canvas is drawn before the code editor is fetched, and the editor comes after', async () => {
  const server = await serveDist('/');
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await noteWhenDrawn(context);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('.code-host .cm-content').waitFor({ timeout: 20000 });
    const { drawnAt, bundle, inert } = await page.evaluate(() => ({
      drawnAt: window.__drawnAt,
      bundle: performance.getEntriesByType('resource').filter((r) => /codemirror-[0-9a-f]+\.js$/.test(r.name)).map((r) => r.startTime),
      inert: document.getElementById('codemirror-bundle')?.type,
    }));
    assert.equal(inert, 'text/x-deferred-script', 'index.html names the bundle without running it');
    assert.equal(bundle.length, 1, 'the bundle is fetched once');
    assert.ok(drawnAt > 0 && bundle[0] > drawnAt, `the bundle was fetched at ${bundle[0]?.toFixed(0)} ms, the canvas drawn at ${drawnAt?.toFixed(0)} ms`);
    assert.equal(JSON.parse(await codeText(page)).StartAt, 'ValidateInput');
    await context.close();
  } finally {
    await server.close();
  }
});

// Issue #18: the page's wasm in parts (src/ui/lazy.rs, scripts/wasm-split.mjs). The inspector's,
// the Run drawer's and the dialogs' code is fetched after the canvas is drawn, and the inspector
// then shows the workflow's form.
test('the page wasm parts are fetched after the canvas is drawn, and the inspector comes with them', async () => {
  const server = await serveDist('/');
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await noteWhenDrawn(context);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.locator('.inspector input, .inspector select, .inspector textarea').first().waitFor({ timeout: 20000 });
    const { drawnAt, parts } = await page.evaluate(() => ({
      drawnAt: window.__drawnAt,
      parts: performance.getEntriesByType('resource').filter((r) => /statecraft-web-(module|chunk)-.*\.wasm$/.test(r.name)).map((r) => [r.name, r.startTime]),
    }));
    assert.ok(parts.some(([name]) => /inspector/.test(name)), `the inspector's part was fetched: ${parts.map((p) => p[0])}`);
    for (const [name, at] of parts) assert.ok(at > drawnAt, `${name} was fetched at ${at.toFixed(0)} ms, the canvas drawn at ${drawnAt?.toFixed(0)} ms`);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.close();
  }
});

// Holds back the page wasm part whose file name matches `part` until `release()`.
async function holdPart(context, part) {
  const held = [];
  let hold = true;
  await context.route(new RegExp(`statecraft-web-module-.*${part}.*\\.wasm$`), (route) => (hold ? held.push(route) : route.continue()));
  return {
    held,
    async release() {
      hold = false;
      for (const route of held.splice(0)) await route.continue();
    },
  };
}

// Opens the page on the seed and waits for its canvas; the page's errors are collected.
async function openSeed(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.locator('.canvas [data-state-name="ValidateInput"]').waitFor({ timeout: 20000 });
  return { page, errors };
}

// A dialog opened before its part has arrived is not lost: it opens when the part does.
test('a dialog asked for before its part has arrived opens when it arrives', async () => {
  const server = await serveDist('/');
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const dialogs = await holdPart(context, 'dialogs');
    const { page, errors } = await openSeed(context, server.url);
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => /inspector.*\.wasm$/.test(r.name)));
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    assert.equal(await page.getByRole('dialog', { name: 'Export' }).count(), 0, 'no dialog while its part is held');
    await dialogs.release();
    await page.getByRole('dialog', { name: 'Export' }).waitFor({ timeout: 20000 });
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.close();
  }
});

// The Run drawer's body is a part too: a tab clicked before it has arrived shows that tab when
// it does (the tab is the head's, in the first module), and the run works.
test('a Run drawer tab clicked before the drawer part has arrived is shown when it arrives', async () => {
  const server = await serveDist('/');
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const run = await holdPart(context, 'run');
    const { page, errors } = await openSeed(context, server.url);
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => /inspector.*\.wasm$/.test(r.name)));
    await page.getByTestId('batch-tab').click();
    await page.locator('.run-body .run-note').getByText('Loading…').waitFor({ timeout: 5000 });
    assert.equal(await page.getByTestId('batch').count(), 0, 'no Batch tab while the part is held');
    assert.ok(run.held.length > 0, 'the drawer part was asked for');
    await run.release();
    await page.getByTestId('batch').waitFor({ timeout: 20000 });
    await page.getByRole('button', { name: 'Scenario', exact: true }).click();
    await page.getByTestId('run-start').click();
    await page.getByTestId('run-status').filter({ hasText: 'SUCCEEDED' }).waitFor({ timeout: 20000 });
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.close();
  }
});

// A dialog whose part could not be loaded (the network) says so in its place, as the
// inspector's and the Run drawer's do, and closes.
test('a dialog whose part could not be loaded says so and to reload the page', async () => {
  const server = await serveDist('/');
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.route(/statecraft-web-module-.*dialogs.*\.wasm$/, (route) => route.abort());
    const { page, errors } = await openSeed(context, server.url);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const note = page.getByTestId('dialogs-failed');
    await note.waitFor({ timeout: 20000 });
    assert.match(await note.innerText(), /This part of the page could not be loaded\. Reload the page to try again\./);
    assert.equal(await page.getByRole('dialog', { name: 'Export' }).count(), 0);
    await note.getByRole('button', { name: 'Close' }).click();
    assert.equal(await note.count(), 0, 'closed');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await note.waitFor({ timeout: 5000 });
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.close();
  }
});
