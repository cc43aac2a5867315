// The engine in its Web Worker (issue 18): a runaway JSONata expression run in the page ends
// with a clear message within its budget while the page keeps answering (a click on the canvas
// still selects a node), and the next Run of the seed succeeds; during a batch of 10,000
// generated scenarios a drag on the canvas keeps drawing frames (measured in the page, as
// bench.mjs measures a drag: one pointer move per animation frame). While the engine cannot
// start, a plain definition opens in the page and a template says why it did not open; a worker
// whose script never loads is started three times, then the page says to reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, server, screenshot, useBrowser, paste, runOnce, openRunDrawer as fresh, node, codeText } from './harness.mjs';

useBrowser();

/** The page's watchdog budget (sim::protocol::RUN_BUDGET_MS). */
const BUDGET_MS = 5000;
/** How long the page waits for a worker to start (sim::protocol::START_BUDGET_MS). */
const START_BUDGET_MS = 20000;

const RUNAWAY = {
  QueryLanguage: 'JSONata',
  StartAt: 'Count',
  States: {
    Count: { Type: 'Pass', Output: '{% $count([1..10000000].([1..10000000])) %}', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

test('a runaway expression ends with a clear message within its budget, the page answers meanwhile, and the next Run works', async () => {
  const { page, problems } = await fresh();
  const seed = await codeText(page);
  await paste(page, RUNAWAY);
  const started = Date.now();
  await page.getByTestId('run-start').click();
  // While the engine evaluates, the page answers: a click on the canvas selects a node, and
  // frames keep coming.
  await node(page, 'Done').click();
  await page.waitForFunction(() => document.querySelector('.canvas [data-state-name="Done"]')?.classList.contains('selected'));
  const frame = await page.evaluate(() => new Promise((r) => { const t = performance.now(); requestAnimationFrame(() => r(performance.now() - t)); }));
  assert.ok(frame < 500, `a frame came ${frame.toFixed(0)} ms after it was asked for`);
  const busy = await page.getByTestId('run-waiting').count();
  // The run ends: the engine's own budget (States.QueryEvaluationError naming the limit) or the
  // page's watchdog (a fresh engine), each said in words.
  await page.waitForFunction(
    () => document.querySelector('[data-testid="run-status"]')?.textContent === 'FAILED' || document.querySelector('[data-testid="run-problem"]'),
    null,
    { timeout: BUDGET_MS + 5000 },
  );
  const took = Date.now() - started;
  assert.ok(took < BUDGET_MS + 3000, `ended after ${took} ms`);
  const words = (await page.getByTestId('run-problem').count())
    ? await page.getByTestId('run-problem').textContent()
    : await page.getByTestId('run-panel').textContent();
  assert.match(words, /States\.QueryEvaluationError|the engine did not answer\. A fresh engine is ready\./, words);
  console.log(`runaway run ended after ${took} ms (engine busy when the canvas was clicked: ${busy === 1}): ${words.match(/States\.QueryEvaluationError[^"]{0,120}|The run was stopped[^.]*\./)?.[0]}`);
  await screenshot(page, 'worker-runaway.png');

  // The seed again: its Run succeeds, on the same engine or a fresh one.
  await paste(page, JSON.parse(seed));
  await runOnce(page, 'SUCCEEDED');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a batch of 10,000 scenarios runs in the engine while a drag on the canvas keeps drawing', async () => {
  const { page, problems } = await fresh();
  await page.getByTestId('batch-tab').click();
  await page.getByTestId('batch-count').fill('10000');
  await page.getByTestId('batch-count').press('Tab');
  await page.getByTestId('batch-generate').click();
  await page.getByTestId('batch-progress').waitFor({ timeout: 10000 });
  // In the page: one pointer move per animation frame, counted while the batch runs.
  const drag = await page.evaluate(async () => {
    const node = document.querySelector('.canvas [data-state-name="ProcessData"]');
    const b = node.getBoundingClientRect();
    const at = (i) => ({ clientX: b.x + 20 + (i % 60) * 3, clientY: b.y + 20 + (i % 60), bubbles: true, button: 0, pointerId: 1, isPrimary: true });
    const running = () => !!document.querySelector('[data-testid="batch-progress"]');
    node.dispatchEvent(new PointerEvent('pointerdown', at(0)));
    const gaps = [];
    let last = performance.now();
    const t0 = last;
    let moved = 0;
    const x = () => document.querySelector('.canvas [data-state-name="ProcessData"]')?.getBoundingClientRect().x;
    let prev = x();
    for (let i = 1; i <= 600 && running(); i++) {
      window.dispatchEvent(new PointerEvent('pointermove', at(i)));
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      const seen = x();
      if (seen !== prev) moved++;
      prev = seen;
    }
    const elapsed = performance.now() - t0;
    window.dispatchEvent(new PointerEvent('pointerup', at(0)));
    gaps.sort((a, b) => a - b);
    return { frames: gaps.length, moved, fps: (gaps.length * 1000) / elapsed, p90: gaps[Math.floor(gaps.length * 0.9)] ?? 0, worst: gaps.at(-1) ?? 0 };
  });
  await page.waitForFunction(() => /10000 of 10000 run/.test(document.querySelector('[data-testid="batch-summary"]')?.textContent ?? ''), null, { timeout: 60000 });
  console.log(`during the 10,000-scenario batch: ${drag.frames} frames, ${drag.fps.toFixed(0)} frames/s, frame gap p90 ${drag.p90.toFixed(1)} ms, worst ${drag.worst.toFixed(1)} ms; the node moved in ${drag.moved} frames`);
  assert.ok(drag.frames >= 10, `frames while the batch ran: ${JSON.stringify(drag)}`);
  assert.ok(drag.moved >= drag.frames / 2, `the drag moved the node: ${JSON.stringify(drag)}`);
  await screenshot(page, 'worker-batch.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Stop ends a batch with what it has done', async () => {
  const { page, problems } = await fresh();
  await page.getByTestId('batch-tab').click();
  await page.getByTestId('batch-count').fill('100000');
  await page.getByTestId('batch-count').press('Tab');
  await page.getByTestId('batch-generate').click();
  await page.getByTestId('batch-progress').waitFor({ timeout: 10000 });
  await page.getByTestId('batch-stop').click();
  await page.waitForFunction(() => /of 100000 run/.test(document.querySelector('[data-testid="batch-summary"]')?.textContent ?? ''), null, { timeout: 10000 });
  const summary = await page.getByTestId('batch-summary').textContent();
  const done = Number(summary.match(/^(\d+) of 100000/)[1]);
  assert.ok(done > 0 && done < 100000, summary);
  assert.deepEqual(problems, []);
  await page.close();
});

test('while the engine cannot start, a plain definition still opens, a template says why it did not and opens once the engine starts', { timeout: 90000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // The worker's wasm is held: the engine never says it listens (a slow or broken connection).
  let hold = true;
  const held = [];
  await page.context().route('**/statecraft-worker_bg.wasm', (route) => (hold ? held.push(route) : route.continue()));
  await page.goto(server.url);
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  const notice = () => page.locator('.notice').textContent();
  // A lone plain definition opens at once, in the page.
  const plain = JSON.stringify({ StartAt: 'Plain', States: { Plain: { Type: 'Pass', End: true } } }, null, 2);
  await page.getByLabel('Open file').setInputFiles({ name: 'plain.asl.json', mimeType: 'application/json', buffer: Buffer.from(plain) });
  await node(page, 'Plain').waitFor({ timeout: 5000 });
  assert.match(await notice(), /Opened plain\.asl\.json/);
  // A template needs the engine: past the start budget, the notice says why and what to do.
  const sam = 'Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: FromTemplate\n        States:\n          FromTemplate: {Type: Pass, End: true}\n';
  const open = () => page.getByLabel('Open file').setInputFiles({ name: 'template.yaml', mimeType: 'text/yaml', buffer: Buffer.from(sam) });
  await open();
  await page.waitForFunction(() => /template\.yaml was not opened/.test(document.querySelector('.notice')?.textContent ?? ''), null, { timeout: START_BUDGET_MS + 10000 });
  assert.equal(await notice(), 'template.yaml was not opened: the engine did not start within 20 s (its files may not have loaded). A fresh engine is starting: try again.');
  // The fresh engine starts once its files load: the same file opens.
  hold = false;
  // (The terminated worker's request is gone; the fresh one's goes through.)
  for (const route of held) await route.continue().catch(() => {});
  await open();
  await node(page, 'FromTemplate').waitFor({ timeout: 20000 });
  assert.match(await notice(), /Opened Flow from template\.yaml/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a worker whose script never loads is restarted three times, then the page says the engine could not start and to reload', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // Every worker fails before it can say a word: its start script is not there.
  let loads = 0;
  await page.context().route('**/statecraft-worker_loader.js', (route) => { loads++; return route.fulfill({ status: 404, body: 'gone' }); });
  await page.goto(server.url);
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  const down = page.getByTestId('engine-down');
  await down.waitFor({ timeout: 20000 });
  const words = 'The engine could not start: it failed 3 times in a row before it said a word (its files may not have loaded). Reload the page to try again.';
  assert.equal(await down.locator('span').textContent(), words);
  assert.equal(await down.getByRole('button', { name: 'Reload' }).count(), 1);
  // A Run asked now is told the same at once; no worker is started for it.
  await page.getByTestId('run-toggle').click();
  await page.getByTestId('run-start').click();
  await page.getByTestId('run-problem').waitFor({ timeout: 5000 });
  assert.equal(await page.getByTestId('run-problem').textContent(), words);
  assert.equal(loads, 3, `the worker's script was asked for ${loads} times`);
  assert.deepEqual(problems, []);
  await page.close();
});
