// Accessibility: axe-core (npm, run inside the page) finds no serious or critical violation on
// the seed, on a 60-state workflow, on the Run drawer with a finished run (each of its views)
// and on the Export dialog, in the light and the dark theme (the page follows
// prefers-color-scheme); a dialog closed gives the focus back to its button; the handler
// picker's title says its whole choice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { openPage, root, browser, server, useBrowser, paste } from './harness.mjs';

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

useBrowser();

/** The serious and critical violations axe finds on the page as it is, one line each. */
async function violations(page) {
  // (Evaluated through the DevTools protocol: the page's CSP allows no inline script.)
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function open(scheme) {
  const { page, problems } = await openPage(browser, server.url);
  await page.emulateMedia({ colorScheme: scheme });
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  await page.waitForTimeout(150);
  return { page, problems };
}

for (const scheme of ['light', 'dark']) {
  test(`axe: the seed, ${scheme}`, async () => {
    const { page, problems } = await open(scheme);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test(`axe: a 60-state workflow, ${scheme}`, async () => {
    const { page, problems } = await open(scheme);
    const text = await readFile(path.join(root, 'tests/fixtures/layout-corpus/business-process-60-5.json'), 'utf8');
    await paste(page, text);
    await page.keyboard.press('Escape');
    await page.locator('section.canvas').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('f');
    await page.waitForTimeout(150);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test(`axe: the Run drawer with a finished run, each view, ${scheme}`, async () => {
    const { page, problems } = await open(scheme);
    await page.getByTestId('run-toggle').click();
    await page.getByTestId('run-start').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'SUCCEEDED', null, { timeout: 20000 });
    // A state selected: the data flow and the timeline's bar are shown for it.
    await page.locator('.canvas [data-state-name="ProcessData"]').click();
    const seen = {};
    seen.run = await violations(page);
    for (const tab of ['logs', 'vars', 'history']) {
      const button = page.getByTestId(`tab-${tab}`);
      if (await button.count()) {
        await button.click();
        seen[tab] = await violations(page);
      }
    }
    // A moment in the past: the slider and the step buttons as they are then.
    await page.getByTestId('run-back').click();
    seen.back = await violations(page);
    assert.deepEqual(seen, Object.fromEntries(Object.keys(seen).map((k) => [k, []])));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test(`axe: the Export dialog, ${scheme}`, async () => {
    const { page, problems } = await open(scheme);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await dialog.waitFor();
    await page.waitForTimeout(150);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('a dialog closed gives the focus back to the button that opened it', async () => {
  const { page, problems } = await open('light');
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent);
  for (const [opener, dialog] of [
    [page.getByRole('button', { name: 'Export', exact: true }), 'Export'],
    [page.getByRole('button', { name: 'Import', exact: true }), 'Import'],
    [page.getByRole('button', { name: 'Keyboard shortcuts' }), 'Keyboard shortcuts'],
  ]) {
    await opener.click();
    await page.getByRole('dialog', { name: dialog }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: dialog }).waitFor({ state: 'detached' });
    assert.equal(await focused(), dialog, `after the ${dialog} dialog closed`);
  }
  // Closed by a click on its backdrop too.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('dialog', { name: 'Export' }).waitFor();
  await page.mouse.click(3, 400);
  await page.getByRole('dialog', { name: 'Export' }).waitFor({ state: 'detached' });
  assert.equal(await focused(), 'Export');
  assert.deepEqual(problems, []);
  await page.close();
});

test("the Run drawer's handler picker says its whole choice on hover", async () => {
  const { page, problems } = await open('light');
  await page.getByTestId('run-toggle').click();
  const picker = page.locator('select[aria-label^="Handler of"]').first();
  await picker.waitFor();
  assert.equal(await picker.getAttribute('title'), 'default answer');
  await picker.selectOption('fail');
  await page.waitForFunction(() => document.querySelector('select[aria-label^="Handler of"]')?.title === 'fail N times, then succeed', null, { timeout: 5000 });
  assert.deepEqual(problems, []);
  await page.close();
});
