// Performance figures for the editor, measured in headless Chromium against dist/ (not a test:
// run `node bench.mjs` after `trunk build --release`). Prints one line per figure.
import { readdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { serveDist, launch, openPage, dist, codeText } from './harness.mjs';

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

/**
 * Edits the code as typing does (a user change in the code editor, replacing `from..to` with
 * `insert`; the whole text when `from` is null) and times until `done()` holds in the page:
 * `dom` when the canvas's DOM shows it, `frame` when the next frame after that has painted.
 */
async function timeEdit(page, edit, done) {
  return page.evaluate(async ({ edit, done }) => {
    const view = window.StatecraftCM.viewOf(document.querySelector('.code-host'));
    const check = new Function(`return (${done})();`);
    const tick = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
    const { from, to, insert } = typeof edit === 'string' ? { from: 0, to: view.state.doc.length, insert: edit } : edit;
    const t0 = performance.now();
    view.dispatch({ changes: { from, to, insert }, userEvent: 'input.type' });
    while (!check()) await tick();
    const dom = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { dom, frame: performance.now() - t0 };
  }, { edit, done: done.toString() });
}

const browser = await launch();
const server = await serveDist('/');
const { page } = await openPage(browser, server.url, { width: 1440, height: 900 });
await page.locator('[data-state-name="ValidateInput"]').waitFor({ timeout: 20000 });

const opens = [];
for (let k = 0; k < 3; k++) {
  await timeEdit(page, machine(5), () => document.querySelectorAll('.canvas [data-state-name]').length === 5);
  opens.push(await timeEdit(page, machine(500), () => document.querySelectorAll('.canvas [data-state-name]').length === 500));
}
opens.sort((a, b) => a.dom - b.dom);
console.log(`500-state definition, text to drawn canvas: median ${opens[1].dom.toFixed(0)} ms in the DOM, ${opens[1].frame.toFixed(0)} ms painted (runs: ${opens.map((o) => o.dom.toFixed(0)).join(', ')})`);

await timeEdit(page, machine(200), () => document.querySelectorAll('.canvas [data-state-name]').length === 200);
const samples = [];
for (let k = 0; k < 7; k++) {
  // One keystroke-sized change: F10 → G{k} in S10's resource.
  const text = await codeText(page);
  const at = text.search(/function:(F10|G\d)"/) + 'function:'.length;
  const end = text.indexOf('"', at);
  samples.push(await timeEdit(page, { from: at, to: end, insert: `G${k}` },
    new Function(`return () => !!document.querySelector('[data-state-name="S10"]') && document.querySelector('[data-state-name="S10"]').textContent.includes('G${k}')`)()));
}
samples.sort((a, b) => a.dom - b.dom);
const mid = samples[3];
console.log(`keystroke in the code to updated canvas at 200 states: median ${mid.dom.toFixed(1)} ms in the DOM, ${mid.frame.toFixed(1)} ms painted (DOM min ${samples[0].dom.toFixed(1)}, max ${samples[6].dom.toFixed(1)})`);

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
console.log(`node drag at 200 states, driven by playwright: ${fps.toFixed(0)} frames/s (each move applied and painted, with two CDP round trips per move)`);

// The same drag driven inside the page: the work each pointer move costs, and the frame rate
// when one move comes per animation frame.
const drag = await page.evaluate(async () => {
  const node = document.querySelector('[data-state-name="S1"]');
  const b = node.getBoundingClientRect();
  const tick = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
  const at = (i) => ({ clientX: b.x + 20 + i * 3, clientY: b.y + 20 + i, bubbles: true, button: 0, pointerId: 1, isPrimary: true });
  node.dispatchEvent(new PointerEvent('pointerdown', at(0)));
  const work = [];
  const t0 = performance.now();
  for (let i = 1; i <= 120; i++) {
    await new Promise((r) => requestAnimationFrame(r));
    const s = performance.now();
    const before = document.querySelector('[data-state-name="S1"]')?.getBoundingClientRect().x;
    window.dispatchEvent(new PointerEvent('pointermove', at(i)));
    while (document.querySelector('[data-state-name="S1"]')?.getBoundingClientRect().x === before) await tick();
    work.push(performance.now() - s);
  }
  const elapsed = performance.now() - t0;
  window.dispatchEvent(new PointerEvent('pointerup', at(120)));
  work.sort((a, b) => a - b);
  return { median: work[60], p90: work[108], fps: 120000 / elapsed };
});
console.log(`node drag at 200 states, in the page: ${drag.fps.toFixed(0)} frames/s; work per move median ${drag.median.toFixed(1)} ms, p90 ${drag.p90.toFixed(1)} ms`);

let total = 0;
for (const f of await readdir(dist, { recursive: true, withFileTypes: true })) {
  if (f.isFile() && !(f.parentPath ?? f.path).includes('.stage')) total += gzipSync(await readFile(path.join(f.parentPath ?? f.path, f.name))).length;
}
console.log(`whole page gzipped: ${(total / 1024).toFixed(0)} KB`);
await browser.close();
await server.close();
