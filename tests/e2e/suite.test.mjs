// The Tests tab of the Run drawer (issue 17 §2): on the seed, generate a suite, run it, see every
// reachable edge covered on the canvas and what each scenario covers; break one expectation and
// see it fail; download the suite file and read it as `statecraft test` does; open a suite file
// that leaves edges out and see them drawn as never taken; a file that is not a suite is refused
// with where it is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openPage, screenshot, browser, server, useBrowser } from './harness.mjs';

useBrowser();

async function testsTab() {
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 960 });
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  await page.getByTestId('run-toggle').click();
  await page.getByTestId('suite-tab').click();
  await page.getByTestId('suite-generate').waitFor();
  return { page, problems };
}

const summary = (page) => page.getByTestId('suite-summary').textContent();
const edgeClasses = (page) => page.locator('.canvas path[data-edge]').evaluateAll((paths) => paths.map((p) => p.getAttribute('class')));

/** What `statecraft test` accepts (src/sim/suite/file.rs): these keys and no other. */
function assertSuiteFile(suite) {
  assert.equal(suite.statecraftSuite, 1);
  for (const key of Object.keys(suite)) assert.ok(['statecraftSuite', 'definition', 'scenarios'].includes(key), `unknown top-level field ${key}`);
  assert.ok(Array.isArray(suite.scenarios));
  const names = new Set();
  for (const s of suite.scenarios) {
    for (const key of Object.keys(s)) assert.ok(['name', 'input', 'handlers', 'expected'].includes(key), `unknown scenario field ${key}`);
    assert.equal(typeof s.name, 'string');
    assert.ok(!names.has(s.name), `two scenarios named ${s.name}`);
    names.add(s.name);
    if (s.expected) for (const key of Object.keys(s.expected)) assert.ok(['status', 'error', 'end_state', 'output'].includes(key), `unknown expectation ${key}`);
  }
}

test('generate a suite on the seed, run it, break an expectation, download the file', async () => {
  const { page, problems } = await testsTab();
  assert.match(await page.getByTestId('suite-empty').textContent(), /No suite yet/);

  await page.getByTestId('suite-generate').click();
  await page.getByTestId('suite-summary').waitFor({ timeout: 60000 });
  const generated = await summary(page);
  assert.match(generated, /100 % of reachable edges \((\d+) of \1\)/, generated);
  assert.match(generated, /· 0 fail/, generated);
  const rows = page.getByTestId('suite-row');
  const n = await rows.count();
  assert.ok(n >= 3, `${n} scenarios`);
  assert.equal(await page.locator('[data-testid="suite-row"][data-verdict="pass"]').count(), n);
  // What each scenario covers: the first starts at ValidateInput; together they take both ways out of CheckValidation.
  const covers = await page.getByTestId('suite-covers').allTextContents();
  assert.equal(covers.length, n);
  assert.match(covers[0], /covers \d+ \(\d+ new\): start → ValidateInput/);
  const all = covers.join('\n');
  for (const edge of ['CheckValidation → ProcessData', 'CheckValidation → HandleError', 'ValidateInput → HandleError', 'ProcessData → HandleError', 'SendNotification → end']) {
    assert.ok(all.includes(edge), `no scenario covers ${edge}`);
  }
  // The canvas: every edge taken, none never taken; the legend says what the styles mean.
  const classes = await edgeClasses(page);
  assert.ok(classes.length >= 7);
  assert.ok(classes.every((c) => c.includes('suite-taken')), classes.join('\n'));
  assert.match(await page.getByTestId('suite-legend').textContent(), /never taken: no scenario reaches it/);
  assert.match(await page.locator('.canvas [data-state-name="HandleError"]').getAttribute('class'), /suite-covered/);
  await screenshot(page, 'suite-generated.png');

  // Break the second scenario's expectation: it now expects the execution to fail.
  const expected = page.getByTestId('suite-expected').nth(1);
  const before = JSON.parse(await expected.inputValue());
  assert.equal(before.status, 'SUCCEEDED');
  await expected.fill(JSON.stringify({ ...before, status: 'FAILED' }));
  await expected.press('Tab');
  await page.getByTestId('suite-stale').waitFor();
  await page.getByTestId('suite-run').click();
  await page.waitForFunction(() => /· 1 fail/.test(document.querySelector('[data-testid="suite-summary"]')?.textContent ?? ''), null, { timeout: 30000 });
  assert.equal(await rows.nth(1).getAttribute('data-verdict'), 'fail');
  assert.match(await rows.nth(1).getByTestId('suite-mismatch').textContent(), /FAILED/);
  assert.equal(await page.locator('[data-testid="suite-row"][data-verdict="pass"]').count(), n - 1);
  assert.equal(await page.getByTestId('suite-stale').count(), 0);

  // The suite file: what `statecraft test` reads, with the broken expectation in it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('suite-download').click()]);
  assert.match(download.suggestedFilename(), /\.suite\.json$/);
  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  assertSuiteFile(file);
  assert.equal(file.definition, download.suggestedFilename().replace(/\.suite\.json$/, '.asl.json'));
  assert.equal(file.scenarios.length, n);
  assert.equal(file.scenarios[1].expected.status, 'FAILED');
  assert.ok(file.scenarios.some((s) => s.handlers && Object.keys(s.handlers).length > 0), 'injected handler choices are in the file');

  // The suite is saved with the document: after a reload the tab still has it.
  await page.waitForTimeout(1200);
  await page.reload();
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  await page.getByTestId('run-toggle').click();
  await page.getByTestId('suite-tab').click();
  assert.match(await page.getByTestId('suite-empty').textContent(), new RegExp(`suite has ${n} scenarios`));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a suite file that leaves edges out draws them as never taken; a broken file is refused with its place', async () => {
  const { page, problems } = await testsTab();
  await page.getByTestId('suite-generate').click();
  await page.getByTestId('suite-summary').waitFor({ timeout: 60000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('suite-download').click()]);
  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  // Only the first scenario: the happy path.
  const partial = { ...file, scenarios: file.scenarios.slice(0, 1) };
  await page.getByTestId('suite-open').setInputFiles({ name: 'partial.suite.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(partial, null, 2)) });
  await page.getByTestId('suite-empty').waitFor();
  await page.getByTestId('suite-run').click();
  await page.waitForFunction(() => /1 scenario ·/.test(document.querySelector('[data-testid="suite-summary"]')?.textContent ?? ''), null, { timeout: 30000 });
  const text = await summary(page);
  const [, covered, reachable] = text.match(/of reachable edges \((\d+) of (\d+)\)/);
  assert.ok(Number(covered) < Number(reachable), text);
  const classes = await edgeClasses(page);
  assert.equal(classes.filter((c) => c.includes('suite-never-taken')).length, Number(reachable) - Number(covered), classes.join('\n'));
  assert.ok(classes.some((c) => c.includes('suite-taken')));
  // The gaps are listed, as gaps.
  assert.match(await page.getByTestId('suite-missed').textContent(), /HandleError: no scenario reaches it|→ HandleError: no scenario reaches it/);
  await screenshot(page, 'suite-gaps.png');

  // Not a suite: refused, with the line and column, and the document's suite is kept.
  await page.getByTestId('suite-open').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"statecraftSuite": 1,\n "scenarios": 3}') });
  const alert = page.locator('.suite [role="alert"]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /bad\.json is not a suite file:\s*line 2:15: the scenarios are a JSON array/);
  assert.equal(await page.getByTestId('suite-row').count(), 1);
  // Clear coverage leaves the canvas as it was.
  await page.getByRole('button', { name: 'Clear coverage' }).click();
  assert.ok((await edgeClasses(page)).every((c) => !c.includes('suite-')));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Tests tab and the coverage on the canvas, light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, problems } = await testsTab();
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByTestId('suite-generate').click();
    await page.getByTestId('suite-summary').waitFor({ timeout: 60000 });
    // Break one expectation so a failure shows too.
    const expected = page.getByTestId('suite-expected').first();
    await expected.fill(JSON.stringify({ ...JSON.parse(await expected.inputValue()), status: 'TIMED_OUT' }));
    await expected.press('Tab');
    await page.getByTestId('suite-run').click();
    await page.waitForFunction(() => /· 1 fail/.test(document.querySelector('[data-testid="suite-summary"]')?.textContent ?? ''), null, { timeout: 30000 });
    await screenshot(page, `suite-${scheme}.png`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

// The suite runs in the engine worker (issue 18): a long one shows its progress, the page keeps
// answering, and Stop ends it between two slices with what it has run; the next job works.
test('a long suite runs in the engine with its progress, and Stop ends it', async () => {
  const { page, problems } = await testsTab();
  const total = 15000;
  const scenarios = Array.from({ length: total }, (_, i) => ({
    name: `order ${i + 1}`,
    input: JSON.stringify({ orderId: `A-${i}`, amount: (i % 500) + 1, customerEmail: 'a@example.com' }),
    expected: { status: 'SUCCEEDED' },
  }));
  const file = { statecraftSuite: 1, definition: 'order.asl.json', scenarios };
  await page.getByTestId('suite-open').setInputFiles({ name: 'long.suite.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.getByTestId('suite-empty').waitFor();
  assert.match(await page.getByTestId('suite-empty').textContent(), new RegExp(`${total} scenarios`));
  await page.getByTestId('suite-run').click();
  // Progress from the worker, slice by slice; Stop ends it between two slices.
  await page.waitForFunction((total) => new RegExp(`\\d+ of ${total} scenarios run`).test(document.querySelector('[data-testid="suite-busy"]')?.textContent ?? ''), total, { timeout: 20000 });
  assert.ok(await page.getByTestId('suite-stop').isEnabled());
  await page.getByTestId('suite-stop').click();
  const alert = page.locator('.suite [role="alert"]');
  await alert.waitFor({ timeout: 5000 });
  const [, done] = (await alert.textContent()).match(new RegExp(`stopped after (\\d+) of ${total} scenarios`)) ?? [];
  assert.ok(Number(done) > 0 && Number(done) < total, await alert.textContent());
  assert.equal(await page.getByTestId('suite-busy').count(), 0);
  assert.ok(await page.getByTestId('suite-stop').isDisabled());
  // The page answers: a state is selected on a click.
  await page.locator('.canvas [data-state-name="ProcessData"]').click();
  await page.waitForFunction(() => document.querySelector('.canvas [data-state-name="ProcessData"]')?.classList.contains('selected'), null, { timeout: 2000 });
  // A suite of thousands finishes with its summary and its first lines drawn.
  const some = { ...file, scenarios: scenarios.slice(0, 1200) };
  await page.getByTestId('suite-open').setInputFiles({ name: 'some.suite.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(some)) });
  await page.waitForFunction(() => /suite has 1200 scenarios/.test(document.querySelector('[data-testid="suite-empty"]')?.textContent ?? ''), null, { timeout: 5000 });
  await page.getByTestId('suite-run').click();
  await page.getByTestId('suite-summary').waitFor({ timeout: 30000 });
  assert.match(await summary(page), /1200 scenarios · 1200 pass · 0 fail/);
  assert.equal(await page.getByTestId('suite-row').count(), 300);
  assert.match(await page.getByTestId('suite-more').textContent(), /first 300 of 1200 scenarios/);
  // The same engine generates a suite next.
  await page.getByTestId('suite-generate').click();
  await page.getByTestId('suite-summary').waitFor({ timeout: 60000 });
  assert.match(await summary(page), /100 % of reachable edges/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a suite file opened in the page restores the handler choices it carries, one undo step', async () => {
  const { page, problems } = await testsTab();
  await page.getByTestId('suite-generate').click();
  await page.getByTestId('suite-summary').waitFor({ timeout: 60000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('suite-download').click()]);
  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  // The file says SendNotification answers with echo after 250 ms; the document says otherwise.
  const withChoices = { ...file, handlers: { ...(file.handlers ?? {}), SendNotification: { choice: { kind: 'echo' }, latency_ms: 250 } } };
  await page.getByTestId('suite-open').setInputFiles({ name: 'echo.suite.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(withChoices, null, 2)) });
  await page.getByRole('status').filter({ hasText: /Opened echo\.suite\.json: \d+ scenarios and the handler choices of \d+ tasks?/ }).waitFor();
  await page.getByRole('button', { name: 'Scenario', exact: true }).click();
  const select = page.locator('.handler-row[data-handler="SendNotification"] select');
  assert.equal(await select.inputValue(), 'echo');
  // One undo step puts the document's own choice back.
  await page.locator('.canvas').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('.handler-row[data-handler="SendNotification"] select')?.value !== 'echo', null, { timeout: 5000 });
  assert.deepEqual(problems, []);
  await page.close();
});
