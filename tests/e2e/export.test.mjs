// The Export panel: options change the generated files, state-machine.json downloads
// byte-identical to the code pane, "Download all" gives a zip of every file, and the diagram
// downloads as SVG and PNG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { openPage, screenshot, codeText, browser, server, useBrowser } from './harness.mjs';

useBrowser();

/** Clicks `locator` and gives the download's name and bytes. */
async function download(page, locator) {
  const [dl] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  return { name: dl.suggestedFilename(), bytes: await readFile(await dl.path()) };
}

/** Entries of a zip, read back by Python's zipfile: name → {mode, text}. */
function unzip(bytes) {
  const script = 'import sys, zipfile, io, json\nz = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\nassert z.testzip() is None\n'
    + 'print(json.dumps({i.filename: {"mode": oct(i.external_attr >> 16), "text": z.read(i).decode()} for i in z.infolist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: bytes }).toString());
}

test('the export panel previews, downloads one file or all of them, and follows its options', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await page.locator('.canvas [data-state-name]').first().waitFor({ timeout: 20000 });
  const code = await codeText(page);

  // A scenario added in the Run drawer, with a hostile name: run.sh starts it, quoted.
  await page.getByTestId('run-toggle').click();
  await page.getByTestId('scenario-add').click();
  const hostile = "Big order $(touch /tmp/pwned) `x` 'q'";
  await page.getByTestId('scenario-name').fill(hostile);
  await page.getByTestId('scenario-name').press('Tab');
  await page.getByTestId('run-toggle').click();

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.waitFor();
  const preview = dialog.getByTestId('export-preview');
  // The engine worker generates the files: the list is marked busy until the answer to the
  // latest options is shown.
  const settled = () => dialog.locator('.export-files[aria-busy="false"]').waitFor();
  await settled();
  const tab = (name) => dialog.getByRole('tab', { name, exact: true });
  const tabs = await dialog.getByRole('tab').allTextContents();
  assert.deepEqual(tabs, ['state-machine.json', 'deploy.sh', 'run.sh', 'logs.sh', 'cleanup.sh',
    'cloudformation.yaml', 'cloudformation.json', 'sam-template.yaml', 'diagram.svg']);

  // state-machine.json: shown and downloaded exactly as the code pane holds it.
  assert.equal(await preview.textContent(), code);
  const json = await download(page, dialog.getByRole('link', { name: 'Download', exact: true }));
  assert.equal(json.name, 'state-machine.json');
  assert.ok(json.bytes.equals(Buffer.from(code, 'utf8')), 'state-machine.json is byte-identical to the code pane');

  // run.sh: the document's scenarios (the seed's three and the one added above), each quoted.
  await tab('run.sh').click();
  const run = await preview.textContent();
  for (const expected of ["'Test 1 : Exécution réussie'", "'Big order $(touch /tmp/pwned) `x` '\\''q'\\'''"]) {
    assert.ok(run.includes(expected), `run.sh has ${expected}`);
  }
  await tab('state-machine.json').click();

  // Options: name, type, logging, X-Ray, alarm.
  await dialog.getByLabel('State machine name').fill('OrdersV2');
  await dialog.getByLabel('Type').selectOption('EXPRESS');
  await dialog.getByLabel('Logging level').selectOption('ALL');
  await dialog.getByLabel('Log group').fill('/aws/vendedlogs/states/orders-v2');
  await dialog.getByLabel('X-Ray tracing').check();
  await dialog.getByLabel('Alarm e-mail').fill('ops@example.com');
  await settled();
  await tab('deploy.sh').click();
  const deploy = await preview.textContent();
  for (const expected of ["STATE_MACHINE_NAME='OrdersV2'", '--type EXPRESS', "ALARM_EMAIL='ops@example.com'",
    '"level":"ALL"', '/aws/vendedlogs/states/orders-v2', 'put-metric-alarm', 'xray:PutTraceSegments']) {
    assert.ok(deploy.includes(expected), `deploy.sh has ${expected}`);
  }

  // Account and region written into the definition's ARNs, or kept as placeholders.
  await dialog.getByLabel('Region', { exact: true }).fill('us-east-1');
  await dialog.getByLabel('Write account and region into ARNs').check();
  await dialog.getByLabel('Account id').fill('123456789012');
  await settled();
  await tab('state-machine.json').click();
  const filled = await preview.textContent();
  assert.ok(filled.includes('arn:aws:lambda:us-east-1:123456789012:function:ValidateInput'), filled);
  assert.equal(filled.replaceAll('arn:aws:lambda:us-east-1:123456789012:', 'arn:aws:lambda:eu-west-3:ACCOUNT_ID:'), code);
  await dialog.getByLabel('Write account and region into ARNs').uncheck();
  await settled();
  assert.equal(await preview.textContent(), code);

  // A name AWS would refuse is explained, not exported.
  await dialog.getByLabel('State machine name').fill('bad name $(x)');
  await settled();
  assert.match(await dialog.getByRole('alert').textContent(), /name/i);
  await dialog.getByLabel('State machine name').fill('OrdersV2');
  await settled();

  // Download all: every file, scripts executable, the definition as in the code pane.
  const all = await download(page, dialog.getByRole('link', { name: 'Download all (.zip)' }));
  assert.equal(all.name, 'OrdersV2-export.zip');
  const entries = unzip(all.bytes);
  assert.deepEqual(Object.keys(entries), tabs);
  assert.equal(entries['state-machine.json'].text, code);
  assert.equal(entries['deploy.sh'].mode, '0o100755');
  assert.equal(entries['cloudformation.yaml'].mode, '0o100644');
  assert.ok(entries['deploy.sh'].text.includes("STATE_MACHINE_NAME='OrdersV2'"));
  assert.match(entries['diagram.svg'].text, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);

  // The diagram: previewed as an image, downloaded as SVG and as PNG.
  await tab('diagram.svg').click();
  await dialog.getByRole('img', { name: 'Diagram' }).waitFor();
  const svg = await download(page, dialog.getByRole('link', { name: 'Download', exact: true }));
  assert.equal(svg.name, 'diagram.svg');
  for (const name of ['ValidateInput', 'CheckValidation', 'ProcessData', 'SendNotification', 'HandleError']) {
    assert.ok(svg.bytes.toString().includes(`>${name}</text>`), name);
  }
  const png = await download(page, dialog.getByRole('button', { name: 'Download PNG' }));
  assert.equal(png.name, 'diagram.png');
  assert.ok(png.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'a PNG');
  const [width, height] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
  const svgWidth = Number(svg.bytes.toString().match(/width="(\d+)"/)[1]);
  assert.equal(width, svgWidth * 2, 'drawn at twice the size');
  assert.ok(height > 200, `height ${height}`);

  await tab('deploy.sh').click();
  await screenshot(page, 'export-panel.png');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await page.close();
});
