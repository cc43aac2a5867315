// Performance figures for the editor, measured in headless Chromium against dist/ (not a test:
// run `node bench.mjs` after `trunk build --release`). Prints one line per figure.
import { readdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { serveDist, launch, openPage, dist } from './harness.mjs';

function machine(n) {
  const States = {};
  for (let i = 0; i < n; i++) {
    const name = `S${i}`;
    if (i === n - 1) States[name] = { Type: 'Succeed' };
    else if (i % 9 === 4) States[name] = { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: i, Next: `S${Math.min(n - 1, i + 3)}` }], Default: `S${i + 1}` };
    else States[name] = { Type: 'Task', Resource: `arn:aws:lambda:eu-west-3:123456789012:function:F${i}`, Next: `S${i + 1}` };
  }
  return JSON.stringify({ StartAt: 'S0', States }, null, 2);
}

/** Sets the code text and times until `done()` holds in the page (checked every frame). */
async function timeEdit(page, text, done) {
  return page.evaluate(async ({ text, done }) => {
    const area = document.querySelector('[aria-label="ASL definition"]');
    const check = new Function(`return (${done})();`);
    const t0 = performance.now();
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    while (!check()) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  }, { text, done: done.toString() });
}

const browser = await launch();
const server = await serveDist('/');
const { page } = await openPage(browser, server.url, { width: 1440, height: 900 });
await page.locator('[data-state-name="ValidateInput"]').waitFor({ timeout: 20000 });

const t500 = await timeEdit(page, machine(500), () => document.querySelectorAll('.canvas [data-state-name]').length === 500);
console.log(`500-state definition, text to drawn canvas: ${t500.toFixed(0)} ms`);

await timeEdit(page, machine(200), () => document.querySelectorAll('.canvas [data-state-name]').length === 200);
const samples = [];
for (let k = 0; k < 5; k++) {
  const text = machine(200).replace('"Resource": "arn:aws:lambda:eu-west-3:123456789012:function:F10"', `"Resource": "arn:aws:lambda:eu-west-3:123456789012:function:G${k}"`);
  samples.push(await timeEdit(page, text, new Function(`return () => !!document.querySelector('[data-state-name="S10"]') && document.querySelector('[data-state-name="S10"]').textContent.includes('G${k}')`)()));
}
samples.sort((a, b) => a - b);
console.log(`keystroke in the code to updated canvas at 200 states: median ${samples[2].toFixed(0)} ms (min ${samples[0].toFixed(0)}, max ${samples[4].toFixed(0)})`);

// A node drag at 200 states: frames per second over 60 pointer moves.
const box = await page.locator('[data-state-name="S0"]').boundingBox();
const fps = await (async () => {
  await page.mouse.move(box.x + 20, box.y + 20);
  await page.mouse.down();
  const t0 = Date.now();
  for (let i = 0; i < 60; i++) {
    await page.mouse.move(box.x + 20 + i * 2, box.y + 20 + i);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  }
  await page.mouse.up();
  return 60000 / (Date.now() - t0);
})();
console.log(`node drag at 200 states: ${fps.toFixed(0)} frames/s (each move applied and painted)`);

let total = 0;
for (const f of await readdir(dist)) total += gzipSync(await readFile(path.join(dist, f))).length;
console.log(`whole page gzipped: ${(total / 1024).toFixed(0)} KB`);
await browser.close();
await server.close();
