// What the page's bytes are (issue #18, "Page weight"): run after `trunk build --release`.
//
//   node scripts/page-weight.mjs [DIST] [--wasm FILE] [--top N] [--json]
//
// 1. Every file trunk put in DIST (default: $STATECRAFT_DIST or dist/) with its raw and gzipped
//    (level 9) size, and two totals: what the first load fetches before the canvas is drawn
//    (what index.html runs, links and preloads) and what comes after the first paint (the code
//    editor's bundle, the engine worker). The service catalogue (catalogue/, fetched one
//    service at a time when a document uses it) is summed apart.
// 2. The wasm's code by crate and by module, read from its name section: the function bodies'
//    sizes, grouped by the crate (and module path) of each function's demangled name. The
//    shipped wasm has no names (wasm-opt drops them), so this reads cargo's own output,
//    `$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/statecraft-web.wasm` (or --wasm FILE):
//    the same code before wasm-bindgen and wasm-opt, so its sizes are larger than the shipped
//    ones by about the share wasm-opt takes off, and the proportions are what to read.
//    Per-crate "gz" is the gzipped size of that crate's function bodies laid end to end: an
//    estimate of what it adds to the download, not an exact share.
// No tool beyond node: the wasm's sections are read here (the binary format's LEB128 and name
// section), and Rust's legacy symbol mangling (`_ZN…E`) is undone here too.

import { readdir, readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The files under `dir`, as paths relative to it. */
async function files(dir) {
  const out = [];
  for (const f of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) out.push(path.relative(dir, path.join(f.parentPath ?? f.path, f.name)));
  }
  return out.sort();
}

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1);

/**
 * What index.html makes the browser fetch before the app can paint: itself, its stylesheets,
 * the scripts it runs (classic and module) and what it preloads (the page's wasm, its JS glue
 * and snippets). A script of a type the browser does not run (the code editor's bundle, which the
 * page starts after its first paint) and files index.html does not name (the engine worker, which
 * the page starts once the canvas is drawn) come later.
 */
export function firstPaintFiles(html) {
  const first = new Set(['index.html']);
  const later = new Set();
  const local = (url) => url.replace(/^\.?\//, '');
  for (const [, tag, attrs] of html.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const attr = (name) => new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i').exec(attrs)?.[1];
    if (tag.toLowerCase() === 'script') {
      const src = attr('src');
      if (!src) continue;
      const type = (attr('type') ?? '').toLowerCase();
      const runs = type === '' || type === 'module' || /^(text|application)\/(java|ecma)script$/.test(type);
      (runs ? first : later).add(local(src));
    } else {
      const rel = (attr('rel') ?? '').toLowerCase();
      const href = attr('href');
      if (href && !href.startsWith('data:') && ['stylesheet', 'modulepreload', 'preload'].includes(rel)) first.add(local(href));
    }
  }
  return { first, later };
}

/**
 * Raw and gzipped size of each file of the site, each with `phase`: `first paint` (what the
 * first load fetches before the canvas is drawn: `total`) or `after first paint` (the code
 * editor's bundle, the engine worker: `later`). The service catalogue, fetched one service at a
 * time when a document uses it, is summed apart; `_headers` is the host's, never fetched.
 */
export async function distTable(dist) {
  const rows = [];
  const catalogue = { files: 0, raw: 0, gz: 0 };
  let html = '';
  try { html = await readFile(path.join(dist, 'index.html'), 'utf8'); } catch { /* no page built */ }
  const { first } = firstPaintFiles(html);
  for (const name of await files(dist)) {
    if (name.includes('.stage') || name === '_headers') continue;
    const bytes = await readFile(path.join(dist, name));
    if (name.startsWith('catalogue' + path.sep)) {
      catalogue.files += 1;
      catalogue.raw += bytes.length;
      catalogue.gz += gz(bytes);
      continue;
    }
    const phase = first.has(name.split(path.sep).join('/')) ? 'first paint' : 'after first paint';
    rows.push({ name, phase, raw: bytes.length, gz: gz(bytes) });
  }
  rows.sort((a, b) => (a.phase === b.phase ? b.gz - a.gz : a.phase === 'first paint' ? -1 : 1));
  const sum = (list) => list.reduce((t, r) => ({ raw: t.raw + r.raw, gz: t.gz + r.gz }), { raw: 0, gz: 0 });
  const total = sum(rows.filter((r) => r.phase === 'first paint'));
  const later = sum(rows.filter((r) => r.phase !== 'first paint'));
  return { rows, total, later, catalogue };
}

// ---- the wasm binary format, as much as this needs ----

function reader(bytes) {
  let at = 0;
  const u32 = () => {
    let result = 0, shift = 0, b;
    do {
      b = bytes[at++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  };
  return {
    get at() { return at; },
    set at(v) { at = v; },
    u32,
    byte: () => bytes[at++],
    name: () => {
      const n = u32();
      const s = Buffer.from(bytes.buffer, bytes.byteOffset + at, n).toString('utf8');
      at += n;
      return s;
    },
  };
}

/**
 * A wasm module's sections, in order: `{ id, start, body, end }` (`start..end` the section's
 * whole bytes, `body` where its contents begin). Also what scripts/wasm-split.mjs cuts by.
 */
export function sections(bytes) {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  const r = reader(bytes);
  r.at = 8;
  const out = [];
  while (r.at < bytes.length) {
    const start = r.at;
    const id = r.byte();
    const size = r.u32();
    out.push({ id, start, body: r.at, end: r.at + size });
    r.at += size;
  }
  if (r.at !== bytes.length) throw new Error('not a wasm module');
  return out;
}

/** The sections of a wasm module: imports count, function bodies (with their index), names, data size. */
export function parseWasm(bytes) {
  const r = reader(bytes);
  let importedFunctions = 0;
  const bodies = [];
  const names = new Map();
  const table = [];
  for (const { id, body, end } of sections(bytes)) {
    const size = end - body;
    r.at = body;
    let label = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'][id] ?? `section ${id}`;
    if (id === 0) {
      const custom = r.name();
      label = `custom "${custom}"`;
      if (custom === 'name') {
        while (r.at < end) {
          const sub = r.byte();
          const subSize = r.u32();
          const subEnd = r.at + subSize;
          if (sub === 1) {
            const n = r.u32();
            for (let i = 0; i < n; i++) {
              const index = r.u32();
              names.set(index, r.name());
            }
          }
          r.at = subEnd;
        }
      }
    } else if (id === 2) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0) { r.u32(); importedFunctions++; }
        else if (kind === 1) { r.byte(); const flags = r.u32(); r.u32(); if (flags & 1) r.u32(); }
        else if (kind === 2) { const flags = r.u32(); r.u32(); if (flags & 1) r.u32(); }
        else if (kind === 3) { r.byte(); r.byte(); }
        else if (kind === 4) { r.byte(); r.u32(); }
      }
    } else if (id === 10) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const len = r.u32();
        bodies.push({ index: importedFunctions + i, start: r.at, size: len });
        r.at += len;
      }
    }
    table.push({ label, size });
  }
  return { bodies, names, sections: table };
}

// ---- Rust's legacy mangling: _ZN <len><ident>... E, with $..$ escapes ----

const ESCAPES = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',' };

function unescape(ident) {
  let s = (ident.startsWith('_$') ? ident.slice(1) : ident).replace(/\$([A-Z]+|u[0-9a-f]+)\$/g, (all, code) => {
    if (ESCAPES[code]) return ESCAPES[code];
    if (code.startsWith('u')) return String.fromCodePoint(parseInt(code.slice(1), 16));
    return all;
  });
  return s.replace(/\.\./g, '::');
}

/**
 * `_ZN4core3fmt5write17h…E` → `core::fmt::write`; a v0 symbol (`_RNvNtCs…_4core3fmt5write`,
 * as the prebuilt standard library has them) → its crate and the path after it, as far as plain
 * identifiers go; an already demangled name (wasm-ld writes most so) loses only its `_` prefix.
 */
export function demangle(sym) {
  if (sym.startsWith('_R')) {
    const crate = /C(?:s[0-9A-Za-z]*_)?(\d+)/.exec(sym);
    if (!crate) return sym;
    let i = crate.index + crate[0].length;
    const parts = [];
    let len = Number(crate[1]);
    for (;;) {
      parts.push(sym.slice(i, i + len).replace(/^_/, ''));
      i += len;
      const next = /^(\d+)/.exec(sym.slice(i));
      if (!next) break;
      i += next[0].length;
      len = Number(next[1]);
    }
    return parts.join('::');
  }
  if (sym.startsWith('_<')) return sym.slice(1);
  const m = /^_?_ZN(.*)E(\.llvm\.\d+)?$/.exec(sym);
  if (!m) return sym;
  const body = m[1];
  const parts = [];
  let i = 0;
  while (i < body.length) {
    const len = /^\d+/.exec(body.slice(i));
    if (!len) break;
    i += len[0].length;
    parts.push(unescape(body.slice(i, i + Number(len[0]))));
    i += Number(len[0]);
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) parts.pop();
  return parts.join('::');
}

/**
 * Where a function's code belongs: its crate and module path, `depth` segments deep. For
 * `<T as Trait>::f` it is T's (the type whose method was made), the trait's when T is not a path.
 */
export function owner(name, depth) {
  let s = demangle(name);
  const impl = /^<([^<> ]+)(?:<.*?>)?(?: as ([^<> ]+))?/.exec(s);
  if (s.startsWith('<') && impl) {
    const ty = impl[1].replace(/^&(mut )?/, '');
    s = ty.includes('::') ? ty : (impl[2] ?? ty);
  }
  s = s.replace(/^&(mut )?/, '');
  const segs = s.split('::').filter((x) => !x.startsWith('{{') && x !== '');
  if (segs.length < 2) return '(unnamed: wasm-bindgen glue, intrinsics)';
  // The project's own code one level deeper (statecraft::asl::jsonata, not statecraft::asl).
  const deep = segs[0] === 'statecraft' && depth > 1 ? depth + 1 : depth;
  return segs.slice(0, Math.min(deep, segs.length - 1)).join('::');
}

/** Function code grouped by owner at `depth` (1: crate, 2: crate::module). */
export function groups(bytes, wasm, depth) {
  const by = new Map();
  for (const b of wasm.bodies) {
    const key = owner(wasm.names.get(b.index) ?? '', depth);
    const g = by.get(key) ?? { name: key, raw: 0, count: 0, parts: [] };
    g.raw += b.size;
    g.count += 1;
    g.parts.push(bytes.subarray(b.start, b.start + b.size));
    by.set(key, g);
  }
  const list = [...by.values()];
  for (const g of list) {
    g.gz = gz(Buffer.concat(g.parts));
    delete g.parts;
  }
  return list.sort((a, b) => b.raw - a.raw);
}

function pad(s, n) { return String(s).padEnd(n); }
function lpad(s, n) { return String(s).padStart(n); }

async function main() {
  const args = process.argv.slice(2);
  const opt = (flag, fallback) => {
    const i = args.indexOf(flag);
    if (i < 0) return fallback;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const json = args.includes('--json') && args.splice(args.indexOf('--json'), 1);
  const top = Number(opt('--top', 25));
  const target = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
  const wasmFile = opt('--wasm', path.join(target, 'wasm32-unknown-unknown', 'release', 'statecraft-web.wasm'));
  const dist = path.resolve(args[0] ?? process.env.STATECRAFT_DIST ?? path.join(root, 'dist'));

  const table = await distTable(dist);
  const report = { dist, files: table.rows, total: table.total, catalogue: table.catalogue };
  let wasm;
  try {
    const bytes = await readFile(wasmFile);
    const parsed = parseWasm(bytes);
    const code = parsed.bodies.reduce((t, b) => t + b.size, 0);
    wasm = {
      file: wasmFile,
      modified: (await stat(wasmFile)).mtime.toISOString(),
      raw: bytes.length,
      sections: parsed.sections,
      code,
      crates: groups(bytes, parsed, 1),
      modules: groups(bytes, parsed, 2),
      named: parsed.names.size,
    };
    report.wasm = wasm;
  } catch (e) {
    report.wasmError = `${wasmFile}: ${e.message}`;
  }
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`Files in ${dist} (gz = gzip -9)`);
  console.log(`${pad('file', 52)} ${pad('when', 18)} ${lpad('raw KB', 9)} ${lpad('gz KB', 8)}`);
  for (const r of table.rows) console.log(`${pad(r.name, 52)} ${pad(r.phase, 18)} ${lpad(kb(r.raw), 9)} ${lpad(kb(r.gz), 8)}`);
  console.log(`${pad('total before the first paint', 71)} ${lpad(kb(table.total.raw), 9)} ${lpad(kb(table.total.gz), 8)}`);
  console.log(`${pad('total after the first paint', 71)} ${lpad(kb(table.later.raw), 9)} ${lpad(kb(table.later.gz), 8)}`);
  const c = table.catalogue;
  console.log(`(catalogue/, fetched per service when a document uses it: ${c.files} files, ${kb(c.raw)} KB raw, ${kb(c.gz)} KB gz; not in the first load)`);
  if (!wasm) {
    console.log(`\nNo wasm with names to read (${report.wasmError}); build with trunk first.`);
    return;
  }
  console.log(`\nThe wasm's code by crate, from ${path.relative(root, wasm.file) || wasm.file} (cargo's output before wasm-bindgen and wasm-opt, ${kb(wasm.raw)} KB; built ${wasm.modified})`);
  const sections = wasm.sections.filter((s) => s.size > 4096).map((s) => `${s.label} ${kb(s.size)} KB`).join(', ');
  console.log(`sections: ${sections}`);
  for (const [title, list] of [['crate', wasm.crates], ['module', wasm.modules]]) {
    console.log(`\n${pad(title, 60)} ${lpad('fns', 6)} ${lpad('raw KB', 9)} ${lpad('share', 6)} ${lpad('gz KB', 8)}`);
    for (const g of list.slice(0, top)) {
      console.log(`${pad(g.name.slice(0, 60), 60)} ${lpad(g.count, 6)} ${lpad(kb(g.raw), 9)} ${lpad(((100 * g.raw) / wasm.code).toFixed(1) + '%', 6)} ${lpad(kb(g.gz), 8)}`);
    }
    const rest = list.slice(top).reduce((t, g) => t + g.raw, 0);
    if (rest) console.log(`${pad(`(${list.length - top} more)`, 60)} ${lpad('', 6)} ${lpad(kb(rest), 9)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
