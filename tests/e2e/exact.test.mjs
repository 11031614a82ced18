// The exact run out, on the page: a Run JSON exported at step 137 and imported continues
// bit for bit (steps 138 to 200 are those of a run that never stopped, in Node), and the
// Export menu's exact PyTorch script carries the run's losses and, where PyTorch is
// installed, prints the same ones.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { useBrowser, openLab, step } from './helpers.mjs';

const { server, browser } = useBrowser();

let lab;
before(async () => {
  lab = await loadInitscope();
});

async function exportItem(page, testid) {
  if (!(await page.isVisible('[data-testid="export-panel"]'))) await page.click('[data-testid="btn-export"]');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
  return { name: dl.suggestedFilename(), text: await readFile(await dl.path(), 'utf8') };
}

const HASH = `seed=5&opt=adam&lr=0.01&batch=32&clipNorm=1&layers=${encodeURIComponent('12:tanh|6:tanh|1:sigmoid')}`;

test('a Run JSON exported at step 137 and imported continues bit for bit to step 200', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: `${HASH}&step=137` });
  await page.waitForFunction(() => document.body.dataset.step === '137' && document.body.dataset.settled === 'true');
  const saved = JSON.parse((await exportItem(page, 'export-json')).text);
  assert.equal(saved.state.step, 137);
  assert.equal(saved.state.format, 'initscope-run-state');

  // A fresh page imports it and trains 63 more steps.
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('[data-testid="btn-import"]');
  await page.waitForSelector('[data-testid="import-text"]');  // its code loads on the first open
  await page.evaluate((value) => { document.querySelector('[data-testid="import-text"]').value = value; }, JSON.stringify(saved));
  await page.click('[data-testid="import-apply"]');
  await page.waitForFunction(() => document.body.dataset.step === '137');
  for (let s = 138; s <= 200; ++s) {
    await page.click('[data-testid="btn-step"]');
    await page.waitForFunction((want) => Number(document.body.dataset.step) === want, s);
  }
  await page.waitForFunction(() => document.body.dataset.settled === 'true');
  const continued = JSON.parse((await exportItem(page, 'export-json')).text);

  // The same config straight to 200 in Node: the same losses, weights and state.
  const straight = lab.createRun(saved.config);
  straight.step(200);
  const snap = straight.snapshot();
  assert.equal(continued.step, 200);
  assert.deepEqual(continued.history.step, Array.from(snap.history.step));
  assert.deepEqual(continued.history.minibatchLoss, Array.from(snap.history.loss));
  const state = straight.exportState();
  assert.equal(continued.state.params, state.params, 'the weights after 200 steps, bit for bit');
  assert.deepEqual(continued.state.optimizer, state.optimizer);
  assert.deepEqual(continued.evaluations.at(-1), { step: 200, ...straight.evaluate() });
  straight.dispose();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a compared run\'s Run JSON carries every run\'s state: run B imported alone continues bit for bit', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: `${HASH}&runs=2&b.lr=0.02&b.seed=9&step=37` });
  await page.waitForFunction(() => document.body.dataset.step === '37' && document.body.dataset.settled === 'true');
  await page.click('[data-testid="edit-run-B"]');
  const saved = JSON.parse((await exportItem(page, 'export-json')).text);
  assert.deepEqual(saved.runs.map((r) => [r.label, r.state?.step, r.edited ?? false]), [['A', 37, false], ['B', 37, true]]);

  // A fresh page imports the file: the run being edited when it was saved (B) continues.
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('[data-testid="btn-import"]');
  await page.waitForSelector('[data-testid="import-text"]');  // the dialog's code loads on its first open
  await page.evaluate((value) => { document.querySelector('[data-testid="import-text"]').value = value; }, JSON.stringify(saved));
  await page.click('[data-testid="import-apply"]');
  await page.waitForFunction(() => document.body.dataset.step === '37');
  for (let s = 38; s <= 40; ++s) {
    await page.click('[data-testid="btn-step"]');
    await page.waitForFunction((want) => Number(document.body.dataset.step) === want, s);
  }
  await page.waitForFunction(() => document.body.dataset.settled === 'true');
  const continued = JSON.parse((await exportItem(page, 'export-json')).text);
  const straight = lab.createRun(saved.runs[1].config);
  assert.equal(straight.config.optimizer.lr, 0.02);
  straight.step(40);
  assert.equal(continued.state.params, straight.exportState().params, 'run B\'s weights after 40 steps, bit for bit');
  assert.deepEqual(continued.history.minibatchLoss, Array.from(straight.snapshot().history.loss));
  straight.dispose();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the exact PyTorch script carries the page\'s run and prints its losses', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: `${HASH}&convention=pytorch&step=40` });
  await page.waitForFunction(() => document.body.dataset.step === '40' && document.body.dataset.settled === 'true');
  assert.equal(await page.inputValue('[data-field="optimizer.convention"]'), 'pytorch', 'the control follows the URL');
  // The optimizer's help shows the convention's update rule: ε added to the corrected √v̂.
  const help = () => page.$eval('[data-field="optimizer.name"]', (s) => document.getElementById(s.getAttribute('aria-describedby')).textContent);
  assert.match(await help(), /^m ← β₁·m \+ \(1 − β₁\)·g;  v ← β₂·v \+ \(1 − β₂\)·g²;  w ← w − η·\(m \/ \(1 − β₁ᵗ\)\) \/ \(√\(v \/ \(1 − β₂ᵗ\)\) \+ ε\)\. Adam \(Kingma and Ba 2014\) as torch\.optim\.Adam/);
  await page.click('[data-testid="btn-export"]');
  assert.match(await page.textContent('[data-testid="export-exact-pytorch"] + span'), /^replays this run's first 200 steps from its initial weights/);
  const script = await exportItem(page, 'export-exact-pytorch');
  assert.equal(script.name, 'initscope-circles-exact-pytorch.py');
  assert.match(script.text, /torch\.optim\.Adam\(params, lr=0\.01, betas=\(0\.9, 0\.999\), eps=1e-7\)/);
  const keras = await exportItem(page, 'export-exact-keras');
  assert.match(keras.text, /class PytorchRule\(keras\.optimizers\.Optimizer\)/);

  const node = lab.createRun(JSON.parse((await exportItem(page, 'export-json')).text).config);
  const losses = [...Array(40)].map(() => node.step(1).loss);
  const engine = /^ENGINE = \[(.*)\]$/m.exec(script.text)[1].split(', ');
  assert.equal(engine.length, 200);
  engine.slice(0, 40).forEach((text, s) => assert.equal(Number(text), losses[s], `the script holds the lab's loss of step ${s}`));
  assert.ok(engine.slice(40).every((text) => text === 'None'), 'steps the lab has not taken have no loss to compare');
  node.dispose();

  let torch = true;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    torch = false;
  }
  if (torch) {
    const dir = await mkdtemp(join(tmpdir(), 'initscope-exact-'));
    const file = join(dir, script.name);
    await writeFile(file, script.text);
    const out = execFileSync('/usr/bin/python3', [file], { encoding: 'utf8' });
    const worst = Number(/largest relative difference from initscope: (\S+)/.exec(out)[1]);
    assert.ok(worst < 1e-4, `the script's losses are the lab's (largest relative difference ${worst})`);
    assert.equal(out.trim().split('\n').filter((l) => /^\s*\d+ /.test(l)).length, 200);
    await rm(dir, { recursive: true, force: true });
  }
  assert.deepEqual(errors, []);
  await page.close();
});
