// The static site's Content-Security-Policy, made at build time (a trunk post_build hook, see
// Trunk.toml; also runnable by hand: `node scripts/csp.mjs dist`).
//
// Trunk 0.21 starts the wasm with an inline <script type="module"> whose text (and so whose
// hash) changes with every build. This moves every inline script of index.html into a file of
// its own, named by the hash of its text, so the policy needs no hash and no 'unsafe-inline'
// for scripts. Then it writes the policy twice: a <meta http-equiv> in index.html (hosts that
// send no headers, such as GitHub Pages) and `_headers` (Netlify, Cloudflare Pages), which
// also carries what only a header can say (frame-ancestors) and the other security headers.
//
// Styles: Leptos sets `style` attributes (node and edge-label positions on the canvas) and
// CodeMirror 6 mounts its theme as <style> elements, so style-src keeps 'unsafe-inline'.
// Images: the favicon is `data:,` and the PNG export draws the diagram from a data: URL.

import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** What `_headers` sends with every file: the policy (with frame-ancestors, header-only) and the rest. */
export const HEADERS = {
  'Content-Security-Policy': `${POLICY}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** `html` with each inline script moved into a file (given back as [name, text]) and the policy's meta. */
export function harden(html) {
  const files = [];
  let out = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, (whole, attrs, body) => {
    if (/\ssrc\s*=/i.test(attrs) || body.trim() === '') return whole;
    const name = `inline-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`;
    files.push([name, body]);
    return `<script${attrs} src="./${name}"></script>`;
  });
  if (/<script\b(?![^>]*\ssrc\s*=)[^>]*>\s*\S/i.test(out)) throw new Error('an inline script is left');
  if (/\son[a-z]+\s*=/i.test(out.replace(/<script[\s\S]*?<\/script>/gi, ''))) throw new Error('an inline event handler attribute would be blocked');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${POLICY}" />`;
  out = out.replace(/(<meta charset="[^"]*"\s*\/?>)/i, `$1\n    ${meta}`);
  if (!out.includes(meta)) throw new Error('no <meta charset> to put the policy after');
  return { html: out, files };
}

async function main() {
  const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
  if (!dir) throw new Error('usage: node scripts/csp.mjs DIST_DIR (trunk gives TRUNK_STAGING_DIR)');
  const index = path.join(dir, 'index.html');
  const { html, files } = harden(await readFile(index, 'utf8'));
  for (const [name, text] of files) await writeFile(path.join(dir, name), text);
  await writeFile(index, html);
  const headers = Object.entries(HEADERS).map(([k, v]) => `  ${k}: ${v}\n`).join('');
  await writeFile(path.join(dir, '_headers'), `/*\n${headers}`);
  console.log(`csp: ${files.length} inline script(s) moved to files; policy in index.html and _headers`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(`csp: ${e.message}`);
    process.exit(1);
  });
}
