// The layout checker: loads definitions into the built page and counts, from the real DOM with
// the browser's real fonts, what would make a drawn workflow hard to read:
//   cut        a name's text overflowing its node (at the fit's zoom and again in full detail), or a
//              word of the name missing from the lines drawn (a word broken at a soft break, after
//              a hyphen or before a capital, is whole)
//   labelLabel two edge labels overlapping
//   labelNode  an edge label over a node (over a container, only its head counts when the edge
//              runs inside that container)
//   nodeNode   two nodes overlapping, neither nested in the other
//   outside    a node or a label outside the canvas after Fit
// in both layout directions, with the zoom Fit reached (how readable the whole is). The counts are in canvas units, half a pixel of tolerance.
// A big document (over 400 nodes, `data-drawn` not `all`) has no element per state at Fit: its
// overview's boxes are counted for `outside`, and the rest is counted screen by screen at a zoom
// where nodes are drawn (the minimap moves the view over the whole), each finding counted once.
//
//   node layout-check.mjs [files…]     (default: ../fixtures/layout-corpus/*.json; needs the
//                                        release build, STATECRAFT_DIST as for the tests)
// prints one line per definition and direction and the totals; exits 1 unless all are zero.
// `layout.test.mjs` runs the same check over a fixed set.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, launch, openPage, root } from './harness.mjs';

export const corpusDir = path.join(root, 'tests', 'fixtures', 'layout-corpus');
export const ZERO = Object.freeze({ cut: 0, labelLabel: 0, labelNode: 0, nodeNode: 0, outside: 0 });

/** The corpus's files, sorted. */
export async function corpusFiles() {
  return (await readdir(corpusDir)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(corpusDir, f));
}

/** How many states a machine holds, its branches' and processors' included. */
export function countStates(machine) {
  let n = 0;
  for (const s of Object.values(machine.States ?? {})) {
    n += 1;
    for (const b of s.Branches ?? []) n += countStates(b);
    const inner = s.ItemProcessor ?? s.Iterator;
    if (inner) n += countStates(inner);
  }
  return n;
}

/** Opens `text` as a new document, and waits until the canvas draws every state (a big one:
 * until its scene holds them, drawn or not). */
export async function loadDefinition(page, text, name = 'definition.asl.json') {
  const expected = countStates(JSON.parse(text));
  // Opened as a file, as a user brings a workflow in: a new document. (Pasting a 150-state
  // definition into the code editor takes minutes: see the report of #16.)
  await page.getByLabel('Open file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.waitForFunction((n) => {
    const canvas = document.querySelector('section.canvas');
    if (canvas?.dataset.states !== String(n)) return false;
    return canvas.dataset.drawn !== 'all' || document.querySelectorAll('.canvas [data-state-name]').length === n;
  }, expected, { timeout: 60000 });
}

/** Whether the page draws only part of the document (a big one). */
const culled = (page) => page.evaluate(() => document.querySelector('section.canvas').dataset.drawn !== 'all');

/** Lays the document out in `direction` ('TopDown' or 'LeftRight') and fits it in the view. */
export async function showFitted(page, direction) {
  const want = direction === 'TopDown' ? 'Lay out top down' : 'Lay out left to right';
  const flip = page.locator('.zoom-controls button[aria-label^="Lay out"]');
  // The button offers the other direction: when it offers the one wanted, we are not in it.
  if ((await flip.getAttribute('aria-label')) === want) await flip.click();
  await page.getByRole('button', { name: 'Fit to view' }).click();
  await settle(page);
}

/** Two frames: the view and the nodes' cells have been drawn. */
const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Zooms in to full detail (above 55 %, nodes show their icon and summary beside the name) in
 * one wheel turn over the canvas: how far in does not matter, the nodes' layout is the same. */
async function zoomIn(page) {
  const box = await page.locator('section.canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const zoomedOut = () => page.evaluate(() => document.querySelector('section.canvas').classList.contains('zoomed-out'));
  // (One turn multiplies the zoom by 90; a 300-state machine fits at under 1 %.)
  for (let i = 0; i < 6 && (await zoomedOut()); i++) {
    await page.mouse.wheel(0, -3000);
    await page.waitForTimeout(100);
  }
  if (await zoomedOut()) throw new Error('the canvas stays zoomed out');
  await settle(page);
}

/** What the page draws, counted (see the file's head). `cutOnly` counts the names alone. */
function measure(cutOnly) {
  // Whether the lines draw the name whole: each break on a space of the name, or inside a word
  // at a soft break (after - _ . / :, or a capital after a small letter or digit), as
  // `editor::text::holds_whole` says natively.
  const holdsWhole = (name, lines) => {
    const norm = (s) => s.split(/\s+/).filter(Boolean).join(' ');
    const want = norm(name);
    const soft = (a, b) => /[-_./:]/.test(a) || (/[\p{Ll}0-9]/u.test(a) && /\p{Lu}/u.test(b));
    let at = 0;
    for (const [i, raw] of lines.entries()) {
      const line = norm(raw);
      if (i > 0 && at < want.length) {
        if (want[at] === ' ') at += 1;
        else if (!(at > 0 && soft(want[at - 1], want[at]))) return false;
      }
      if (want.slice(at, at + line.length) !== line) return false;
      at += line.length;
    }
    return at === want.length;
  };
  const canvas = document.querySelector('section.canvas').getBoundingClientRect();
  const els = [...document.querySelectorAll('.canvas .node[data-node], .canvas .marker[data-marker]')];
  // Screen pixels per canvas unit: the world's transform, read off one node.
  const first = els.find((e) => e.offsetWidth > 0);
  const scale = first ? first.getBoundingClientRect().width / first.offsetWidth : 1;
  const eps = 0.5 * scale;
  const nodes = els.map((el) => {
    const container = el.classList.contains('container');
    return {
      el, container, id: el.dataset.node ?? el.dataset.marker, box: el.getBoundingClientRect(),
      head: el.querySelector('.node-head')?.getBoundingClientRect(),
    };
  });
  const over = (a, b) => a.left < b.right - eps && b.left < a.right - eps && a.top < b.bottom - eps && b.top < a.bottom - eps;
  // `inner` is `outer` or nested in it: a branch's states and markers carry its container's pointer.
  const within = (inner, outer) => inner === outer || inner.startsWith(outer + '/') || inner.startsWith(outer + '#');
  const counts = { cut: 0, labelLabel: 0, labelNode: 0, nodeNode: 0, outside: 0 };
  const cutNames = [];
  for (const n of nodes) {
    if (!n.el.dataset.stateName) continue;
    const lines = [...n.el.querySelectorAll('.node-line')];
    let cut = !holdsWhole(n.el.dataset.stateName, lines.map((l) => l.textContent));
    // The text may reach the node's padding, not its border; a container's name stays in its head.
    const limit = n.container ? n.head : n.box;
    for (const line of lines) {
      const range = document.createRange();
      range.selectNodeContents(line);
      const t = range.getBoundingClientRect();
      if (t.right > limit.right - scale + eps || t.left < limit.left - eps || t.bottom > limit.bottom + eps || t.top < limit.top - eps) cut = true;
    }
    if (cut) {
      counts.cut++;
      cutNames.push(n.el.dataset.stateName);
    }
  }
  const ids = nodes.filter((n) => n.el.dataset.stateName).map((n) => n.id);
  if (cutOnly) return { counts, cutNames, offenders: [], ids };
  const offenders = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const [a, b] = [nodes[i], nodes[j]];
      if (over(a.box, b.box) && !within(a.id, b.id) && !within(b.id, a.id)) {
        counts.nodeNode++;
        offenders.push(`node ${a.id} / node ${b.id}`);
      }
    }
  }
  const labels = [...document.querySelectorAll('.canvas .edge-label[data-edge]')].map((el) => ({ id: el.dataset.edge, box: el.getBoundingClientRect() }));
  labels.forEach((a, i) => {
    for (const b of labels.slice(i + 1)) {
      if (over(a.box, b.box)) {
        counts.labelLabel++;
        offenders.push(`label ${a.id} / label ${b.id}`);
      }
    }
    for (const n of nodes) {
      // An edge inside a container (its id starts with the container's pointer and a '/') may
      // cross the container's body, never its head.
      const obstacle = n.container && a.id.startsWith(n.id + '/') ? n.head : n.box;
      if (over(a.box, obstacle)) {
        counts.labelNode++;
        offenders.push(`label ${a.id} / node ${n.id}`);
      }
    }
  });
  const out = (b) => b.left < canvas.left - 0.5 || b.right > canvas.right + 0.5 || b.top < canvas.top - 0.5 || b.bottom > canvas.bottom + 0.5;
  for (const x of [...nodes, ...labels]) {
    if (out(x.box)) {
      counts.outside++;
      offenders.push(`outside: ${x.id}`);
    }
  }
  return { counts, cutNames, offenders, ids };
}

/** An overview's boxes outside the canvas (after Fit): each box of its paths, on the screen. */
function overviewOutside() {
  const canvas = document.querySelector('section.canvas').getBoundingClientRect();
  const offenders = [];
  for (const path of document.querySelectorAll('.canvas svg.overview path.overview-box')) {
    const m = path.getScreenCTM();
    for (const [, x, y, w, h] of path.getAttribute('d').matchAll(/M(-?[\d.]+) (-?[\d.]+)h(-?[\d.]+)v(-?[\d.]+)/g)) {
      const a = new DOMPoint(+x, +y).matrixTransform(m);
      const b = new DOMPoint(+x + +w, +y + +h).matrixTransform(m);
      if (a.x < canvas.left - 0.5 || a.y < canvas.top - 0.5 || b.x > canvas.right + 0.5 || b.y > canvas.bottom + 0.5) offenders.push(`outside: box at ${x},${y}`);
    }
  }
  return offenders;
}

/** Zooms to `zoom` (a fraction) with the wheel over the canvas's centre; the zoom reached. */
async function zoomTo(page, zoom) {
  const box = await page.locator('section.canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 4; i++) {
    const now = parseFloat(await page.locator('.zoom-level').textContent()) / 100;
    if (Math.abs(Math.log(now / zoom)) < 0.03) break;
    // (The canvas zooms by exp(-deltaY × 0.0015) a wheel event.)
    await page.mouse.wheel(0, -Math.log(zoom / now) / 0.0015);
    await settle(page);
  }
  return parseFloat(await page.locator('.zoom-level').textContent()) / 100;
}

/** Moves the view over the whole scene through the minimap, a screen less a tenth at a time, and
 * calls `visit` at each place once its items are drawn. */
async function walk(page, visit) {
  const map = await page.getByTestId('minimap').boundingBox();
  const { frame, scene } = await page.evaluate(() => {
    const f = document.querySelector('.minimap .minimap-view').getBBox();
    let s = null;
    for (const p of document.querySelectorAll('.minimap path.minimap-node')) {
      const b = p.getBBox();
      if (b.width === 0 && b.height === 0) continue;
      s = s ? { x: Math.min(s.x, b.x), y: Math.min(s.y, b.y), r: Math.max(s.r, b.x + b.width), b: Math.max(s.b, b.y + b.height) } : { x: b.x, y: b.y, r: b.x + b.width, b: b.y + b.height };
    }
    return { frame: { w: f.width, h: f.height }, scene: s };
  });
  const [sx, sy] = [Math.max(1, frame.w * 0.9), Math.max(1, frame.h * 0.9)];
  for (let y = scene.y + frame.h / 2 - 1; ; y += sy) {
    for (let x = scene.x + frame.w / 2 - 1; ; x += sx) {
      // (A press on the minimap centres the view there; the press is its own, not the canvas's.)
      await page.mouse.click(map.x + Math.min(x, map.width - 1), map.y + Math.min(y, map.height - 1));
      await settle(page);
      await visit();
      if (x + frame.w / 2 >= scene.r) break;
    }
    if (y + frame.h / 2 >= scene.b) break;
  }
}

/** The counts of a big document (see the file's head), with what they count. */
async function checkCulled(page) {
  const fitZoom = parseFloat(await page.locator('.zoom-level').textContent());
  const outside = await page.evaluate(overviewOutside);
  const offenders = new Set();
  const cutNames = new Set();
  // The states measured at each zoom: every one, when the walk covers the scene.
  const seen = [new Set(), new Set()];
  // Names only (zoomed out, still drawn), every count; then in full detail, the names.
  for (const [pass, [zoom, cutOnly]] of [[0.4, false], [0.7, true]].entries()) {
    const reached = await zoomTo(page, zoom);
    if (Math.abs(Math.log(reached / zoom)) > 0.05) throw new Error(`the canvas zoomed to ${reached}, not ${zoom}`);
    await walk(page, async () => {
      const r = await page.evaluate(measure, cutOnly);
      r.cutNames.forEach((n) => cutNames.add(n));
      r.ids.forEach((id) => seen[pass].add(id));
      // (The nodes and labels drawn around the view are off the screen: `outside` is Fit's.)
      r.offenders.filter((o) => !o.startsWith('outside')).forEach((o) => offenders.add(o));
    });
  }
  const all = [...offenders];
  const counts = {
    cut: cutNames.size,
    labelLabel: all.filter((o) => /^label .* \/ label /.test(o)).length,
    labelNode: all.filter((o) => /^label .* \/ node /.test(o)).length,
    nodeNode: all.filter((o) => o.startsWith('node ')).length,
    outside: outside.length,
  };
  return { counts, fitZoom, seen: seen.map((s) => s.size), details: [...[...cutNames].map((n) => `cut: ${n}`), ...all, ...outside] };
}

/** The checker's counts for the document on the page, laid out in `direction`, with what they count. */
export async function check(page, direction) {
  const t = [Date.now()];
  await showFitted(page, direction);
  if (await culled(page)) return checkCulled(page);
  // The zoom Fit reached (the corner's "12 %"): how readable the whole is.
  const fitZoom = parseFloat(await page.locator('.zoom-level').textContent());
  t.push(Date.now());
  const fitted = await page.evaluate(measure, false);
  t.push(Date.now());
  await zoomIn(page);
  t.push(Date.now());
  const full = await page.evaluate(measure, true);
  t.push(Date.now());
  if (process.env.LAYOUT_CHECK_TIMES) console.log('  fit, measure, zoom, measure (ms):', t.slice(1).map((x, i) => x - t[i]).join(', '));
  const cutNames = [...new Set([...fitted.cutNames, ...full.cutNames])];
  const counts = { ...fitted.counts, cut: cutNames.length };
  return { counts, fitZoom, details: [...cutNames.map((n) => `cut: ${n}`), ...fitted.offenders] };
}

/** Each file checked in both directions: [{ file, direction, counts, details, states }]. */
export async function checkFiles(page, files, log = () => {}) {
  const results = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const states = countStates(JSON.parse(text));
    await loadDefinition(page, text, path.basename(file));
    for (const direction of ['TopDown', 'LeftRight']) {
      const r = { file: path.basename(file), direction, states, ...(await check(page, direction)) };
      results.push(r);
      log(r);
    }
  }
  return results;
}

/** The counts summed over `results`. */
export function totals(results) {
  const t = { ...ZERO };
  for (const r of results) for (const k of Object.keys(t)) t[k] += r.counts[k];
  return t;
}

/** Opens the page at 1280 × 800 and waits for the seed's canvas. */
export async function openChecked(browser, url) {
  const { page, problems } = await openPage(browser, url, { width: 1280, height: 800 });
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  return { page, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const files = args.length ? args.map((f) => path.resolve(f)) : await corpusFiles();
  const browser = await launch();
  const server = await serveDist('/');
  const { page, problems } = await openChecked(browser, server.url);
  const started = Date.now();
  const results = await checkFiles(page, files, (r) => {
    const c = r.counts;
    const bad = Object.values(c).some((v) => v > 0);
    console.log(`${r.file.padEnd(44)} ${r.direction.padEnd(9)} ${String(r.states).padStart(4)} states  cut ${c.cut}  label/label ${c.labelLabel}  label/node ${c.labelNode}  node/node ${c.nodeNode}  outside ${c.outside}  fit ${r.fitZoom}%${bad ? '   ✗' : ''}`);
    for (const d of r.details.slice(0, 8)) console.log(`    ${d}`);
  });
  const t = totals(results);
  const states = results.filter((r) => r.direction === 'TopDown').reduce((s, r) => s + r.states, 0);
  console.log(`\n${files.length} definitions, ${states} states, both directions, ${((Date.now() - started) / 1000).toFixed(0)} s: cut ${t.cut}, label/label ${t.labelLabel}, label/node ${t.labelNode}, node/node ${t.nodeNode}, outside ${t.outside}`);
  if (problems.length) console.log('page problems:', problems);
  await server.close();
  await browser.close();
  process.exit(Object.values(t).some((v) => v > 0) || problems.length ? 1 : 0);
}
