// Edge crossings of Statecraft's layered layout against dagre's (@dagrejs/dagre, pinned in
// package.json) on the same graphs: every graph level (machine, branch, processor) of every
// definition of the layout corpus, with the same node sizes (containers as the boxes our layout
// gives them), the same edge label sizes, and the same spacings.
//
// Both layouts' edges are polylines here (ours: each Bézier sampled by `layout_dump`; dagre's: its
// points), and crossings are counted the same way for both: proper intersections of two edges'
// segments, outside the nodes and away from the edges' ends (edges meeting at a node do not
// cross there).
//
//   npm ci                                  (in tests/layout-bench)
//   node bench-layout.mjs [files…]          (default: ../fixtures/layout-corpus/*.json)
//
// It builds and runs `cargo run --release --example layout_dump`; set CARGO_TARGET_DIR as usual.
import dagre from '@dagrejs/dagre';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const corpus = join(root, 'tests', 'fixtures', 'layout-corpus');
const files = process.argv.slice(2).length
  ? process.argv.slice(2).map((f) => resolve(f))
  : readdirSync(corpus).filter((f) => f.endsWith('.json')).sort().map((f) => join(corpus, f));

// Our layout's spacings (src/editor/layout.rs): between ranks, between nodes, a long edge's width.
const RANK_GAP = 64, NODE_GAP = 36, EDGE_W = 12;

// (BENCH_DEBUG=1: a debug build, when the release one would take too long to compile.)
const profile = process.env.BENCH_DEBUG ? [] : ['--release'];
const dump = JSON.parse(execFileSync('cargo', ['run', '--quiet', ...profile, '--example', 'layout_dump', '--', ...files], {
  cwd: root, maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
}));

/** dagre's layout of one level: node boxes by id and each edge's polyline. With `drawn`, only
 * the edges we draw in full (not those drawn as references to their target). */
function viaDagre(level, drawn = false) {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: NODE_GAP, ranksep: RANK_GAP, edgesep: EDGE_W });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of level.nodes) g.setNode(n.id, { width: n.w, height: n.h });
  for (const e of level.edges) {
    if (drawn && e.reference) continue;
    const label = e.label ? { width: e.label.w, height: e.label.h, labelpos: 'c' } : {};
    g.setEdge(e.from, e.to, label, e.id);
  }
  const t = performance.now();
  dagre.layout(g);
  const millis = performance.now() - t;
  const boxes = new Map(level.nodes.map((n) => {
    const d = g.node(n.id);
    return [n.id, { x: d.x - d.width / 2, y: d.y - d.height / 2, w: d.width, h: d.height }];
  }));
  const edges = level.edges.filter((e) => !drawn || !e.reference).map((e) => ({ ...e, points: g.edge({ v: e.from, w: e.to, name: e.id }).points.map((p) => [p.x, p.y]) }));
  return { boxes, edges, millis };
}

const inside = (p, b) => p[0] > b.x - 0.5 && p[0] < b.x + b.w + 0.5 && p[1] > b.y - 0.5 && p[1] < b.y + b.h + 0.5;

/** Where segments ab and cd cross properly, or null. */
function cross(a, b, c, d) {
  const r = [b[0] - a[0], b[1] - a[1]], s = [d[0] - c[0], d[1] - c[1]];
  const den = r[0] * s[1] - r[1] * s[0];
  if (Math.abs(den) < 1e-9) return null;
  const t = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / den;
  const u = ((c[0] - a[0]) * r[1] - (c[1] - a[1]) * r[0]) / den;
  if (t < 0 || t >= 1 || u < 0 || u >= 1) return null;
  return [a[0] + t * r[0], a[1] + t * r[1]];
}

/** The ends of two edges: where they meet when they share one (not a crossing). */
const ends = (a, b) => [a.points[0], a.points[a.points.length - 1], b.points[0], b.points[b.points.length - 1]];

/** Crossings between the edges' polylines, outside every node box (grid-binned). */
function crossings(edges, boxes) {
  const CELL = 160;
  const grid = new Map();
  const segs = [];
  edges.forEach((e, k) => {
    for (let i = 0; i + 1 < e.points.length; i++) {
      const [a, b] = [e.points[i], e.points[i + 1]];
      const s = segs.length;
      segs.push({ k, a, b });
      for (let gx = Math.floor(Math.min(a[0], b[0]) / CELL); gx <= Math.floor(Math.max(a[0], b[0]) / CELL); gx++) {
        for (let gy = Math.floor(Math.min(a[1], b[1]) / CELL); gy <= Math.floor(Math.max(a[1], b[1]) / CELL); gy++) {
          const key = gx + ',' + gy;
          if (!grid.has(key)) grid.set(key, []);
          grid.get(key).push(s);
        }
      }
    }
  });
  const all = [...boxes.values()];
  const seen = new Set();
  let count = 0;
  for (const cell of grid.values()) {
    for (let i = 0; i < cell.length; i++) {
      for (let j = i + 1; j < cell.length; j++) {
        const [p, q] = [segs[cell[i]], segs[cell[j]]];
        if (p.k === q.k) continue;
        const key = cell[i] < cell[j] ? cell[i] * 1e7 + cell[j] : cell[j] * 1e7 + cell[i];
        if (seen.has(key)) continue;
        seen.add(key);
        const x = cross(p.a, p.b, q.a, q.b);
        if (x && !all.some((b) => inside(x, b)) && !ends(edges[p.k], edges[q.k]).some((e) => Math.hypot(e[0] - x[0], e[1] - x[1]) < 4)) {
          count++;
          if (process.env.BENCH_PAIRS) console.log(`  ${edges[p.k].id} × ${edges[q.k].id} at ${x.map(Math.round)}`);
        }
      }
    }
  }
  return count;
}

/** The length of each edge's polyline. */
const lengths = (edges) => edges.map((e) => e.points.slice(1).reduce((sum, p, i) => sum + Math.hypot(p[0] - e.points[i][0], p[1] - e.points[i][1]), 0));
const length = { ours: [], dagre: [], 'dagre on the edges we draw in full': [] };
let [dagreDrawnTotal, references, edgeCount] = [0, 0, 0];

let [oursTotal, dagreTotal, oursMs, dagreMs, better, worse] = [0, 0, 0, 0, 0, 0];
console.log('definition'.padEnd(40), 'levels'.padStart(6), 'ours'.padStart(6), 'dagre'.padStart(6));
for (const f of dump) {
  let [ours, theirs] = [0, 0];
  oursMs += f.millis;
  for (const level of f.levels) {
    const boxes = new Map(level.nodes.map((n) => [n.id, n]));
    ours += crossings(level.edges, boxes);
    length.ours.push(...lengths(level.edges));
    const d = viaDagre(level);
    length.dagre.push(...lengths(d.edges));
    references += level.edges.filter((e) => e.reference).length;
    edgeCount += level.edges.length;
    dagreMs += d.millis;
    const here = crossings(d.edges, d.boxes);
    theirs += here;
    const dd = level.edges.some((e) => e.reference) ? viaDagre(level, true) : d;
    dagreDrawnTotal += dd === d ? here : crossings(dd.edges, dd.boxes);
    length['dagre on the edges we draw in full'].push(...lengths(dd.edges));
  }
  oursTotal += ours;
  dagreTotal += theirs;
  if (ours < theirs) better++;
  if (ours > theirs) worse++;
  console.log(relative(corpus, f.file).replace(/\.json$/, '').padEnd(40), String(f.levels.length).padStart(6), String(ours).padStart(6), String(theirs).padStart(6));
}
console.log(`total crossings: ours ${oursTotal}, dagre ${dagreTotal}; fewer on ${better}, more on ${worse} of ${dump.length} definitions`);
console.log(`edges drawn as references to their target: ${references} of ${edgeCount}; dagre given only the edges we draw in full: ${dagreDrawnTotal} crossings`);
const sum = (v) => v.reduce((a, b) => a + b, 0);
const share = (v, over) => v.filter((l) => l > over).length;
for (const [who, v] of Object.entries(length)) {
  v.sort((a, b) => a - b);
  console.log(`edge length, ${who}: total ${(sum(v) / 1000).toFixed(0)}k px, median ${v[v.length >> 1].toFixed(0)}, 95th percentile ${v[Math.floor(v.length * 0.95)].toFixed(0)}, longest ${v[v.length - 1].toFixed(0)}; longer than 1,000 px: ${share(v, 1000)} of ${v.length}`);
}
console.log(`layout time: ours ${oursMs.toFixed(0)} ms (whole machines, release), dagre ${dagreMs.toFixed(0)} ms (levels only)`);
