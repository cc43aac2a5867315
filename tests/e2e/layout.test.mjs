// The layout checker (`layout-check.mjs`) over a fixed set of the layout corpus: long names,
// deep nesting, wide Choices, many Catches, 20 to 300 states. Every count is zero in both
// directions. (The whole corpus: `node layout-check.mjs`.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { browser, server, useBrowser, openPage, paste, pasteAsDocument, root } from './harness.mjs';
import { checkFiles, corpusDir, openChecked, ZERO } from './layout-check.mjs';

const FIXED = [
  'account-vending-machine', // the "Create New Organizational Unit…"
  'support-ticket-triage', // a Choice of nine rules
  'order-saga-compensations', // Catches to compensations
  'nested-depth-5-width-1-24', // Maps five deep
  'genomics-secondary-analysis', // a polling loop in a Map in a Parallel in a Map
  'multi-region-release', // four Parallel branches with loops
  'business-process-300-12', // 300 states
];

useBrowser();

test('the layout checker finds no cut name, overlap or node outside the fit on a fixed set, both directions', { timeout: 600000 }, async () => {
  const { page, problems } = await openChecked(browser, server.url);
  const results = await checkFiles(page, FIXED.map((n) => path.join(corpusDir, `${n}.json`)));
  assert.equal(results.length, 2 * FIXED.length);
  for (const r of results) {
    assert.deepEqual(r.counts, ZERO, `${r.file} ${r.direction}: ${r.details.slice(0, 6).join('; ')}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('a document of over 400 nodes, an overview at Fit, is checked screen by screen where its nodes are drawn, both directions', { timeout: 600000 }, async () => {
  const { page, problems } = await openChecked(browser, server.url);
  const results = await checkFiles(page, [path.join(corpusDir, 'business-process-600-13.json')]);
  for (const r of results) {
    assert.equal(r.states, 605);
    assert.deepEqual(r.counts, ZERO, `${r.direction}: ${r.details.slice(0, 6).join('; ')}`);
    // Every state was drawn and measured at both zooms of the walk.
    assert.deepEqual(r.seen, [605, 605], r.direction);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the checker counts what it looks for: a name in a bigger font, a label moved onto a node, a node onto another', { timeout: 120000 }, async () => {
  const { page } = await openChecked(browser, server.url);
  const [clean] = await checkFiles(page, [path.join(corpusDir, 'order-saga-compensations.json')]);
  assert.deepEqual(clean.counts, ZERO);
  await page.evaluate(() => {
    // (Through the CSSOM: the page's CSP allows no inline style sheet.)
    const names = [...document.querySelectorAll('.canvas .node-name')];
    names.slice(0, 3).forEach((n) => { n.style.fontSize = '30px'; });
    const node = document.querySelector('.canvas .node[data-node$="/Order Failed"]');
    const label = document.querySelector('.canvas .edge-label[data-edge]');
    label.style.left = `${parseFloat(node.style.left) + 20}px`;
    label.style.top = `${parseFloat(node.style.top) + 20}px`;
    const other = document.querySelector('.canvas .node[data-node$="/Order Completed Successfully"]');
    other.style.left = node.style.left;
    other.style.top = node.style.top;
  });
  const { check } = await import('./layout-check.mjs');
  const { counts } = await check(page, 'LeftRight'); // (the direction it is in: nothing is laid out again)
  assert.equal(counts.cut, 3, JSON.stringify(counts));
  assert.ok(counts.labelNode >= 1 && counts.nodeNode >= 1, JSON.stringify(counts));
  await page.close();
});

test('Fit shows a 60-state workflow readably: the layout wraps its long column into bands', { timeout: 120000 }, async () => {
  const { page, problems } = await openChecked(browser, server.url);
  const [top, left] = await checkFiles(page, [path.join(corpusDir, 'business-process-60-5.json')]);
  assert.deepEqual(top.counts, ZERO, top.details.join('; '));
  assert.deepEqual(left.counts, ZERO, left.details.join('; '));
  // Laid out as one column, top down, it fit at 7.9 % at 1280 × 800 (a thin column in the
  // middle of the canvas); wrapped into two columns, at about 12 %; with its far Catches drawn
  // as references to their shared handlers instead of edges through the gutters, at 15 % (left
  // to right 13 %).
  assert.ok(top.fitZoom >= 14, `top down fits at ${top.fitZoom} %`);
  assert.ok(left.fitZoom >= 12, `left to right fits at ${left.fitZoom} %`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a far Catch into a shared handler ends in a reference to it: clicking it selects the handler', { timeout: 120000 }, async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 1280, height: 800 });
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  await pasteAsDocument(page, JSON.parse(await readFile(path.join(corpusDir, 'business-process-60-5.json'), 'utf8')));
  const refs = page.locator('.canvas .edge-label.reference');
  assert.ok((await refs.count()) >= 10, `${await refs.count()} references`);
  const ref = refs.first();
  const target = await ref.getAttribute('data-reference');
  assert.ok((await ref.textContent()).endsWith(`→ ${target}`), await ref.textContent());
  assert.equal(await ref.getAttribute('title'), `Goes to ${target}: click to select it`);
  await ref.click();
  await page.locator('.canvas .node.selected').waitFor();
  assert.equal(await page.locator('.canvas .node.selected').getAttribute('data-state-name'), target);
  // The handler is in view.
  const canvas = await page.locator('section.canvas').boundingBox();
  const box = await page.locator('.canvas .node.selected').boundingBox();
  assert.ok(box.x >= canvas.x && box.x + box.width <= canvas.x + canvas.width && box.y >= canvas.y && box.y + box.height <= canvas.y + canvas.height, 'the handler is in view');
  assert.deepEqual(problems, []);
  await page.close();
});

// A machine pasted over the code in place of the seed is laid out elsewhere than the seed was:
// the view, which showed none of it, is fitted to it (it stayed on an empty corner of the new
// layout, the 93 states all out of sight, until the user pressed Fit).
test('a machine pasted in place of another, of which the view shows nothing, is brought into view whole', { timeout: 120000 }, async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 900 });
  const text = await readFile(path.join(root, 'tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json'), 'utf8');
  await paste(page, text);
  const count = () => page.evaluate(() => {
    const c = document.querySelector('.canvas').getBoundingClientRect();
    const nodes = [...document.querySelectorAll('.canvas [data-state-name]')];
    const seen = nodes.filter((n) => {
      const r = n.getBoundingClientRect();
      return r.right > c.left && r.left < c.right && r.bottom > c.top && r.top < c.bottom;
    });
    return { all: nodes.length, seen: seen.length };
  });
  await page.waitForFunction(() => document.querySelectorAll('.canvas [data-state-name]').length >= 93);
  const { all, seen } = await count();
  assert.ok(all >= 93, `${all} states drawn`);
  assert.equal(seen, all, `${seen} of ${all} states in the canvas's view`);
  assert.deepEqual(problems, []);
  await page.close();
});
