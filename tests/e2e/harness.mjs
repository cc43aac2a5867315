// Shared by the e2e tests: serve the release build (dist/) on 127.0.0.1, under any sub-path,
// and launch Debian's Chromium through playwright-core; one browser and server a test file
// (`useBrowser`); bring a definition in as a person does (`paste`, `pasteAsDocument`); the Run
// drawer opened on the seed (`openRunDrawer`, with `SEED` the seed's definition), a handler
// chosen (`chooseHandler`), a run once to its status (`runOnce`, `waitForStatus`) and what it
// shows (`node`, `runClass`, `runStatus`, `historyTypes`).
import http from 'node:http';
import { before, after } from 'node:test';
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// STATECRAFT_DIST lets parallel work build and test its own copy (trunk build --dist DIR).
export const dist = process.env.STATECRAFT_DIST ? path.resolve(process.env.STATECRAFT_DIST) : path.join(root, 'dist');
export const artifacts = path.join(root, 'tests', 'e2e', 'artifacts');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

// Flags for Chromium as root on a machine with no network but loopback.
const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic'];

/** Serves dist/ (or `dir`) at `prefix` (e.g. '/' or '/tools/statecraft/'), with `headers` on every file; anything else is a 404. */
export async function serveDist(prefix = '/', headers = {}, dir = dist) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let p = decodeURIComponent(url.pathname);
    if (!p.startsWith(prefix)) return res.writeHead(404).end('not under ' + prefix);
    p = p.slice(prefix.length);
    const file = path.join(dir, p === '' || p.endsWith('/') ? p + 'index.html' : p);
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROME_ARGS });
}

/** A new page that records uncaught errors, console errors and failed requests. */
export async function openPage(browser, url, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(url);
  return { page, problems };
}

export async function screenshot(page, name) {
  await mkdir(artifacts, { recursive: true });
  const file = path.join(artifacts, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The code editor, there (its bundle is loaded after the canvas is drawn). */
export const codeReady = (page) => page.waitForFunction(() => window.StatecraftCM?.viewOf(document.querySelector('.code-host')), null, { timeout: 20000 });
/** The whole text of the code editor (it draws only the lines in view, so ask it). */
export async function codeText(page) {
  await codeReady(page);
  return page.evaluate(() => window.StatecraftCM.textOf(document.querySelector('.code-host')));
}
/** The definition in the code editor, parsed. */
export const definition = async (page) => JSON.parse(await codeText(page));

/** The centre of an element on the screen. */
export async function center(locator) {
  const b = await locator.boundingBox();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** A mouse drag in eight steps, as a hand moves. */
export async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / 8, from.y + ((to.y - from.y) * i) / 8);
  }
  await page.mouse.up();
}

/** The file's browser and the dist served at '/', set by [`useBrowser`] (live bindings: read them
 * inside tests, not at import time). */
export let browser;
export let server;

/** Launches the browser and serves the dist before the file's tests; closes both after. */
export function useBrowser() {
  before(async () => {
    browser = await launch();
    server = await serveDist('/');
  });
  after(async () => {
    await server?.close();
    await browser?.close();
  });
}

const asText = (definition) => (typeof definition === 'string' ? definition : JSON.stringify(definition, null, 2));

/** The name of a definition's last top-level state (the one drawn last), or null. */
function lastState(definition) {
  try {
    const d = typeof definition === 'string' ? JSON.parse(definition) : definition;
    return Object.keys(d?.States ?? {}).at(-1) ?? null;
  } catch {
    return null;
  }
}

/** Waits until the canvas draws the definition's last state (when it has one). */
async function drawn(page, definition) {
  const last = lastState(definition);
  if (last !== null) await page.locator(`.canvas [data-state-name=${JSON.stringify(last)}]`).first().waitFor();
}

/** Replaces the code as a user does: click in the code editor, select all, paste `definition`
 * (an object or a text). The paste is a real `paste` ClipboardEvent that CodeMirror handles as
 * it handles Ctrl+V, so the text arrives in one transaction. (`keyboard.insertText` goes through
 * Chromium's contenteditable editing, which takes seconds for a big definition: 8.7 s at 60
 * states.) Waits until the canvas draws the last state. */
export async function paste(page, definition) {
  const code = page.getByLabel('ASL definition');
  await code.click();
  await page.keyboard.press('Control+a');
  await code.evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, asText(definition));
  await drawn(page, definition);
}

/** Pastes a whole definition on the canvas, as a person does: it opens as a new document. */
export async function pasteAsDocument(page, definition) {
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.querySelector('.canvas').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, asText(definition));
  await drawn(page, definition);
}

/** The seed's Lambda function `name`. */
export const lambda = (name) => `arn:aws:lambda:eu-west-3:ACCOUNT_ID:function:${name}`;

/** The seed's order workflow (src/seed), as the page opens it. */
export const SEED = {
  Comment: 'Workflow de traitement de commande',
  StartAt: 'ValidateInput',
  States: {
    ValidateInput: { Type: 'Task', Resource: lambda('ValidateInput'), Next: 'CheckValidation', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleError' }] },
    CheckValidation: { Type: 'Choice', Choices: [{ Variable: '$.isValid', BooleanEquals: true, Next: 'ProcessData' }], Default: 'HandleError' },
    ProcessData: { Type: 'Task', Resource: lambda('ProcessData'), Next: 'SendNotification', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleError' }] },
    SendNotification: { Type: 'Task', Resource: lambda('SendNotification'), End: true },
    HandleError: { Type: 'Task', Resource: lambda('HandleError'), End: true },
  },
};

/** A fresh page on the file's server (see `useBrowser`), its canvas drawn and its Run drawer
 * open and ready to run. */
export async function openRunDrawer(viewport = { width: 1440, height: 960 }) {
  const { page, problems } = await openPage(browser, server.url, viewport);
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  await page.getByTestId('run-toggle').click();
  await page.getByTestId('run-start').waitFor();
  return { page, problems };
}

/** The canvas node of state `name`. */
export const node = (page, name) => page.locator(`.canvas [data-state-name=${JSON.stringify(name)}]`);
/** How the run colours state `name` (`run-succeeded`, `run-failed` ...), or undefined. */
export const runClass = async (page, name) => (await node(page, name).getAttribute('class')).match(/run-[a-z-]+/)?.[0];
/** The run's status as the drawer says it. */
export const runStatus = (page) => page.getByTestId('run-status').textContent();

/** Waits until the drawer says the run's status is `status` (e.g. SUCCEEDED). */
export async function waitForStatus(page, status, timeout = 20000) {
  await page.waitForFunction((s) => document.querySelector('[data-testid="run-status"]')?.textContent === s, status, { timeout });
}

/** Runs the open Run drawer's scenario once and waits for the run's `status` (e.g. SUCCEEDED). */
export async function runOnce(page, status) {
  await page.getByTestId('run-start').click();
  await waitForStatus(page, status);
}

/** Chooses the handler `kind` for the Task `state` in the Run drawer, filling its fields
 * (`params`: field name to value). */
export async function chooseHandler(page, state, kind, params = {}) {
  await page.locator(`.handler-row[data-handler="${state}"] select`).selectOption(kind);
  for (const [label, value] of Object.entries(params)) {
    const field = page.locator(`.handler-row[data-handler="${state}"] [data-testid="handler-${label}"]`);
    await field.fill(String(value));
    await field.press('Tab');
  }
}

/** The History tab's event types, in order (opens the tab). */
export async function historyTypes(page) {
  await page.getByTestId('tab-history').click();
  return page.locator('[data-testid="history"] tr.event td:nth-child(2)').allTextContents();
}
