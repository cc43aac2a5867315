// The Run drawer's execution tools (issue 16): stepping back through a finished run, the
// timeline of the seed with the course's Wait and Parallel, the verdict against the scenario's
// expected outcome, and redriving a failed run after its answer changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, useBrowser, paste, runOnce, waitForStatus, openRunDrawer as fresh, SEED, lambda, node, runClass, runStatus as status, chooseHandler, historyTypes } from './harness.mjs';

useBrowser();

/** The seed with the course's optional steps: "Étape 6" (WaitForApproval, 60 s, before
 * ProcessData) and "Étape 7" (SendEmail and SendSMS in parallel after it). */
function seedWithCourseSteps() {
  const def = structuredClone(SEED);
  def.States.CheckValidation.Choices[0].Next = 'WaitForApproval';
  def.States.WaitForApproval = { Type: 'Wait', Seconds: 60, Next: 'ProcessData' };
  def.States.ProcessData.Next = 'ParallelProcessing';
  def.States.ParallelProcessing = {
    Type: 'Parallel',
    ResultPath: null,
    Next: 'SendNotification',
    Branches: [
      { StartAt: 'SendEmail', States: { SendEmail: { Type: 'Task', Resource: lambda('SendEmail'), End: true } } },
      { StartAt: 'SendSMS', States: { SendSMS: { Type: 'Task', Resource: lambda('SendSMS'), End: true } } },
    ],
  };
  return def;
}

/** States lit on the canvas (run, or running), and edges taken. */
const lit = (page) => page.evaluate(() => ({
  states: document.querySelectorAll('.canvas .node.run-succeeded, .canvas .node.run-in-progress, .canvas .node.run-failed, .canvas .node.run-caught').length,
  edges: document.querySelectorAll('.canvas .edge.taken').length,
}));

test('stepping back through a seed run shrinks the lit path, and any moment can be selected', async () => {
  const { page, problems } = await fresh();
  await runOnce(page, 'SUCCEEDED');
  const end = await lit(page);
  assert.deepEqual(end, { states: 4, edges: 5 }, 'ValidateInput → CheckValidation → ProcessData → SendNotification, from start to end');
  const seen = [end];
  while (await page.getByTestId('run-back').isEnabled()) {
    await page.getByTestId('run-back').click();
    seen.push(await lit(page));
  }
  assert.ok(seen.length >= 5, `one moment per step: ${seen.length}`);
  assert.deepEqual(seen.at(-1), { states: 0, edges: 0 }, 'the first moment: started, nothing entered');
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].states <= seen[i - 1].states && seen[i].edges <= seen[i - 1].edges, JSON.stringify(seen));
  assert.equal(await status(page), 'RUNNING', 'a past moment is still running');
  assert.match(await page.getByTestId('run-verdict').textContent(), /pending/);
  // The history is the moment's: only ExecutionStarted.
  assert.deepEqual(await historyTypes(page), ['ExecutionStarted']);
  // A moment in the middle, picked on the slider: ProcessData not yet reached there.
  const slider = page.getByTestId('run-moment');
  const total = Number(await slider.getAttribute('max')) + 1;
  await slider.fill('2');
  await node(page, 'ProcessData').click();
  assert.match(await page.getByTestId('dataflow').textContent(), /Not reached at this moment/);
  assert.equal(await runClass(page, 'ValidateInput'), 'run-succeeded');
  // Stepping forward replays the moments up to the end.
  for (let i = 2; i < total - 1; i++) await page.getByTestId('run-step').click();
  assert.equal(await status(page), 'SUCCEEDED');
  assert.deepEqual(await lit(page), end);
  assert.match(await page.getByTestId('dataflow').textContent(), /after InputPath.*output/s);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the timeline shows the seed's Parallel branches as lanes and its Wait's minute; a bar selects its state", async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, problems } = await fresh({ width: 1440, height: 1000 });
    await page.emulateMedia({ colorScheme: scheme });
    await paste(page, seedWithCourseSteps());
    await runOnce(page, 'SUCCEEDED');
    const timeline = page.getByTestId('timeline');
    const lanes = await timeline.locator('.tl-row[data-lane]').evaluateAll((rows) => rows.map((r) => r.dataset.lane));
    assert.deepEqual(lanes, ['Execution', 'ParallelProcessing · branch 1', 'ParallelProcessing · branch 2']);
    const wait = timeline.locator('.tl-bar[data-state="WaitForApproval"]');
    assert.equal(await wait.getAttribute('data-duration-ms'), '60000');
    assert.match(await wait.getAttribute('title'), /WaitForApproval · 1 min 0 s/);
    assert.equal(await wait.locator('.seg-wait').count(), 1);
    // The branches start together, inside their Parallel.
    const box = async (state) => timeline.locator(`.tl-bar[data-state="${state}"]`).boundingBox();
    const [email, sms, parallel, check] = await Promise.all(['SendEmail', 'SendSMS', 'ParallelProcessing', 'CheckValidation'].map(box));
    assert.ok(Math.abs(email.x - sms.x) < 1, `${email.x} vs ${sms.x}`);
    assert.ok(email.y > parallel.y && sms.y > email.y, 'one lane below the other');
    assert.ok(email.x >= parallel.x - 0.5 && email.x + email.width <= parallel.x + parallel.width + 0.5);
    const waitBox = await wait.boundingBox();
    assert.ok(waitBox.width > 3 * check.width, 'the minute is visibly longer than a Choice');
    // Labels stay inside their bars and apart; axis labels apart.
    const overlaps = await page.evaluate(() => {
      const over = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
      const bars = [...document.querySelectorAll('.tl-bar')];
      let outside = 0;
      const labels = bars.map((b) => {
        const bar = b.getBoundingClientRect();
        const label = b.querySelector('.tl-label').getBoundingClientRect();
        const shown = { left: label.left, right: Math.min(label.right, bar.right), top: label.top, bottom: label.bottom };
        if (shown.left < bar.left - 0.5) outside++;
        return shown;
      });
      const ticks = [...document.querySelectorAll('.tl-tick')].map((t) => t.getBoundingClientRect());
      let count = 0;
      for (const group of [labels, ticks]) group.forEach((a, i) => { count += group.slice(i + 1).filter((b) => over(a, b)).length; });
      return { count, outside, ticks: ticks.length };
    });
    assert.deepEqual(overlaps, { count: 0, outside: 0, ticks: 2 });
    // A click on a bar selects its state and shows its data flow.
    await timeline.locator('.tl-bar[data-state="SendEmail"]').click();
    await page.waitForFunction(() => document.querySelector('.canvas [data-state-name="SendEmail"]')?.classList.contains('selected'));
    assert.match(await page.getByTestId('dataflow').textContent(), /Data flow of SendEmail/);
    assert.match(await timeline.locator('.tl-bar[data-state="SendEmail"]').getAttribute('class'), /selected/);
    await timeline.scrollIntoViewIfNeeded();
    await screenshot(page, `run-timeline-${scheme}.png`);
    await page.screenshot({ path: `/tmp/live-timeline-${scheme}.png` });
    await page.getByTestId('run-panel').screenshot({ path: `/tmp/live-drawer-${scheme}.png` });
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('the verdict says whether a run met its scenario, next to the status', async () => {
  const { page, problems } = await fresh();
  await runOnce(page, 'SUCCEEDED');
  assert.equal(await page.getByTestId('run-verdict').textContent(), '✓ as expected');
  await chooseHandler(page, 'ProcessData', 'throw', { error: 'Boom', cause: 'down' });
  await runOnce(page, 'SUCCEEDED');
  const missed = await page.getByTestId('run-verdict').textContent();
  assert.match(missed, /^✗ not as expected: ended in HandleError instead of SendNotification/);
  assert.match(await page.getByTestId('run-verdict').getAttribute('class'), /verdict-missed/);
  // Side by side with the status.
  const [s, v] = await Promise.all([page.getByTestId('run-status').boundingBox(), page.getByTestId('run-verdict').boundingBox()]);
  assert.ok(Math.abs(s.y - v.y) < 8 && v.x > s.x, 'on the same line, after it');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a failed run is redriven from the state that failed after its answer changed', async () => {
  const { page, problems } = await fresh();
  await chooseHandler(page, 'SendNotification', 'throw', { error: 'Mail.Unavailable', cause: 'SMTP down' });
  await runOnce(page, 'FAILED');
  assert.equal(await page.getByTestId('run-redrive').count(), 1);
  // Changing a handler keeps the finished run; the redrive uses the new answer.
  await chooseHandler(page, 'SendNotification', 'seed');
  assert.equal(await status(page), 'FAILED');
  await page.getByTestId('run-redrive').click();
  await waitForStatus(page, 'SUCCEEDED');
  assert.equal(await runClass(page, 'SendNotification'), 'run-succeeded');
  assert.match(await page.getByTestId('run-output').inputValue(), /Commande ORD-\d{5} confirmée/);
  assert.equal(await page.getByTestId('run-verdict').textContent(), '✓ as expected');
  const types = await historyTypes(page);
  const redriven = types.indexOf('ExecutionRedriven');
  assert.ok(redriven > 0 && types[redriven - 1] === 'ExecutionFailed', types.join(' '));
  assert.equal(types[redriven + 1], 'TaskStateEntered');
  assert.equal(types.at(-1), 'ExecutionSucceeded');
  assert.equal(types.filter((t) => t === 'TaskStateEntered').length, 4, 'ValidateInput, ProcessData, SendNotification twice: nothing that succeeded ran again');
  const bars = await page.getByTestId('timeline').locator('.tl-bar[data-state="SendNotification"]').evaluateAll((b) => b.map((x) => x.className.match(/run-[a-z-]+/)[0]));
  assert.deepEqual(bars, ['run-failed', 'run-succeeded']);
  assert.equal(await page.getByTestId('run-redrive').count(), 0, 'a succeeded run cannot be redriven');
  assert.deepEqual(problems, []);
  await page.close();
});
