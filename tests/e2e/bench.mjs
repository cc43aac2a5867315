// Performance figures for the editor, measured in headless Chromium against dist/ (not a test:
// run `node bench.mjs` after `trunk build --release`). Prints one line per figure.
//
//   node bench.mjs [--only=open500,open2000,...] [--runs=N] [DIST ...]
//
// --only keeps some measures (load, open500, open2000, fit2000, key1000, key200, drag, weight; all by
// default); --runs=N opens each big definition N times (3 by default), the median reported.
// With several builds (e.g. main's and a branch's), each is measured in the same run, first loads
// taken in turn so that the machine's load falls on all alike, and a table compares them.
import path from 'node:path';
import { serveDist, launch, openPage, dist, codeText, codeReady } from './harness.mjs';
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
 * Whether the canvas shows `machine(n)`: its scene has `n` states (`data-states`; a big scene
 * draws only the states near the view; a build without the attribute draws them all, counted)
 * and the state S5 is drawn (near the start, in view after
 * a paste; not in `machine(5)`, which the opens start from).
 */
const shows = (n) => new Function(`return () => {
  const states = document.querySelector('.canvas')?.dataset.states ?? String(document.querySelectorAll('.canvas [data-state-name]').length);
  return states === '${n}' && !!document.querySelector('.canvas [data-state-name="S${Math.min(n - 1, 5)}"]');
}`)();

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

const options = Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')));
const only = options.only ? new Set(options.only.split(',')) : null;
/** Whether the measure `name` is taken in this run (`--only`). */
const measured = (name) => !only || only.has(name);
const openRuns = Math.max(1, Number(options.runs ?? 3));
const paths = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dists = paths.length ? paths.map((d) => path.resolve(d)) : [dist];
const label = (d) => (dists.length > 1 ? `[${path.basename(d)}] ` : '');
const browser = await launch();
const servers = [];
for (const d of dists) servers.push(await serveDist('/', {}, d));
/** Every build's figures, for the table at the end. */
const figures = dists.map(() => ({}));

// First loads, the builds in turn.
const loads = dists.map(() => []);
for (let k = 0; k < (measured('load') ? 7 : 0); k++) for (const [i, s] of servers.entries()) loads[i].push(await firstLoad(browser, s.url));
for (const [i, d] of measured('load') ? dists.entries() : []) {
  const fmt = (key) => `${median(loads[i].map((l) => l[key])).toFixed(0)} ms`;
  figures[i].firstLoad = median(loads[i].map((l) => l.drawn));
  figures[i].codeReady = median(loads[i].map((l) => l.code));
  console.log(`${label(d)}first load, cold cache, navigation to the drawn seed: median ${fmt('drawn')} (code editor ready ${fmt('code')}; wasm downloaded at ${fmt('wasm')}; runs: ${loads[i].map((l) => l.drawn.toFixed(0)).join(', ')})`);
}

// Big definitions opened (the whole text replaced, from a 5-state one), the builds in turn run by
// run, so that the machine's load falls on all alike.
for (const n of [500, 2000].filter((n) => measured(`open${n}`))) {
  const pages = [];
  for (const s of servers) pages.push(await editorPage(s.url));
  const runs = dists.map(() => []);
  for (let k = 0; k < openRuns; k++) {
    for (const [i, page] of pages.entries()) {
      await timeEdit(page, machine(5), shows(5));
      runs[i].push(await timeEdit(page, machine(n), shows(n)));
    }
  }
  for (const [i, d] of dists.entries()) {
    const opens = runs[i].sort((a, b) => a.dom - b.dom);
    const mid = opens[Math.floor(opens.length / 2)];
    figures[i][`open${n}`] = mid;
    console.log(`${label(d)}${n.toLocaleString('en')}-state definition, text to drawn canvas: median ${mid.dom.toFixed(0)} ms in the DOM, ${mid.frame.toFixed(0)} ms painted (runs: ${opens.map((o) => o.dom.toFixed(0)).join(', ')})`);
  }
  for (const page of pages) await page.close();
}

// Fit at 2,000 states (everything in view, zoomed far out): the time to the painted frame, then
// the frames of a zoom by the wheel at that zoom (one small step a frame, in and out in turn).
for (const [i, d] of measured('fit2000') ? dists.entries() : []) {
  const page = await editorPage(servers[i].url);
  await timeEdit(page, machine(2000), shows(2000));
  const fit = await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const canvas = document.querySelector('.canvas');
    const t0 = performance.now();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'f', bubbles: true }));
    await frame();
    await frame();
    const fit = performance.now() - t0;
    const drawn = canvas.querySelectorAll('[data-state-name]').length;
    const b = canvas.getBoundingClientRect();
    const steps = [];
    for (let k = 0; k < 60; k++) {
      const s = performance.now();
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: k % 2 ? -2 : 2, clientX: b.x + b.width / 2, clientY: b.y + b.height / 2, bubbles: true, cancelable: true }));
      await frame();
      steps.push(performance.now() - s);
    }
    steps.sort((a, b) => a - b);
    return { fit, drawn, median: steps[30], p90: steps[54] };
  });
  figures[i].fit2000 = fit;
  console.log(`${label(d)}Fit at 2,000 states: ${fit.fit.toFixed(0)} ms to the painted frame (two frames), ${fit.drawn} state elements drawn; a wheel step at that zoom to its painted frame: median ${fit.median.toFixed(1)} ms, p90 ${fit.p90.toFixed(1)} ms`);
  await page.close();
}

for (const [i, d] of dists.entries()) if (['key1000', 'key200', 'drag'].some(measured)) await editing(servers[i].url, label(d), figures[i]);

// The first load's bytes (scripts/page-weight.mjs prints them file by file): before the first
// paint (what index.html runs and preloads) and after it (the code editor's bundle when it is
// loaded after the canvas is drawn, the engine worker). The service catalogue, fetched one
// service at a time when a document uses it, is in neither.
for (const [i, d] of measured('weight') ? dists.entries() : []) {
  const weight = await distTable(d);
  const first = weight.rows.filter((r) => r.phase === 'first paint');
  const later = weight.rows.filter((r) => r.phase !== 'first paint');
  const list = (rows) => rows.map((r) => `${r.name.replace(/-[0-9a-f]{16}/, '')} ${(r.gz / 1024).toFixed(0)}`).join(', ');
  figures[i].weight = weight;
  console.log(`${label(d)}whole page gzipped, before the first paint: ${(weight.total.gz / 1024).toFixed(0)} KB (${list(first)}; ${(weight.total.raw / 1024).toFixed(0)} KB raw)`);
  console.log(`${label(d)}after the first paint: ${(weight.later.gz / 1024).toFixed(0)} KB gzipped (${list(later)})`);
}

if (dists.length > 1) {
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  const ms = (n) => `${n.toFixed(n < 20 ? 1 : 0)} ms`;
  const fileGz = (w, re, phase) => w.rows.filter((r) => re.test(r.name) && (!phase || r.phase === phase)).reduce((t, r) => t + r.gz, 0);
  const rows = [
    ['page weight before first paint (gz)', (f) => kb(f.weight.total.gz)],
    ['  page wasm', (f) => kb(fileGz(f.weight, /^statecraft-web.*\.wasm$/, 'first paint'))],
    ['  JS glue + bootstrap + snippets', (f) => kb(fileGz(f.weight, /^(statecraft-web.*\.js|inline-.*\.js|snippets)/, 'first paint'))],
    ['  CodeMirror (in the first paint)', (f) => kb(fileGz(f.weight, /codemirror/, 'first paint'))],
    ['  CSS', (f) => kb(fileGz(f.weight, /\.css$/))],
    ['  HTML', (f) => kb(fileGz(f.weight, /\.html$/))],
    ['after first paint (gz)', (f) => kb(f.weight.later.gz)],
    ['  CodeMirror (loaded after)', (f) => kb(fileGz(f.weight, /codemirror/, 'after first paint'))],
    ['  worker wasm + JS', (f) => kb(fileGz(f.weight, /statecraft-worker/))],
    ['  page wasm parts (inspector, Run drawer, dialogs)', (f) => kb(fileGz(f.weight, /^statecraft-web.*\.wasm$/, 'after first paint'))],
    ['first load to drawn seed (median of 7)', (f) => ms(f.firstLoad)],
    ['  code editor ready', (f) => ms(f.codeReady)],
    ['open 500 states (DOM / painted)', (f) => `${ms(f.open500.dom)} / ${ms(f.open500.frame)}`],
    ['open 2,000 states (DOM / painted)', (f) => `${ms(f.open2000.dom)} / ${ms(f.open2000.frame)}`],
    ['Fit at 2,000 states, to painted / wheel step median, p90', (f) => `${ms(f.fit2000.fit)} / ${ms(f.fit2000.median)}, ${ms(f.fit2000.p90)}`],
    ['keystroke at 200 states (DOM / painted)', (f) => `${ms(f.key200.dom)} / ${ms(f.key200.frame)}`],
    ['keystroke at 1,000 states (DOM / painted)', (f) => `${ms(f.key1000.dom)} / ${ms(f.key1000.frame)}`],
  ];
  const have = (f, cell) => { try { return cell(f); } catch { return '-'; } };
  console.log(`\n| measure | ${dists.map((d) => path.basename(d)).join(' | ')} |`);
  console.log(`|---|${dists.map(() => '---').join('|')}|`);
  for (const [name, cell] of rows) {
    const cells = figures.map((f) => have(f, cell));
    if (cells.some((c) => c !== '-')) console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}

await browser.close();
for (const s of servers) await s.close();

/** A page of the build at `url` with the seed drawn and the code editor ready. */
async function editorPage(url) {
  const { page } = await openPage(browser, url, { width: 1440, height: 900 });
  await page.locator('[data-state-name="ValidateInput"]').waitFor({ timeout: 20000 });
  await codeReady(page);
  return page;
}

/** The editing figures of one build: keystrokes, drags. */
async function editing(url, label, out) {
  const page = await editorPage(url);

  /** A keystroke-sized change at `n` states: F10 → G{k} in S10's resource, seven times; the median. */
  async function keystrokes(n) {
    // (Through a short machine of the same names first: another machine in place of the one
    // shown is fitted whole, an overview at 1,000 states that draws no node; an edit of the
    // machine shown keeps the view, here on its first states.)
    await timeEdit(page, machine(20), shows(20));
    await timeEdit(page, machine(n), shows(n));
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
    out[`key${n}`] = mid;
    console.log(`${label}keystroke in the code to updated canvas at ${n} states: median ${mid.dom.toFixed(1)} ms in the DOM, ${mid.frame.toFixed(1)} ms painted (DOM min ${samples[0].dom.toFixed(1)}, max ${samples[6].dom.toFixed(1)})`);
  }
  if (measured('key1000')) await keystrokes(1000);
  if (measured('key200')) await keystrokes(200);
  if (!measured('drag')) return page.close();
  // (The drag is at 200 states: the keystrokes' machine, opened here when they were not measured.)
  if (!measured('key200')) await timeEdit(page, machine(200), shows(200));

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
  console.log(`${label}node drag at 200 states, driven by playwright: ${fps.toFixed(0)} frames/s (each move applied and painted, with two CDP round trips per move)`);

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
  console.log(`${label}node drag at 200 states, in the page: ${drag.fps.toFixed(0)} frames/s; work per move median ${drag.median.toFixed(1)} ms, p90 ${drag.p90.toFixed(1)} ms`);
  await page.close();
}
