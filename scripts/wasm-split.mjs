// The page's wasm cut in parts (issue #18, "Page weight"): a trunk post_build hook (Trunk.toml),
// also runnable by hand: `node scripts/wasm-split.mjs DIST_DIR` after a build whose page wasm
// was left unoptimized (index.html: data-wasm-opt="0").
//
// The code only the split points of `src/ui/lazy.rs` reach (the inspector, the Run drawer's
// body, the top bar's dialogs) leaves the first module. wasm-split-cli (Dioxus's splitter,
// installed by scripts/setup.sh) reads cargo's output, linked with its relocations (build.rs:
// --emit-relocs), to know what each split point reaches, and cuts wasm-bindgen's output (the
// `_bg.wasm` trunk staged) into the main module, one module per split point and chunks shared by
// several. The main module keeps all of the data and the parts write none (`withData`: the
// splitter's own cut of the data lost some the main module reads). Then, per file, what trunk
// would have done: wasm-opt -Oz with the page's flags. The
// main module takes the place of trunk's `_bg.wasm`; the others are written beside it, named by
// their content's hash. Its own loader script (the one wasm-split-cli writes is for its test
// harness's paths) becomes `statecraft-web-split-HASH.js`: the page's JS imports the split
// points' loaders from it (the `__wasm_split_placeholder__` module wasm-bindgen left, renamed),
// and index.html preloads it beside the page's JS. The integrity hashes trunk wrote for the
// page's JS and wasm are written again for the new files.
//
// A loader fetches a module (after the chunks it needs), instantiates it over the main module's
// memory, table and exports, and calls the waiting Rust future's callback; a failed fetch calls
// it with `false` (the part says it could not load) and is tried again on the next call.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sections } from './page-weight.mjs';

/** wasm-opt's settings for the page's modules: index.html's for the worker (README, "Page weight"). */
export const WASM_OPT = ['-Oz', '--low-memory-unused', '--enable-bulk-memory', '--enable-bulk-memory-opt',
  '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-reference-types', '--enable-multivalue'];

const hash = (bytes, n = 16) => createHash('sha256').update(bytes).digest('hex').slice(0, n);

/**
 * The loaders wasm-split-cli's script declares, as data: for each export, the file it loads and
 * the chunk loaders it needs first. (Its lines are
 * `export const NAME = makeLoad("/harness/split/FILE", [DEP, ...], fusedImports, initSync);`.)
 */
export function loaders(js) {
  const out = [];
  const re = /^export const (\w+) = makeLoad\("\/harness\/split\/([\w.-]+)", \[([^\]]*)\], fusedImports, initSync\);$/gm;
  for (const m of js.matchAll(re)) {
    out.push({ name: m[1], file: m[2], deps: m[3].split(',').map(s => s.trim()).filter(Boolean) });
  }
  return out;
}

/**
 * The page's split loader script. `files` maps each of wasm-split-cli's file names to the name it
 * is shipped under; `points` are the split points' module names (`___inspector___`), each of which
 * the Rust side imports as `__wasm_split_load_<module>`.
 */
export function loaderScript(mainJs, list, files, points) {
  const lines = [
    `// Written by scripts/wasm-split.mjs: loads the parts of the page's wasm cut off by its split points.`,
    `import { initSync } from './${mainJs}';`,
    `const main = () => initSync(undefined);`,
    `const fused = {};`,
    `function load(file, deps) {`,
    `  let done = null;`,
    `  return () => done ??= (async () => {`,
    `    await Promise.all(deps.map(dep => dep()));`,
    `    const exports = main();`,
    `    const response = await fetch(new URL(file, import.meta.url));`,
    `    if (!response.ok) throw new Error(\`\${file}: \${response.status}\`);`,
    `    const imports = { env: { memory: exports.memory }, __wasm_split: { ...exports, ...fused } };`,
    `    const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), imports);`,
    `    Object.assign(fused, instance.exports);`,
    `  })().catch(e => { done = null; throw e; });`,
    `}`,
    `function point(parts) {`,
    `  return (callback, data) => {`,
    `    Promise.all(parts.map(part => part())).then(() => true, e => { console.error('A part of the page could not be loaded', e); return false; })`,
    `      .then(ok => main().__indirect_function_table.get(callback)(data, ok));`,
    `  };`,
    `}`,
  ];
  for (const l of list) {
    lines.push(`const ${l.name} = load(${JSON.stringify(files[l.file])}, [${l.deps.join(', ')}]);`);
  }
  for (const p of points) {
    // wasm-split-cli names a module by the split point's module name without its underscores.
    const parts = list.filter(l => l.name.startsWith(`__wasm_split_load_${p.replace(/^_+|_+$/g, '')}_`)).map(l => l.name);
    if (parts.length === 0) throw new Error(`no module for the split point ${p}`);
    lines.push(`export const __wasm_split_load_${p} = point([${parts.join(', ')}]);`);
  }
  return lines.join('\n') + '\n';
}

const DATA = 11, DATA_COUNT = 12;

/**
 * `module` with its data (the data and data count sections) taken from `from`, or dropped
 * when `from` is null. wasm-split-cli zeroes in the main module the data it finds only a part
 * reaching, and the part writes it when it loads; its reading of which data each function
 * reaches missed some that the main module reads (a derived Debug's names came out empty), so
 * the main module keeps all of wasm-bindgen's data and the parts write none.
 */
export function withData(module, from) {
  const own = sections(module);
  const theirs = from ? sections(from).filter(s => s.id === DATA || s.id === DATA_COUNT) : [];
  const pieces = [module.subarray(0, 8)];
  for (const s of own) {
    if (s.id === DATA || s.id === DATA_COUNT) {
      const their = theirs.find(t => t.id === s.id);
      if (from && !their) throw new Error(`section ${s.id} missing from the original`);
      if (their) pieces.push(from.subarray(their.start, their.end));
    } else {
      pieces.push(module.subarray(s.start, s.end));
    }
  }
  return Buffer.concat(pieces);
}

/** index.html with `integrity` written again for the files named in `changed`, and `preload` modulepreloaded. */
export function reindex(html, dir, changed, preload) {
  let out = html.replace(/<link\b[^>]*>/gi, tag => {
    const href = /\shref="\.?\/?([^"]+)"/.exec(tag)?.[1];
    if (!href || !changed.includes(href) || !/\sintegrity="/.test(tag)) return tag;
    const digest = createHash('sha384').update(readFileSync(path.join(dir, href))).digest('base64');
    return tag.replace(/\sintegrity="[^"]*"/, ` integrity="sha384-${digest}"`);
  });
  const digest = createHash('sha384').update(readFileSync(path.join(dir, preload))).digest('base64');
  const link = `<link rel="modulepreload" href="./${preload}" crossorigin="anonymous" integrity="sha384-${digest}">`;
  out = out.replace(/<\/head>/i, `  ${link}\n  </head>`);
  if (!out.includes(link)) throw new Error('index.html has no </head>');
  return out;
}

function main() {
  const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
  if (!dir) throw new Error('usage: node scripts/wasm-split.mjs DIST_DIR (trunk gives TRUNK_STAGING_DIR)');
  const profile = process.env.TRUNK_PROFILE === 'debug' ? 'debug' : 'release';
  const target = process.env.CARGO_TARGET_DIR ?? path.join(process.env.TRUNK_SOURCE_DIR ?? process.cwd(), 'target');
  const original = path.join(target, 'wasm32-unknown-unknown', profile, 'statecraft-web.wasm');
  const names = readdirSync(dir);
  const bg = names.find(n => /^statecraft-web-[0-9a-f]+_bg\.wasm$/.test(n));
  const js = names.find(n => /^statecraft-web-[0-9a-f]+\.js$/.test(n));
  if (!bg || !js) throw new Error(`no statecraft-web wasm and JS in ${dir}`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'statecraft-split-'));
  try {
    const out = path.join(tmp, 'out');
    execFileSync('wasm-split-cli', ['split', original, path.join(dir, bg), out], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } });
    const list = loaders(readFileSync(path.join(out, '__wasm_split.js'), 'utf8'));
    const bindgened = readFileSync(path.join(dir, bg));
    const opt = (file) => {
      const data = path.join(tmp, `data-${file}`);
      writeFileSync(data, withData(readFileSync(path.join(out, file)), file === 'main.wasm' ? bindgened : null));
      const optimized = path.join(tmp, `opt-${file}`);
      execFileSync('wasm-opt', [...WASM_OPT, data, '-o', optimized], { stdio: 'inherit' });
      return readFileSync(optimized);
    };
    const mainModule = opt('main.wasm');
    writeFileSync(path.join(dir, bg), mainModule);
    const files = {};
    for (const l of list) {
      const bytes = opt(l.file);
      files[l.file] = `statecraft-web-${l.file.replace(/\.wasm$/, '').replace(/_+/g, '-').replace(/-$/, '')}-${hash(bytes)}.wasm`;
      writeFileSync(path.join(dir, files[l.file]), bytes);
    }

    // The split points the page's JS imports from wasm-bindgen's placeholder module.
    let pageJs = readFileSync(path.join(dir, js), 'utf8');
    const points = [...new Set([...mainModule.toString('latin1').matchAll(/__wasm_split_load_(___\w+?___)/g)].map(m => m[1]))];
    if (points.length === 0) throw new Error('the page wasm imports no split point loader');
    const script = loaderScript(js, list, files, points);
    const scriptName = `statecraft-web-split-${hash(script)}.js`;
    writeFileSync(path.join(dir, scriptName), script);
    // Only where the JS imports it: the imports object handed to the wasm keeps the module's name.
    const placeholder = /\bfrom (['"])__wasm_split_placeholder__\1/g;
    if (!placeholder.test(pageJs)) throw new Error(`${js} does not import __wasm_split_placeholder__`);
    pageJs = pageJs.replace(placeholder, `from './${scriptName}'`);
    writeFileSync(path.join(dir, js), pageJs);

    const index = path.join(dir, 'index.html');
    writeFileSync(index, reindex(readFileSync(index, 'utf8'), dir, [js, bg], scriptName));
    console.log(`wasm-split: ${bg} and ${list.length} parts: ${Object.values(files).join(', ')}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
