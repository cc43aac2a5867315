// Performance figures for the simulator, measured in headless Chromium against the release build
// (not a test: run `node tests/e2e/bench-sim.mjs` after `trunk build --release`; STATECRAFT_DIST
// picks the build). Prints one line per figure:
// - 10,000 generated order scenarios run as a batch in the page (target: ≤ 1 s), as the page
//   itself reports it (time slices, progress bar and final summary included);
// - the frame rate while a run is animated step by step (target: 60 fps).
import { serveDist, launch, openPage } from './harness.mjs';

const browser = await launch();
const server = await serveDist('/');
const { page } = await openPage(browser, server.url, { width: 1440, height: 900 });
await page.locator('[data-state-name="ValidateInput"]').waitFor({ timeout: 20000 });
await page.getByTestId('run-toggle').click();

// 1. Batches of 10,000 order scenarios.
await page.getByTestId('batch-tab').click();
await page.getByTestId('batch-count').fill('10000');
await page.getByTestId('batch-count').press('Tab');
const batches = [];
for (let k = 0; k < 3; k++) {
  const t0 = Date.now();
  await page.getByTestId('batch-generate').click();
  await page.waitForFunction(() => /10000 of 10000 run/.test(document.querySelector('[data-testid="batch-summary"]')?.textContent ?? ''), null, { timeout: 120000 });
  const wall = Date.now() - t0;
  const text = await page.getByTestId('batch-summary').textContent();
  const inPage = Number(text.match(/([\d.]+) ms in the page/)[1]);
  if (!/10000 passed · 0 failed/.test(text)) throw new Error(`unexpected batch result: ${text}`);
  batches.push({ inPage, wall });
}
batches.sort((a, b) => a.inPage - b.inPage);
console.log(`10,000 order scenarios in the page: median ${batches[1].inPage.toFixed(0)} ms (runs: ${batches.map((b) => b.inPage.toFixed(0)).join(', ')} ms; click to summary: ${batches.map((b) => b.wall).join(', ')} ms)`);

// 2. Frame rate while a 600-step run is animated at the fastest pace.
const loop = {
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Result: { i: 0 }, Next: 'Count' },
    Count: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'More' },
    More: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: 300, Next: 'Count' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  },
};
await page.getByLabel('ASL definition').click();
await page.keyboard.press('Control+a');
await page.keyboard.insertText(JSON.stringify(loop, null, 2));
await page.locator('[data-state-name="Done"]').waitFor();
await page.getByRole('button', { name: 'Scenario', exact: true }).click();
await page.getByTestId('run-pace').selectOption('16');
const frames = await page.evaluate(async () => {
  const times = [];
  let stop = false;
  const frame = (t) => { times.push(t); if (!stop) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  document.querySelector('[data-testid="run-start"]').click();
  await new Promise((r) => setTimeout(r, 3000));
  stop = true;
  const steps = document.querySelectorAll('[data-testid="history"] tr.event').length;
  return { times, steps };
});
const gaps = frames.times.slice(1).map((t, i) => t - frames.times[i]);
const fps = (gaps.length / (frames.times.at(-1) - frames.times[0])) * 1000;
gaps.sort((a, b) => a - b);
console.log(`animated run (16 ms pace): ${fps.toFixed(1)} fps over 3 s, frame gaps median ${gaps[Math.floor(gaps.length / 2)].toFixed(1)} ms, p95 ${gaps[Math.floor(gaps.length * 0.95)].toFixed(1)} ms, max ${gaps.at(-1).toFixed(1)} ms; ${frames.steps} history events drawn`);

await browser.close();
await server.close();
