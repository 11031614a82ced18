// Layer kinds in the page: a link with layernorm layers opens with them in the Network
// panel and the model summary (named as Keras names them, with the engine's parameter
// count), the normalization select adds and removes them, and the link follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openLab, waitForRun } from './helpers.mjs';

const { server, browser } = useBrowser();

const layersOf = async (page) => new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get('layers');

test('layernorm layers from a link show in the Network panel and the summary, and the select turns them off and on', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'layers=8:relu|layernorm(epsilon=0.001)|6:relu|layernorm|1:sigmoid' });
  await waitForRun(page);
  await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = true; });
  assert.equal(await page.inputValue('[data-field="normalization"]'), 'layernorm');
  // The initializer's formula offers the layers it draws: the dense ones, the second by default.
  assert.deepEqual(await page.locator('[data-testid="formula-layer"] option').allTextContents(), ['layer 1', 'layer 3', 'the output layer']);
  assert.equal(await page.inputValue('[data-testid="formula-layer"]'), '2');
  assert.match(await page.locator('.formula-title').innerText(), /^he_normal .* on 8 → 6$/);
  assert.equal(await page.inputValue('[data-field="layers[1].epsilon"]'), '0.001');
  assert.equal(await page.inputValue('[data-field="hiddenLayers"]'), '2', 'hidden layers counts the dense ones');
  const summary = await page.locator('[data-testid="model-summary"] tbody').innerText();
  assert.match(summary, /layer_normalization \(LayerNormalization\)\s+\(None, 8\)\s+16/);
  assert.match(summary, /layer_normalization_1 \(LayerNormalization\)\s+\(None, 6\)\s+12/);
  assert.match(summary, /dense_1 \(Dense\)\s+\(None, 6\)\s+54/);

  await page.selectOption('[data-field="normalization"]', '');
  await page.waitForFunction(() => !decodeURIComponent(location.hash).includes('layernorm'));
  await waitForRun(page);
  assert.equal(await layersOf(page), '8:relu|6:relu|1:sigmoid');
  await page.selectOption('[data-field="normalization"]', 'layernorm');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('layernorm'));
  await waitForRun(page);
  assert.equal(await layersOf(page), '8:relu|layernorm|6:relu|layernorm|1:sigmoid');
  // A third hidden layer copies the last one with its normalization.
  await page.fill('[data-field="hiddenLayers"]', '3');
  await page.press('[data-field="hiddenLayers"]', 'Enter');
  await page.waitForFunction(() => decodeURIComponent(location.hash).split('layernorm').length === 4);
  assert.equal(await layersOf(page), '8:relu|layernorm|6:relu|layernorm|6:relu|layernorm|1:sigmoid');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link with a layernorm as the output layer is refused with what is allowed, and the page keeps its default layers', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'layers=8:relu|layernorm' });
  await waitForRun(page);
  const notices = await page.locator('#notices').innerText();
  assert.match(notices, /layers/);
  assert.match(notices, /one of dense \(the output layer\)/);
  assert.equal(await layersOf(page), null, 'the default layers are not written to the link');
  assert.deepEqual(errors, []);
  await page.close();
});

test('batchnorm layers from a link show in the Network panel, the summary (running averages non-trainable) and both frameworks\' code', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'layers=8:relu|batchnorm(momentum=0.01)|6:relu|batchnorm|1:sigmoid' });
  await waitForRun(page);
  await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = true; });
  assert.equal(await page.inputValue('[data-field="normalization"]'), 'batchnorm');
  assert.deepEqual(await page.locator('[data-field="normalization"] option').evaluateAll((o) => o.map((x) => x.value)), ['', 'layernorm', 'batchnorm']);
  assert.equal(await page.inputValue('[data-field="layers[1].momentum"]'), '0.01');
  assert.equal(await page.inputValue('[data-field="layers[1].epsilon"]'), '0.00001');
  const summary = await page.locator('[data-testid="model-summary"] tbody').innerText();
  // Keras's count: gamma, beta, moving mean and moving variance.
  assert.match(summary, /batch_normalization \(BatchNormalization\)\s+\(None, 8\)\s+32/);
  assert.match(summary, /batch_normalization_1 \(BatchNormalization\)\s+\(None, 6\)\s+24/);
  const foot = await page.locator('[data-testid="model-summary"] tfoot').innerText();
  assert.match(foot, /Non-trainable params\s+28/);

  await page.click('[data-testid="btn-export"]');
  await page.click('[data-testid="export-keras"]');
  await page.waitForSelector('[data-testid="code"][data-framework="keras"]');
  const keras = await page.textContent('[data-testid="code"]');
  assert.ok(keras.includes('keras.layers.BatchNormalization(epsilon=0.00001, momentum=1 - 0.01)'), keras);
  await page.click('[data-testid="code-tab-pytorch"]');
  await page.waitForSelector('[data-testid="code"][data-framework="pytorch"]');
  const torch = await page.textContent('[data-testid="code"]');
  assert.ok(torch.includes('nn.BatchNorm1d(8, eps=0.00001, momentum=0.01),'), torch);
  assert.ok(torch.includes('nn.BatchNorm1d(6, eps=0.00001, momentum=0.1),'), torch);
  assert.ok(torch.includes('model.train()'));
  assert.ok(torch.includes('model.eval()'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('residual blocks from a link open in the block editor (a lazy chunk) and the summary; blocks are added, edited and removed', async () => {
  const hash = 'layers=8:relu|residual(activation=relu,norm=layernorm)|residual(activation=leaky_relu,activation.alpha=0.2,activationAt=after)|1:sigmoid';
  const { page, errors } = await openLab(browser.context, server.url, { hash });
  await waitForRun(page);
  await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = true; });
  await page.waitForSelector('[data-testid="block-2"]');
  const rows = page.locator('tr.block-row');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /residual block/);
  assert.equal(await page.inputValue('[data-field="layers[1].activation"]'), 'relu');
  assert.equal(await page.inputValue('[data-field="layers[2].activation"]'), 'leaky_relu');
  assert.equal(await page.inputValue('[data-field="layers[2].activation.alpha"]'), '0.2');
  assert.equal(await page.inputValue('[data-field="layers[2].activationAt"]'), 'after');
  assert.equal(await page.inputValue('[data-field="layers[1].norm"]'), 'layernorm');
  // Its keys in words, their choices from the schema.
  const keys = await page.locator('tr.block-keys').first().innerText();
  for (const words of ['branch: dense layers', 'inner width', 'gate α', 'gate trainable', 'normalization', 'placed', 'ε']) assert.ok(keys.includes(words), words);
  assert.deepEqual(await page.locator('[data-field="layers[1].activationAt"] option').allTextContents(),
    ['before the addition (pre-activation)', 'after it (post-activation)']);
  assert.equal(await page.getAttribute('[data-field="layers[1].hidden"]', 'placeholder'), 'same as the block');
  // Not offered as a normalization after each layer.
  assert.deepEqual(await page.locator('[data-field="normalization"] option').evaluateAll((o) => o.map((x) => x.value)).then((v) => v.includes('residual')), false);
  const summary = await page.locator('[data-testid="model-summary"] tbody').innerText();
  assert.match(summary, /residual \(Residual\)\s+\(None, 8\)\s+160/);
  assert.match(summary, /residual_1 \(Residual\)\s+\(None, 8\)\s+144/);
  // An edit goes into the link, with the activation's own params kept.
  await page.selectOption('[data-field="layers[1].gate"]', 'trainable');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('gate=trainable'));
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /residual\(activation=leaky_relu,activation\.alpha=0\.2,activationAt=after\)/);
  await waitForRun(page);
  assert.match(await page.locator('[data-testid="model-summary"] tbody').innerText(), /residual \(Residual\)\s+\(None, 8\)\s+161/);
  // No norm: its placement and ε are not asked for.
  await page.selectOption('[data-field="layers[1].norm"]', 'none');
  await page.waitForFunction(() => !document.querySelector('[data-field="layers[1].normAt"]'));
  // Remove one, add one (after the last hidden layer, with the last dense layer's φ).
  await page.click('[data-testid="remove-block-1"]');
  await page.waitForFunction(() => !decodeURIComponent(location.hash).includes('gate=trainable'));
  assert.equal(await page.locator('tr.block-row').count(), 1);
  await page.click('[data-testid="add-block"]');
  await page.waitForFunction(() => decodeURIComponent(location.hash).split('residual').length === 3);
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /activationAt=after\)\|residual\(activation=relu\)\|1:sigmoid/);
  await waitForRun(page);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the block editor loads when the learner adds the first block', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'layers=8:tanh|1:sigmoid' });
  await waitForRun(page);
  await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = true; });
  const chunks = () => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /blockEditor/.test(e.name)).length);
  assert.equal(await chunks(), 0, 'not loaded before a block');
  await page.click('[data-testid="add-block"]');
  await page.waitForSelector('[data-testid="block-1"]');
  assert.equal(await chunks(), 1);
  assert.equal(await page.inputValue('[data-field="layers[1].activation"]'), 'tanh');
  assert.equal(await layersOf(page), '8:tanh|residual(activation=tanh)|1:sigmoid');
  assert.deepEqual(errors, []);
  await page.close();
});
