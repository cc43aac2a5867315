// Screenshots for review: the seed (light and dark), a 100-state machine, nested Parallel/Map.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot } from './harness.mjs';

let browser;
let server;
before(async () => { browser = await launch(); server = await serveDist('/'); });
after(async () => { await server?.close(); await browser?.close(); });

const node = (page, name) => page.locator(`[data-state-name=${JSON.stringify(name)}]`);

async function load(page, definition) {
  // Into the code editor as a user pastes: click, select all, insert.
  await page.getByLabel('ASL definition').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(JSON.stringify(definition, null, 2));
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
            Ship: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true },
            Refund: { Type: 'Fail', Error: 'NotPaid' } } } } } },
        { StartAt: 'Notify', States: { Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Next: 'Pause' }, Pause: { Type: 'Wait', Seconds: 30, End: true } } },
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
