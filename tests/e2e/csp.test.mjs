// The release build under its Content-Security-Policy (scripts/csp.mjs, a trunk post_build
// hook): the policy is in dist/index.html and dist/_headers, no inline script is left, and the
// app loads, edits, runs (in the engine worker) and exports with zero violations, under the <meta> policy alone and
// under the headers a static host sends from _headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveDist, launch, openPage, dist, drag, center } from './harness.mjs';
import { POLICY, HEADERS } from '../../scripts/csp.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The headers of dist/_headers (the `/*` block). */
async function distHeaders() {
  const text = await readFile(path.join(dist, '_headers'), 'utf8');
  const lines = text.split('\n');
  assert.equal(lines[0], '/*');
  return Object.fromEntries(lines.slice(1).filter((l) => l.trim()).map((l) => l.trim().split(/:\s(.*)/s).slice(0, 2)));
}

test('dist/ carries the policy and no inline script', async () => {
  const html = await readFile(path.join(dist, 'index.html'), 'utf8');
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${POLICY}" />`), html);
  for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    assert.match(attrs, /\ssrc="\.\//, `an inline script is left: ${body.slice(0, 80)}`);
  }
  assert.deepEqual(await distHeaders(), HEADERS);
  assert.match(POLICY, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(POLICY.match(/script-src[^;]*/)[0], /unsafe-inline/);
});

for (const [how, headers] of [['the <meta> policy', () => ({})], ['the _headers policy', distHeaders]]) {
  test(`the app works under ${how} with zero violations`, async () => {
    const server = await serveDist('/', await headers());
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript(() => {
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
      });
      const problems = [];
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`); });
      await page.goto(server.url);
      const node = page.locator('.canvas [data-state-name="ProcessData"]');
      await node.waitFor({ timeout: 20000 });
      // Styles the app sets as it is used: a dragged node, the code editor, the Run drawer, the Export panel and its PNG.
      const from = await center(node);
      await drag(page, from, { x: from.x + 60, y: from.y + 40 });
      await page.getByLabel('ASL definition').waitFor();
      await page.getByTestId('run-toggle').click();
      // A run: the engine worker's script and wasm load under the same policy.
      await page.getByTestId('run-start').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'SUCCEEDED', null, { timeout: 20000 });
      await page.getByTestId('run-toggle').click();
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Export' });
      await dialog.getByRole('tab', { name: 'diagram.svg', exact: true }).click();
      await dialog.getByRole('img', { name: 'Diagram' }).waitFor();
      await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download PNG' }).click()]);
      const violations = await page.evaluate(() => window.__violations);
      assert.deepEqual(violations, []);
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      await server.close();
    }
  });
}
