// Screenshots for review: the seed (light and dark), a 100-state machine, nested Parallel/Map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, browser, server, useBrowser, paste } from './harness.mjs';

useBrowser();

const node = (page, name) => page.locator(`[data-state-name=${JSON.stringify(name)}]`);

async function load(page, definition) {
  // Into the code editor as a user pastes: click, select all, paste.
  await paste(page, definition);
  await page.keyboard.press('Escape');
  await page.locator('.canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('f');
  await page.waitForTimeout(200);
}

function hundred() {
  const States = {};
  for (let i = 0; i < 100; i++) {
    const name = `Step${i}`;
    if (i === 99) States[name] = { Type: 'Succeed' };
    else if (i % 10 === 4) States[name] = { Type: 'Choice', Choices: [{ Variable: '$.retry', BooleanEquals: true, Next: `Step${Math.max(0, i - 3)}` }, { Variable: '$.skip', BooleanEquals: true, Next: `Step${Math.min(99, i + 4)}` }], Default: `Step${i + 1}` };
    else if (i % 10 === 7) States[name] = { Type: 'Wait', Seconds: 5, Next: `Step${i + 1}` };
    else States[name] = { Type: 'Task', Resource: `arn:aws:lambda:eu-west-3:123456789012:function:Fn${i}`, Next: `Step${i + 1}`, Catch: i % 10 === 2 ? [{ ErrorEquals: ['States.ALL'], Next: 'Step99' }] : undefined };
  }
  return { Comment: '100 states', StartAt: 'Step0', States };
}

const NESTED = {
  Comment: 'Nested Parallel and Map',
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Next: 'FanOut' },
    FanOut: {
      Type: 'Parallel', Next: 'Done',
      Branches: [
        { StartAt: 'ForEachOrder', States: { ForEachOrder: { Type: 'Map', ItemsPath: '$.orders', End: true,
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Charge', States: {
            Charge: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-3:123456789012:function:Charge', Next: 'Paid?' },
            'Paid?': { Type: 'Choice', Choices: [{ Variable: '$.paid', BooleanEquals: true, Next: 'Ship' }], Default: 'Refund' },
            Ship: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'https://sqs.eu-west-3.amazonaws.com/123456789012/shipping', 'MessageBody.$': '$' }, End: true },
            Refund: { Type: 'Fail', Error: 'NotPaid' } } } } } },
        { StartAt: 'Notify', States: { Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: 'arn:aws:sns:eu-west-3:123456789012:orders', 'Message.$': '$' }, Next: 'Pause' }, Pause: { Type: 'Wait', Seconds: 30, End: true } } },
      ],
    },
    Done: { Type: 'Succeed' },
  },
};

test('screenshots of the seed, 100 states and nested Parallel/Map, light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
    await page.waitForTimeout(200);
    await node(page, 'CheckValidation').click();
    await screenshot(page, `seed-${scheme}.png`);
    await load(page, hundred());
    await node(page, 'Step50').waitFor();
    assert.equal(await page.locator('.canvas [data-state-name]').count(), 100);
    await screenshot(page, `hundred-${scheme}.png`);
    await load(page, NESTED);
    await node(page, 'Charge').waitFor();
    await screenshot(page, `nested-${scheme}.png`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

/** What the page draws, measured by the browser: names wider than their node, labels over labels
 * or over state nodes (containers excepted: a branch's labels are inside its Parallel), and nodes
 * outside the canvas after fit. */
async function drawnProblems(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('.canvas').getBoundingClientRect();
    const nodes = [...document.querySelectorAll('.canvas .node')];
    let cut = 0, outside = 0;
    for (const n of nodes) {
      const box = n.getBoundingClientRect();
      for (const line of n.querySelectorAll('.node-line')) {
        const r = line.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(line);
        const text = range.getBoundingClientRect();
        if (text.right > box.right + 0.5 || line.scrollWidth > line.clientWidth + 1 || r.right > box.right + 0.5) cut++;
      }
      if (box.left < canvas.left - 0.5 || box.right > canvas.right + 0.5 || box.top < canvas.top - 0.5 || box.bottom > canvas.bottom + 0.5) outside++;
    }
    const over = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const labels = [...document.querySelectorAll('.canvas .edge-label')].map((l) => l.getBoundingClientRect());
    const states = nodes.filter((n) => !n.classList.contains('container')).map((n) => n.getBoundingClientRect());
    let labelLabel = 0, labelNode = 0;
    labels.forEach((a, i) => {
      labelLabel += labels.slice(i + 1).filter((b) => over(a, b)).length;
      labelNode += states.filter((b) => over(a, b)).length;
    });
    return { cut, labelLabel, labelNode, outside };
  });
}

test('long names are drawn whole, labels apart, and fit shows everything, both directions', async () => {
  const { readFile } = await import('node:fs/promises');
  const definition = JSON.parse(await readFile(new URL('../fixtures/layout-corpus/account-vending-machine.json', import.meta.url), 'utf8'));
  const { page, problems } = await openPage(browser, server.url, { width: 1440, height: 900 });
  await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
  await load(page, definition);
  const long = 'Create New Organizational Unit For The Account Vending Machine';
  await node(page, long).waitFor();
  assert.equal((await node(page, long).locator('.node-name').textContent()).trim(), long);
  const zero = { cut: 0, labelLabel: 0, labelNode: 0, outside: 0 };
  assert.deepEqual({ ...(await drawnProblems(page)), outside: 0 }, zero);
  assert.equal((await drawnProblems(page)).outside, 0, 'fit shows every node');
  await screenshot(page, 'long-names-fit.png');
  await page.getByRole('button', { name: 'Lay out left to right' }).click();
  await page.waitForTimeout(300);
  assert.deepEqual(await drawnProblems(page), zero);
  await screenshot(page, 'long-names-left-to-right.png');
  await page.getByRole('button', { name: 'Lay out top down' }).click();
  await page.waitForTimeout(300);
  // At about 100 %, the long name's node, whole.
  for (let i = 0; i < 12 && parseFloat(await page.locator('.zoom-level').textContent()) < 95; i++) {
    await page.getByRole('button', { name: 'Zoom in' }).click();
  }
  await node(page, long).scrollIntoViewIfNeeded();
  const box = await node(page, long).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  assert.deepEqual({ ...(await drawnProblems(page)), outside: 0 }, zero);
  await screenshot(page, 'long-names-100.png');
  assert.deepEqual(problems, []);
  await page.close();
});

/** What is wrong with the top bar at this size: taller than one row, an item outside it, the
 * document's name on more than one line, a text cut off without an ellipsis. */
async function topBarProblems(page) {
  return page.evaluate(() => {
    const bar = document.querySelector('.topbar').getBoundingClientRect();
    const out = [];
    if (bar.height > 56) out.push(`the bar is ${Math.round(bar.height)} px high`);
    for (const el of document.querySelectorAll('.topbar > *, .topbar .actions > *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || getComputedStyle(el).position === 'fixed') continue;
      if (r.right > bar.right + 0.5 || r.left < bar.left - 0.5 || r.top < bar.top - 0.5 || r.bottom > bar.bottom + 0.5) out.push(`${el.className || el.tagName} is outside the bar`);
    }
    const name = document.querySelector('[data-testid="doc-name"]');
    const range = document.createRange();
    range.selectNodeContents(name);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    if (lines > 1) out.push(`the document's name is on ${lines} lines`);
    for (const el of document.querySelectorAll('.topbar .brand, .topbar .tb, .topbar [data-testid="doc-name"], .topbar .docs-menu > button')) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow !== 'ellipsis') out.push(`"${el.textContent.trim()}" is cut`);
    }
    return out;
  });
}

/** The review set (issue #16): light and dark, at 1280 × 800 and 1920 × 1080, the seed, a
 * 60-state workflow, a finished run with the drawer open, and its timeline. Each is written to
 * tests/e2e/artifacts/review-*.png to be looked at; the test checks what can be checked: no
 * name cut, nothing overlapping, every node in the canvas after fit, the drawer leaving the
 * canvas room, the page drawing no horizontal scroll bar. */
test('review screenshots: seed, 60 states, a run with the drawer and its timeline, two sizes, light and dark', { timeout: 300000 }, async () => {
  const { readFile } = await import('node:fs/promises');
  const sixty = JSON.parse(await readFile(new URL('../fixtures/layout-corpus/business-process-60-5.json', import.meta.url), 'utf8'));
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1440, height: 900 }, { width: 1920, height: 1080 }]) {
    for (const scheme of ['light', 'dark']) {
      const tag = `${viewport.width}x${viewport.height}-${scheme}`;
      const { page, problems } = await openPage(browser, server.url, viewport);
      await page.emulateMedia({ colorScheme: scheme });
      await node(page, 'ValidateInput').waitFor({ timeout: 20000 });
      await page.getByRole('button', { name: 'Fit to view' }).click();
      await page.waitForTimeout(200);
      const zero = { cut: 0, labelLabel: 0, labelNode: 0, outside: 0 };
      assert.deepEqual(await drawnProblems(page), zero, `seed ${tag}`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `no horizontal scroll: ${tag}`);
      assert.deepEqual(await topBarProblems(page), [], `top bar ${tag}`);
      await screenshot(page, `review-seed-${tag}.png`);
      // A finished run, the drawer open: the canvas shrinks above it and still shows the states.
      await page.getByTestId('run-toggle').click();
      await page.getByTestId('run-start').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'SUCCEEDED', null, { timeout: 20000 });
      await node(page, 'ProcessData').click();
      await page.waitForTimeout(200);
      const canvas = await page.locator('section.canvas').boundingBox();
      assert.ok(canvas.height >= 140, `the canvas keeps room over the drawer: ${tag}`);
      await screenshot(page, `review-run-${tag}.png`);
      await page.getByTestId('timeline').scrollIntoViewIfNeeded();
      await page.getByTestId('timeline').screenshot({ path: (await import('node:path')).join((await import('./harness.mjs')).artifacts, `review-timeline-${tag}.png`) });
      await page.getByTestId('run-toggle').click();
      // The 60-state workflow, fitted, under a long name as real documents have.
      await page.getByTestId('doc-name').click();
      await page.getByLabel('Workflow name').fill('Customer order fulfilment with payment, stock and shipping');
      await page.getByLabel('Workflow name').press('Enter');
      await load(page, sixty);
      await page.getByRole('button', { name: 'Fit to view' }).click();
      await page.waitForTimeout(200);
      assert.deepEqual(await drawnProblems(page), zero, `60 states ${tag}`);
      assert.deepEqual(await topBarProblems(page), [], `top bar with a long name ${tag}`);
      await screenshot(page, `review-sixty-${tag}.png`);
      assert.deepEqual(problems, []);
      await page.close();
    }
  }
});
