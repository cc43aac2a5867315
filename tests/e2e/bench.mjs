// Performance figures for the editor, measured in headless Chromium against dist/ (not a test:
// run `node bench.mjs` after `trunk build --release`). Prints one line per figure.
import { serveDist, launch, openPage, dist, codeText } from './harness.mjs';
import { distTable } from '../../scripts/page-weight.mjs';

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

/**
 * First load: a navigation to the seed drawn on the canvas, with a cold cache (a fresh browser
 * context each time, so nothing is cached and nothing is stored). Timed in the page from the
 * navigation's start (`performance.timeOrigin`) to the first frame painted after the seed's
 * start state is in the DOM; also when the code editor is there.
 */
async function firstLoad(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(() => {
    const done = (key, found) => {
      const seen = new MutationObserver(() => {
        if (!found()) return;
        seen.disconnect();
        requestAnimationFrame(() => setTimeout(() => { window[key] = performance.now(); }, 0));
      });
      seen.observe(document, { childList: true, subtree: true });
    };
    done('__drawn', () => document.querySelector('.canvas [data-state-name="ValidateInput"]'));
    done('__code', () => document.querySelector('.code-host .cm-content'));
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__drawn && window.__code, null, { timeout: 20000 });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
    return { drawn: window.__drawn, code: window.__code, html: nav.responseEnd, wasm: wasm?.responseEnd ?? NaN };
  });
  await context.close();
  return t;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await launch();
const server = await serveDist('/');
const loads = [];
for (let k = 0; k < 7; k++) loads.push(await firstLoad(browser, server.url));
const fmt = (key) => `${median(loads.map((l) => l[key])).toFixed(0)} ms`;
console.log(`first load, cold cache, navigation to the drawn seed: median ${fmt('drawn')} (code editor ready ${fmt('code')}; wasm downloaded at ${fmt('wasm')}; runs: ${loads.map((l) => l.drawn.toFixed(0)).join(', ')})`);

const { page } = await openPage(browser, server.url, { width: 1440, height: 900 });
await page.locator('[data-state-name="ValidateInput"]').waitFor({ timeout: 20000 });

const opens = [];
for (let k = 0; k < 3; k++) {
  await timeEdit(page, machine(5), () => document.querySelectorAll('.canvas [data-state-name]').length === 5);
  opens.push(await timeEdit(page, machine(500), () => document.querySelectorAll('.canvas [data-state-name]').length === 500));
}
opens.sort((a, b) => a.dom - b.dom);
console.log(`500-state definition, text to drawn canvas: median ${opens[1].dom.toFixed(0)} ms in the DOM, ${opens[1].frame.toFixed(0)} ms painted (runs: ${opens.map((o) => o.dom.toFixed(0)).join(', ')})`);

// A 2,000-state definition opened (the whole text replaced), to its canvas drawn.
const bigOpens = [];
for (let k = 0; k < 3; k++) {
  await timeEdit(page, machine(5), () => document.querySelectorAll('.canvas [data-state-name]').length === 5);
  bigOpens.push(await timeEdit(page, machine(2000), () => document.querySelectorAll('.canvas [data-state-name]').length === 2000));
}
bigOpens.sort((a, b) => a.dom - b.dom);
console.log(`2,000-state definition, text to drawn canvas: median ${bigOpens[1].dom.toFixed(0)} ms in the DOM, ${bigOpens[1].frame.toFixed(0)} ms painted (runs: ${bigOpens.map((o) => o.dom.toFixed(0)).join(', ')})`);

/** A keystroke-sized change at `n` states: F10 → G{k} in S10's resource, seven times; the median. */
async function keystrokes(n) {
  await timeEdit(page, machine(n), new Function(`return () => !!document.querySelector('.canvas [data-state-name="S${n - 1}"]')`)());
  // (S10 in view: the canvas may draw only what is.)
  await page.locator('[data-state-name="S10"]').scrollIntoViewIfNeeded().catch(() => {});
  const samples = [];
  for (let k = 0; k < 7; k++) {
    const text = await codeText(page);
    const at = text.search(/function:(F10|G\d)"/) + 'function:'.length;
    const end = text.indexOf('"', at);
    samples.push(await timeEdit(page, { from: at, to: end, insert: `G${k}` },
      new Function(`return () => !!document.querySelector('[data-state-name="S10"]') && document.querySelector('[data-state-name="S10"]').textContent.includes('G${k}')`)()));
  }
  samples.sort((a, b) => a.dom - b.dom);
  const mid = samples[3];
  console.log(`keystroke in the code to updated canvas at ${n} states: median ${mid.dom.toFixed(1)} ms in the DOM, ${mid.frame.toFixed(1)} ms painted (DOM min ${samples[0].dom.toFixed(1)}, max ${samples[6].dom.toFixed(1)})`);
}
await keystrokes(1000);
await keystrokes(200);

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

// The first load's bytes (scripts/page-weight.mjs prints them file by file; the service
// catalogue, fetched one service at a time when a document uses it, is not in it).
const weight = await distTable(dist);
const file = (re) => weight.rows.filter((r) => re.test(r.name)).reduce((t, r) => t + r.gz, 0);
console.log(`whole page gzipped: ${(weight.total.gz / 1024).toFixed(0)} KB (wasm ${(file(/\.wasm$/) / 1024).toFixed(0)} KB, CodeMirror ${(file(/codemirror/) / 1024).toFixed(0)} KB; ${(weight.total.raw / 1024).toFixed(0)} KB raw)`);
await browser.close();
await server.close();
