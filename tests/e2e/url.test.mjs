// The page's state in the URL: every setting round-trips, the controls write what they
// change, a refused value falls back to its default with a notice that names the key, the
// value and what is allowed (as text, never as markup), and "Copy link" opens the same run.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { useBrowser, openLab, value, step, playUntil, waitForRun, waitSettled } from './helpers.mjs';

const { server, browser } = useBrowser({ permissions: ['clipboard-read', 'clipboard-write'] });

let schema;

before(async () => {
  schema = (await loadInitscope()).schema();
});

const params = (hash) => [...new URLSearchParams(hash.replace(/^#/, ''))];
const hashOf = (page) => page.evaluate(() => location.hash);
const field = (page, path) => page.inputValue(`[data-field="${path}"]`);

// Two URLs that between them set every config key of web/src/state.js to a value that is
// not its default, written in the page's own order (the table's), so the page must write
// back exactly what it read.
const EVERY_KEY = [
  ['seed', '12345'], ['data', 'moons'], ['train', '200'], ['test', '50'], ['noise', '0.2'],
  ['dataSeed', '7'], ['normalize', 'standardize'],
  ['layers', '8:leaky_relu(alpha=0.2)|6:tanh:glorot_uniform|1:sigmoid::constant(value=0.1)'],
  ['init', 'variance_scaling(scale=2,mode=fan_out,distribution=uniform)'], ['biasInit', 'constant(value=0.01)'],
  ['opt', 'adam'], ['lr', '0.003'], ['batch', '32'], ['momentum', '0.5'], ['beta1', '0.8'], ['beta2', '0.99'],
  ['rho', '0.95'], ['epsilon', '1e-8'], ['weightDecay', '0.001'], ['clipNorm', '5'], ['clipValue', '0.5'],
  ['convention', 'pytorch'], ['schedule', 'cosine(warmup=100,steps=2000,final=0.1)'], ['param', 'mup(baseWidth=4,zeroReadout=true)'], ['bins', '30'], ['probe', '128'],
];
const GAUSSIAN = [
  ['data', 'gaussian'], ['dim', '5'], ['classes', '4'], ['layers', '12:elu(alpha=0.5)|residual(activation=relu)|4:softmax:kaiming_normal_(a=0,mode=fan_in,nonlinearity=relu)'],
  ['init', 'orthogonal(gain=1.5)'], ['loss', 'mse'], ['opt', 'momentum'], ['residualInit', 'gpt2(branchesPerLayer=1)'],
];

test('every setting round-trips through the URL and shows in its control', async () => {
  const keys = new Set([...EVERY_KEY, ...GAUSSIAN].map(([k]) => k));
  const { KEYS } = await import('../../web/src/state.js');
  assert.deepEqual(KEYS.map((k) => k.key).filter((k) => !keys.has(k)), [], 'a key of state.js is not tested');
  const readme = await readFile(new URL('../../web/README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('### Links: every setting in the URL'));
  assert.deepEqual(KEYS.map((k) => k.key).filter((k) => !table.includes(`\`${k}\``)), [], 'README: a URL key is not in the table');

  for (const list of [EVERY_KEY, GAUSSIAN]) {
    const hash = new URLSearchParams(list).toString();
    const { page, errors } = await openLab(browser.context, server.url, { hash });
    assert.deepEqual(params(await hashOf(page)), list, 'the page writes back what it read');
    assert.equal(await page.$$eval('[data-testid="notice"]', (ns) => ns.length), 0);
    assert.equal(await page.textContent('#error'), '');
    assert.deepEqual(errors, []);
    await page.close();
  }

  // What the controls show for the first URL (fields of other optimizers are not on screen).
  const { page } = await openLab(browser.context, server.url, { hash: new URLSearchParams(EVERY_KEY).toString() });
  const shown = {
    seed: '12345', 'data.name': 'moons', 'data.train': '200', 'data.test': '50', 'data.noise': '0.2', 'data.seed': '7',
    'data.normalize': 'standardize', hiddenLayers: '2', 'layers[0].units': '8', 'layers[0].activation': 'leaky_relu',
    'layers[0].activation.alpha': '0.2', 'layers[1].units': '6', 'layers[1].activation': 'tanh', 'layers[1].init': 'glorot_uniform',
    'layers[2].activation': 'sigmoid', init: 'variance_scaling', 'init.scale': '2', 'init.mode': 'fan_out',
    'init.distribution': 'uniform', biasInit: 'constant', 'biasInit.value': '0.01', 'optimizer.name': 'adam',
    'optimizer.lr': '0.003', 'optimizer.batch': '32', 'optimizer.beta1': '0.8', 'optimizer.beta2': '0.99',
    'optimizer.epsilon': '1e-8', 'optimizer.weightDecay': '0.001', 'optimizer.clipNorm': '5', 'optimizer.clipValue': '0.5',
    'optimizer.convention': 'pytorch', 'stats.bins': '30', 'stats.probe': '128',
  };
  for (const [path, want] of Object.entries(shown)) assert.equal(await field(page, path), want, path);
  // The run is the URL's: the model summary reads the engine's layers.
  assert.equal(await page.getAttribute('[data-testid="total-params"]', 'data-value'), String(2 * 8 + 8 + 8 * 6 + 6 + 6 + 1));
  await page.close();
});

test('a changed control writes its key, and a reload opens the same settings', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  assert.equal(await hashOf(page), '');
  await page.selectOption('[data-field="init"]', 'xavier_uniform_');
  await waitForRun(page);
  await page.fill('[data-field="init.gain"]', '1.25');
  await page.locator('[data-field="init.gain"]').blur();
  await waitForRun(page);
  await page.fill('[data-field="hiddenLayers"]', '3');
  await page.locator('[data-field="hiddenLayers"]').blur();
  await waitForRun(page);
  await page.selectOption('[data-field="optimizer.name"]', 'rmsprop');
  await waitForRun(page);
  await page.fill('[data-field="optimizer.rho"]', '0.8');
  await page.locator('[data-field="optimizer.rho"]').blur();
  await waitForRun(page);
  await page.check('[data-testid="toggle-optimizer.clipNorm"]');
  await waitForRun(page);
  await page.selectOption('[data-field="data.name"]', 'iris');
  await waitForRun(page);
  const written = Object.fromEntries(params(await hashOf(page)));
  assert.equal(written.init, 'xavier_uniform_(gain=1.25)');
  assert.equal(written.layers, '10:relu|5:relu|5:relu|3:softmax');
  assert.equal(written.opt, 'rmsprop');
  assert.equal(written.lr, '0.001');
  assert.equal(written.rho, '0.8');
  assert.equal(written.clipNorm, '1');
  assert.equal(written.data, 'iris');
  assert.ok(!('loss' in written), 'iris brings its own loss');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  for (const [path, want] of [['init', 'xavier_uniform_'], ['init.gain', '1.25'], ['hiddenLayers', '3'], ['optimizer.name', 'rmsprop'],
    ['optimizer.rho', '0.8'], ['optimizer.clipNorm', '1'], ['data.name', 'iris'], ['loss', 'cross_entropy'], ['layers[3].activation', 'softmax']]) {
    assert.equal(await field(page, path), want, path);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('refused values fall back to their defaults with a notice; markup in the URL stays text', async () => {
  const { page, errors } = await openLab(browser.context, server.url, {
    hash: new URLSearchParams([
      ['lr', 'abc'], ['noise', '3'], ['init', '<img src=x onerror="window.pwned=1">'], ['foo', 'bar'],
      ['data', 'iris'], ['loss', 'bce'], ['step', '-4'], ['seed', '21'],
    ]).toString(),
  });
  const notices = await page.$$eval('[data-testid="notice"]', (ns) => ns.map((n) => ({ key: n.dataset.key, text: n.textContent })));
  const byKey = Object.fromEntries(notices.map((n) => [n.key, n.text]));
  assert.deepEqual(Object.keys(byKey).sort(), ['init', 'loss', 'lr', 'noise', 'step', 'unknown']);
  assert.match(byKey.unknown, /^foo — allowed: the keys of the lab: seed, data, .*, hide; run B's keys start with b\. .* It is left out\.$/);
  assert.match(byKey.lr, /^lr=abc — allowed: a number > 0 and <= 1000000\. Using 0\.01 instead\.$/);
  assert.match(byKey.noise, /^noise=3 — allowed: nothing: the iris data set has no noise\. It is left out\.$/);
  assert.match(byKey.init, /^init=<img src=x onerror="window\.pwned=1"> — allowed: one of the \d+ initializer names/);
  assert.match(byKey.init, /Using he_normal instead\.$/);
  assert.match(byKey.loss, /^loss=bce — the engine refused it: loss: "bce" is not allowed for iris, which has 3 classes; expected cross_entropy or mse\. Using cross_entropy instead\.$/);
  assert.match(byKey.step, /^step=-4 — allowed: an integer from 0 to 1000000\./);
  assert.equal(await page.$$eval('#notices img, #notices [onerror]', (els) => els.length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  // The defaults are in the controls, what was valid is kept, and the page's URL is clean.
  assert.equal(await field(page, 'optimizer.lr'), '0.01');
  assert.equal(await field(page, 'init'), 'he_normal');
  assert.equal(await field(page, 'loss'), 'cross_entropy');
  assert.equal(await field(page, 'seed'), '21');
  assert.deepEqual(params(await hashOf(page)), [['seed', '21'], ['data', 'iris']]);
  // The notice can be dismissed.
  await page.click('[data-testid="notice-close"]');
  assert.ok(await page.isHidden('[data-testid="notices"]'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('Copy link opens the same run at the same step, seed included', async () => {
  const hash = `seed=11&opt=adam&lr=0.02&layers=${encodeURIComponent('16:tanh|16:tanh|1:sigmoid')}`;
  const { page, errors } = await openLab(browser.context, server.url, { hash });
  await playUntil(page, async (p) => (await step(p)) >= 150);
  await waitSettled(page);
  const at = await step(page);
  const metrics = ['metric-train-loss', 'metric-test-loss', 'metric-train-acc', 'metric-test-acc'];
  const before = await Promise.all(metrics.map((m) => page.getAttribute(`[data-testid="${m}"]`, 'data-value')));
  const verdict = await page.textContent('[data-testid="verdict"]');
  await page.click('[data-testid="btn-link"]');
  await page.waitForSelector('[data-testid="share-state"]:has-text("Copied")');
  const link = await page.inputValue('[data-testid="share-link"]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  assert.deepEqual(Object.fromEntries(params(new URL(link).hash)),
    { seed: '11', layers: '16:tanh|16:tanh|1:sigmoid', opt: 'adam', lr: '0.02', step: String(at) });
  // Without the step: the same settings at step 0.
  await page.uncheck('[data-testid="share-at-step"]');
  assert.ok(!(await page.inputValue('[data-testid="share-link"]')).includes('step='));

  const copy = await browser.context.newPage();
  await copy.goto(link);
  await copy.waitForSelector('body[data-ready="true"]');
  await copy.waitForFunction((n) => document.body.dataset.step === String(n), at);
  const after = await Promise.all(metrics.map((m) => copy.getAttribute(`[data-testid="${m}"]`, 'data-value')));
  assert.deepEqual(after, before, 'the same numbers, to the last bit');
  assert.equal(await copy.textContent('[data-testid="verdict"]'), verdict);
  assert.ok(Number.isFinite(await value(copy, 'metric-train-loss')));
  assert.deepEqual(errors, []);
  await copy.close();
  await page.close();
});
