// Exports: the history (CSV, JSON) holds the engine's own numbers (the same config run in
// Node gives the same bits), the data set CSV the rows the network sees, every chart a
// PNG of what is on screen, and the network with its initializers Keras and PyTorch code
// with the frameworks' own spellings (every initializer of the schema, checked by Python's
// parser when python3 is there); a network's residual initialization applied in its code.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { kerasCode, pytorchCode } from '../../web/src/codegen.js';
import { useBrowser, openLab, screenshotDir } from './helpers.mjs';

const { server, browser } = useBrowser();

let lab;

before(async () => {
  lab = await loadInitscope();
});

/** Clicks `selector` and returns the downloaded file's name and bytes. */
async function downloadOf(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), bytes: await readFile(await dl.path()) };
}

async function exportItem(page, testid) {
  if (!(await page.isVisible('[data-testid="export-panel"]'))) await page.click('[data-testid="btn-export"]');
  return downloadOf(page, `[data-testid="${testid}"]`);
}

test('history CSV and JSON hold the engine\'s numbers; the data set CSV its rows', async () => {
  const hash = `seed=5&opt=momentum&lr=0.05&layers=${encodeURIComponent('12:tanh|6:tanh|1:sigmoid')}&step=80`;
  const { page, errors } = await openLab(browser.context, server.url, { hash });
  await page.waitForFunction(() => document.body.dataset.step === '80' && document.body.dataset.settled === 'true');

  const json = await exportItem(page, 'export-json');
  assert.equal(json.name, 'initscope-circles-step80.json');
  const run = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(run.step, 80);
  assert.equal(run.initscope, lab.version);
  assert.match(run.link, /#seed=5&.*step=80$/);
  assert.equal(run.layers.length, 3);
  assert.equal(run.layers[0].a.histogram.counts.length, run.config.stats.bins);

  // The same config in Node, 80 steps: the same history and evaluation, bit for bit.
  const node = lab.createRun(run.config);
  node.step(80);
  const snap = node.snapshot();
  assert.deepEqual(run.history.step, Array.from(snap.history.step));
  assert.deepEqual(run.history.minibatchLoss, Array.from(snap.history.loss));
  const last = run.evaluations[run.evaluations.length - 1];
  assert.deepEqual(last, { step: 80, ...node.evaluate() });
  assert.deepEqual(run.layers.map((l) => l.a.std), snap.layers.map((l) => l.a.std));

  const csv = await exportItem(page, 'export-csv');
  assert.equal(csv.name, 'initscope-circles-step80.csv');
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  assert.equal(lines[0], 'step,minibatch_loss,train_loss,test_loss,train_accuracy,test_accuracy');
  const rows = lines.slice(1).map((l) => l.split(','));
  // What the panel says it holds: every step's minibatch loss (steps 0 to 79; the row of
  // step 80 holds the evaluation after the 80th update).
  assert.equal(await page.textContent('[data-testid="export-csv"] + span'), 'minibatch loss at every step, whole-set loss and accuracy where evaluated');
  assert.deepEqual(rows.filter((r) => r[1] !== '').map((r) => Number(r[0])), [...Array(80).keys()]);
  const byStep = new Map(rows.map((r) => [Number(r[0]), r]));
  snap.history.step.forEach((s, i) => assert.equal(Number(byStep.get(s)[1]), snap.history.loss[i], `minibatch loss at step ${s}`));
  const e = node.evaluate();
  assert.deepEqual(byStep.get(80).slice(2).map(Number), [e.trainLoss, e.testLoss, e.trainAccuracy, e.testAccuracy]);

  const data = await exportItem(page, 'export-data');
  assert.equal(data.name, 'initscope-circles.csv');
  const dataLines = data.bytes.toString('utf8').trim().split('\n');
  assert.equal(dataLines[0], 'x1,x2,y,test');
  const d = node.dataset();
  assert.equal(dataLines.length - 1, d.train + d.test);
  assert.deepEqual(dataLines[1].split(',').map(Number), [d.xTrain[0], d.xTrain[1], d.yTrain[0], 0]);
  assert.deepEqual(dataLines[d.train + 1].split(',').map(Number), [d.xTest[0], d.xTest[1], d.yTest[0], 1]);
  node.dispose();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a long run\'s history CSV holds every step\'s loss the record saw, and the panel says how far that goes', async () => {
  const hash = `seed=5&layers=${encodeURIComponent('8:tanh|1:sigmoid')}&step=5000`;
  const { page, errors } = await openLab(browser.context, server.url, { hash });
  await page.waitForFunction(() => document.body.dataset.step === '5000' && document.body.dataset.settled === 'true', null, { timeout: 60000 });
  const csv = await exportItem(page, 'export-csv');
  const note = await page.textContent('[data-testid="export-csv"] + span');
  const rows = csv.bytes.toString('utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const lossSteps = rows.filter((r) => r[1] !== '').map((r) => Number(r[0]));
  let every = -1;
  while (lossSteps[every + 1] === every + 1) every++;
  const later = lossSteps.length - (every + 1);
  const words = (n) => n.toLocaleString('en-US');
  assert.equal(note, `minibatch loss at every step to step ${words(every)} and ${words(later)} of the ${words(lossSteps.at(-1) - every)} later steps ` +
    '(the engine keeps every step\'s loss for its first 2,048 entries, then thins its history as a run grows), whole-set loss and accuracy where evaluated');
  // At least what the engine's own history holds at step 5000: every 4th step.
  for (let s = 0; s < 5000; s += 4) assert.ok(lossSteps.includes(s), `step ${s}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('runs compared export together: one CSV with a run column, one JSON with every run and its config', async () => {
  const layers = encodeURIComponent('12:tanh|6:tanh|1:sigmoid');
  const hash = `runs=2&seed=5&opt=momentum&lr=0.05&layers=${layers}&init=he_normal&b.init=glorot_uniform&step=60`;
  const { page, errors } = await openLab(browser.context, server.url, { hash });
  await page.waitForFunction(() => document.body.dataset.step === '60' && document.body.dataset.settled === 'true');
  await page.click('[data-testid="btn-export"]');
  assert.equal(await page.textContent('[data-testid="export-title"]'), 'Export runs A, B');

  const json = await exportItem(page, 'export-json');
  assert.equal(json.name, 'initscope-runs-A-B-step60.json');
  const doc = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(doc.initscope, lab.version);
  assert.match(doc.link, /runs=2&.*b\.init=glorot_uniform/);
  assert.deepEqual(doc.runs.map((r) => r.label), ['A', 'B']);
  assert.equal(doc.runs[0].config.init.name ?? doc.runs[0].config.init, 'he_normal');
  assert.equal(doc.runs[1].config.init.name ?? doc.runs[1].config.init, 'glorot_uniform');
  // Each run's history and evaluation are its config's, run alone in Node.
  const csv = await exportItem(page, 'export-csv');
  assert.equal(csv.name, 'initscope-runs-A-B-step60.csv');
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  assert.equal(lines[0], 'run,step,minibatch_loss,train_loss,test_loss,train_accuracy,test_accuracy');
  const rows = lines.slice(1).map((l) => l.split(','));
  for (const run of doc.runs) {
    const node = lab.createRun(run.config);
    node.step(60);
    const snap = node.snapshot();
    assert.deepEqual(run.history.minibatchLoss, Array.from(snap.history.loss), run.label);
    assert.deepEqual(run.evaluations.at(-1), { step: 60, ...node.evaluate() });
    const mine = rows.filter((r) => r[0] === run.label);
    const steps = mine.map((r) => Number(r[1]));
    assert.deepEqual(steps, [...new Set(steps)].sort((x, y) => x - y), 'one row per step, in order');
    snap.history.step.forEach((s, i) => assert.equal(Number(mine.find((r) => Number(r[1]) === s)[2]), snap.history.loss[i]));
    const e = node.evaluate();
    assert.deepEqual(mine.find((r) => r[1] === '60').slice(3).map(Number), [e.trainLoss, e.testLoss, e.trainAccuracy, e.testAccuracy]);
    node.dispose();
  }
  assert.equal(rows.length, doc.runs.reduce((n, r) => n + rows.filter((x) => x[0] === r.label).length, 0), 'every row names its run');

  // The code and the data set are the edited run's, and say so; the PNGs carry the run.
  await page.click('[data-testid="edit-run-B"]');
  await page.click('[data-testid="btn-export"]');
  await page.click('[data-testid="export-keras"]');
  await page.waitForSelector('[data-testid="code"][data-framework="keras"]');
  assert.equal(await page.textContent('[data-testid="code-run"]'), 'Run B, the run the settings edit');
  const keras = await page.textContent('[data-testid="code"]');
  assert.match(keras, /^# initscope run B \(of runs A, B compared\)/);
  assert.ok(keras.includes('kernel_initializer=keras.initializers.GlorotUniform()'), keras);
  const [py] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="code-download"]')]);
  assert.equal(py.suggestedFilename(), 'initscope-circles-runB-step60-keras.py');
  await page.keyboard.press('Escape');
  const png = await downloadOf(page, '[data-testid="run-B"] [data-testid="png-view-signal"]');
  assert.equal(png.name, 'initscope-runB-signal-step60.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('every chart saves a PNG of what it shows', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'step=20' });
  const cards = await page.$$eval('#cards [data-testid^="png-"]', (bs) => bs.map((b) => b.dataset.testid));
  assert.ok(cards.length >= 8, cards.join(', '));
  for (const id of ['png-view-loss', 'png-view-data', 'png-view-activations']) {
    const { name, bytes } = await downloadOf(page, `[data-testid="${id}"]`);
    assert.equal(name, `initscope-${id.replace('png-view-', '')}-step20.png`);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    // Decoded in the page: the figure's size (plus a margin) and coloured pixels (lines, dots).
    const info = await page.evaluate(async ({ b64, id }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let k = 0; k < px.length; k += 4) if (Math.max(px[k], px[k + 1], px[k + 2]) - Math.min(px[k], px[k + 1], px[k + 2]) > 60) coloured++;
      const fig = document.querySelector(`[data-testid="${id}"]`).closest('section').querySelector('figure').getBoundingClientRect();
      return { w: img.width, h: img.height, fw: fig.width, fh: fig.height, coloured };
    }, { b64: bytes.toString('base64'), id });
    assert.ok(Math.abs(info.w - (info.fw + 24)) <= 1 && Math.abs(info.h - (info.fh + 24)) <= 1, JSON.stringify(info));
    assert.ok(info.coloured > 200, `${id}: ${info.coloured} coloured pixels`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('Keras and PyTorch code with each framework\'s spelling, from the page', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  await page.click('[data-testid="btn-export"]');
  await page.click('[data-testid="export-keras"]');
  await page.waitForSelector('[data-testid="code"][data-framework="keras"]');
  const keras = await page.textContent('[data-testid="code"]');
  assert.ok(keras.includes('keras.layers.Dense(10, activation="relu", kernel_initializer=keras.initializers.HeNormal(), bias_initializer="zeros")'), keras);
  assert.ok(keras.includes('keras.layers.Dense(1, activation="sigmoid", kernel_initializer=keras.initializers.HeNormal(), bias_initializer="zeros")'));
  assert.ok(keras.includes('loss=keras.losses.BinaryCrossentropy()'));
  assert.ok(keras.includes('keras.optimizers.SGD(learning_rate=0.01)'));
  await page.click('[data-testid="code-tab-pytorch"]');
  await page.waitForSelector('[data-testid="code"][data-framework="pytorch"]');
  const torch = await page.textContent('[data-testid="code"]');
  assert.ok(torch.includes('nn.Linear(2, 10),\n    nn.ReLU(),\n    nn.Linear(10, 5),'), torch);
  assert.ok(torch.includes('    nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")\n    nn.init.zeros_(layer.bias)'));
  assert.match(torch, /# Keras's HeNormal draws a normal truncated at ±2s/);
  // The exact Keras law per layer, with the engine's numbers: layer 2 has fan_in 10, σ = √(2/10).
  const s = Math.sqrt(2 / 10) / 0.87962566103423978;
  const m = /# layer 2: Keras's exact law here: nn\.init\.trunc_normal_\(layer\.weight, mean=0\.0, std=([\d.]+), a=-([\d.]+), b=([\d.]+)\)/.exec(torch);
  assert.ok(m, torch);
  assert.ok(Math.abs(Number(m[1]) - s) < 1e-6 && Math.abs(Number(m[2]) - 2 * s) < 1e-6, m[0]);
  assert.ok(torch.includes('loss_fn = nn.BCEWithLogitsLoss()'));
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="code-download"]')]);
  assert.equal(dl.suggestedFilename(), 'initscope-circles-step0-pytorch.py');
  assert.equal(await readFile(await dl.path(), 'utf8'), torch);
  assert.deepEqual(errors, []);
  await page.close();
});

// Four blocks under Fixup: L = 4, m = 2, the engine's factor 4^(-1/2) = 0.5.
const FIXUP = `layers=${encodeURIComponent(`8:relu|${'residual(activation=relu)|'.repeat(4)}1:sigmoid`)}&residualInit=fixup`;

// Scrolls the code box to the residual initialization's lines (for the screenshots).
function toScheme(el) {
  const lines = el.textContent.slice(0, el.textContent.indexOf('# Residual initialization')).split('\n').length - 1;
  (el.closest('pre') ?? el).scrollTop = lines * parseFloat(getComputedStyle(el).lineHeight || '16');
}

test('the PyTorch code of a Fixup network applies Fixup after the initializers, as the page shows it', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: FIXUP, viewport: { width: 1366, height: 768 } });
  await page.click('[data-testid="btn-export"]');
  await page.click('[data-testid="export-pytorch"]');
  await page.waitForSelector('[data-testid="code"][data-framework="pytorch"]');
  const torch = await page.textContent('[data-testid="code"]');
  assert.equal(torch.match(/alpha=1\.0, trainable=True\)/g).length, 4, 'every gate trainable at 1');
  assert.match(torch, /# Residual initialization "fixup": Zhang, Dauphin & Ma, "Fixup initialization: residual learning\n# {3}without normalization", ICLR 2019\./);
  assert.ok(torch.includes('            block.lin1.weight.mul_(L ** (-1 / (2 * m - 2)))  # 0.5 for L = 4, m = 2, as initscope computed it'), torch);
  assert.ok(torch.indexOf('nn.init.kaiming_normal_(layer.weight') < torch.indexOf('block.lin1.weight.mul_('), 'after the initializers');
  assert.ok(torch.includes('    output.weight.zero_()  # the output layer'));
  // Scrolled to the scheme, at 1366x768 and at 375 px.
  const shot = async (name) => {
    await page.locator('[data-testid="code"]').evaluate(toScheme);
    await page.screenshot({ path: join(await screenshotDir(), name) });
  };
  await shot('export-fixup-pytorch-1366.png');
  await page.setViewportSize({ width: 375, height: 812 });
  await shot('export-fixup-pytorch-375.png');
  assert.deepEqual(errors, []);
  await page.close();
  // In a 700 px iframe.
  const framed = await browser.context.newPage();
  await framed.setViewportSize({ width: 760, height: 900 });
  await framed.setContent(`<iframe src="${server.url}#${FIXUP}" style="width:700px;height:860px;border:0"></iframe>`);
  const frame = framed.frameLocator('iframe');
  await frame.locator('body[data-ready="true"]').waitFor({ timeout: 30000 });
  await frame.locator('[data-testid="btn-export"]').click();
  await frame.locator('[data-testid="export-pytorch"]').click();
  await frame.locator('[data-testid="code"][data-framework="pytorch"]').waitFor();
  assert.match(await frame.locator('[data-testid="code"]').textContent(), /output\.weight\.zero_\(\)/);
  await frame.locator('[data-testid="code"]').evaluate(toScheme);
  await framed.screenshot({ path: join(await screenshotDir(), 'export-fixup-pytorch-iframe-700.png') });
  await framed.close();
});

const hasPython = (() => {
  try { execFileSync('python3', ['-c', 'import ast'], { stdio: 'ignore' }); return true; } catch { return false; }
})();

test('code for every initializer of the schema names it as its framework does and parses as Python', async (t) => {
  const schema = lab.schema();
  const dir = await mkdtemp(join(tmpdir(), 'initscope-code-'));
  const files = [];
  const camel = (n) => n.split('_').filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  const paramsOf = (row) => Object.fromEntries(row.params.map((p) => [p.name, p.name === 'sparsity' ? 0.1 : p.default]));
  for (const row of schema.initializers) {
    const configs = [];
    if (row.minRank <= 2 && row.maxRank >= 2) configs.push({ init: { name: row.name, ...paramsOf(row) } });
    if (row.minRank <= 1 && row.maxRank >= 1) configs.push({ biasInit: { name: row.name, ...paramsOf(row) }, optimizer: { name: 'adam', weightDecay: 0.01, clipNorm: 1, clipValue: 0.5 }, loss: 'mse' });
    for (const over of configs) {
      const run = lab.createRun({ layers: [{ units: 8, activation: { name: 'leaky_relu', alpha: 0.2 } }, { units: 6, activation: 'elu' }, { units: 1, activation: 'sigmoid' }], ...over });
      const input = { config: run.config, snapshot: run.snapshot(), schema, dataset: run.dataset(), context: { title: row.name, version: lab.version, link: 'http://x/', dataFile: 'd.csv', step: 10 } };
      run.dispose();
      const keras = kerasCode(input);
      const torch = pytorchCode(input);
      const where = over.init ? 'kernel_initializer=' : 'bias_initializer=';
      if (row.framework === 'keras') {
        assert.ok(keras.includes(`${where}keras.initializers.${camel(row.name)}(`) || keras.includes(`${where}"${row.name}"`), `${row.name}\n${keras}`);
      }
      if (row.framework === 'pytorch' && row.name !== 'nn_linear_default') {
        assert.ok(torch.includes(`nn.init.${row.name}(layer.${over.init ? 'weight' : 'bias'}`), `${row.name}\n${torch}`);
      }
      assert.ok(keras.includes('keras.layers.LeakyReLU(negative_slope=0.2)'));
      assert.ok(torch.includes('nn.LeakyReLU(negative_slope=0.2)'));
      for (const [f, code] of [['keras', keras], ['torch', torch]]) {
        const file = join(dir, `${row.name}-${over.init ? 'w' : 'b'}-${f}.py`);
        await writeFile(file, code);
        files.push(file);
      }
    }
  }
  if (!hasPython) {
    t.skip('python3 is not installed: the code was checked for names only');
  } else {
    execFileSync('python3', ['-c', 'import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)', ...files]);
  }
  await rm(dir, { recursive: true, force: true });
});

// Python with PyTorch (Debian's, as the parity tier): the block code then runs, not only parses.
const torchPython = ['/usr/bin/python3', 'python3'].find((py) => {
  try { execFileSync(py, ['-c', 'import numpy, torch'], { stdio: 'ignore' }); return true; } catch { return false; }
});

test('residual blocks: the PyTorch code trains them and the Keras code parses', async (t) => {
  const schema = lab.schema();
  const dir = await mkdtemp(join(tmpdir(), 'initscope-blocks-'));
  const run = lab.createRun({
    data: { name: 'circles', train: 64, test: 0 },
    layers: [{ units: 8, activation: 'relu' },
      { kind: 'residual', activation: 'relu', hidden: 5, gate: 'trainable', alpha: 0.5, norm: 'layernorm' },
      { kind: 'residual', activation: { name: 'leaky_relu', alpha: 0.2 }, activationAt: 'after', norm: 'batchnorm', normAt: 'post', init: 'orthogonal' },
      { kind: 'residual', activation: 'tanh', branch: 1 },
      { units: 1, activation: 'sigmoid' }],
    optimizer: { name: 'adam', weightDecay: 0.01, batch: 16 },
  });
  const d = run.dataset();
  const csv = ['x0,x1,y,split', ...Array.from(d.yTrain, (y, i) => `${d.xTrain[2 * i]},${d.xTrain[2 * i + 1]},${y},0`)].join('\n');
  const dataFile = join(dir, 'd.csv');
  await writeFile(dataFile, csv);
  const input = { config: run.config, snapshot: run.snapshot(), schema, dataset: d, context: { title: 'blocks', version: lab.version, link: 'http://x/', dataFile, step: 5 } };
  run.dispose();
  const keras = kerasCode(input);
  const torch = pytorchCode(input);
  assert.match(keras, /keras\.layers\.BatchNormalization\(momentum=1 - 0\.1, epsilon=0\.00001\), norm_at="post", kernel_initializer=keras\.initializers\.Orthogonal\(gain=1\.0\)/);
  assert.match(torch, /Residual\(8, 8, branch=1, phi=nn\.Tanh\(\), after=False, alpha=1\.0, trainable=False\),/);
  await writeFile(join(dir, 'k.py'), keras);
  await writeFile(join(dir, 't.py'), torch);
  try {
    if (!hasPython) return t.skip('python3 is not installed: the code was checked for names only');
    execFileSync('python3', ['-c', 'import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)', join(dir, 'k.py'), join(dir, 't.py')]);
    if (!torchPython) return t.skip('no python3 with numpy and torch: the code was parsed, not run');
    const out = execFileSync(torchPython, [join(dir, 't.py')], { encoding: 'utf8' });
    // Its parameters: every tensor of each block (a trainable α and a norm's gain and shift included).
    const count = execFileSync(torchPython, ['-c', `exec(open(${JSON.stringify(join(dir, 't.py'))}).read().split("loss_fn =")[0]); print(sum(p.numel() for p in model.parameters()))`], { encoding: 'utf8' });
    assert.equal(Number(count), input.snapshot.layers.reduce((n, l) => n + (l.params ?? l.fanIn * l.fanOut + l.fanOut), 0));
    assert.match(out, /^step 5: loss \d/m);
    assert.match(out, /^train loss \d/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
