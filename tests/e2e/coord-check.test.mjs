// The coordinate check's card: opened from the parameterization panel, it runs the current
// network at the page's widths under SP and muP in a worker, with progress and Cancel, and
// says per layer and parameterization the fitted growth exponent in words: the same exponents
// as Node's coordinateCheck on the same configs; under SP the output grows with width, under
// muP it stays flat. hide=coords hides it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { COORD_CHECK_PAGE, coordinateCheck, growthExponent } from '../../wasm/coordCheck.mjs';
import { deserialize } from '../../web/src/state.js';
import { withParameterization } from '../../web/src/parameterizationPanel.js';
import { useBrowser, openLab, waitForRun, screenshotDir } from './helpers.mjs';

const { server, browser } = useBrowser();
const lab = await loadInitscope();
const schema = lab.schema();

// coordCheckConfig's network (wasm/coordCheck.mjs) as a link.
const NET = 'data=digits&loss=cross_entropy&layers=64:tanh|64:tanh|10:softmax&init=lecun_normal&opt=adam&lr=0.01&batch=64&probe=256';

async function openCard(page) {
  await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = true; });
  await page.click('[data-testid="coord-open"]');
  await page.waitForSelector('[data-testid="coord-check"]:not([hidden])', { state: 'attached' });
}

const exponentIn = (text) => Number(/width\^(−?[\d.]+)/.exec(text)[1].replace('−', '-'));

test('the card runs SP and muP at the page\'s widths; its exponents are Node\'s; SP grows, muP stays flat', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: NET });
  await waitForRun(page);
  await openCard(page);
  await page.waitForFunction(() => /^(\d+) of \1 runs/.test(document.querySelector('[data-testid="coord-status"]').textContent), null, { timeout: 120000 });
  const { widths, steps, seeds } = COORD_CHECK_PAGE;
  assert.match(await page.textContent('[data-testid="coord-status"]'), new RegExp(`^${2 * widths.length * seeds.length} of`));

  const config = deserialize(NET, schema.config.default, schema).config;
  for (const name of ['standard', 'mup']) {
    const rows = coordinateCheck(lab, { config: withParameterization(config, schema, { name }), widths, steps, seeds });
    for (const layer of [0, 1, 2]) {
      const text = await page.textContent(`[data-testid="coord-text-${layer}-${name}"]`);
      const node = growthExponent(rows, { layer, step: steps, quantity: 'z' });
      assert.equal(exponentIn(text), Number(node.toFixed(2)), `${name} layer ${layer}: ${text}`);
    }
  }
  const sp = await page.textContent('[data-testid="coord-text-2-standard"]');
  const mup = await page.textContent('[data-testid="coord-text-2-mup"]');
  assert.match(sp, /output layer grows with width/);
  assert.ok(exponentIn(sp) > 0.3, sp);
  assert.match(mup, /output layer stays about flat/);
  assert.match(await page.textContent('[data-testid="coord-summary"]'), /^The output layer's mean \|z\| after 3 steps: Standard.*grows with width.*muP\) stays about flat/);
  // Another quantity redraws from the same rows: the change since initialization.
  await page.selectOption('[data-testid="coord-quantity"]', 'zChange');
  assert.match(await page.textContent('[data-testid="coord-text-2-standard"]'), /mean \|z − z₀\| of output layer/);
  const shots = await screenshotDir();
  await page.locator('[data-testid="coord-check"]').screenshot({ path: join(shots, 'coord-check-1400.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Cancel stops the check between two runs; Close hides the card; hide=coords hides it', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: NET });
  await waitForRun(page);
  await openCard(page);
  await page.waitForFunction(() => /^[1-9]\d* of/.test(document.querySelector('[data-testid="coord-status"]').textContent), null, { timeout: 60000 });
  await page.click('[data-testid="coord-cancel"]');
  await page.waitForFunction(() => /cancelled/.test(document.querySelector('[data-testid="coord-status"]').textContent));
  const status = await page.textContent('[data-testid="coord-status"]');
  const [done, total] = /^(\d+) of (\d+)/.exec(status).slice(1).map(Number);
  assert.ok(done < total, status);
  await page.waitForTimeout(500);
  assert.equal(await page.textContent('[data-testid="coord-status"]'), status);
  await page.click('[data-testid="coord-close"]');
  assert.equal(await page.locator('[data-testid="coord-check"]').isHidden(), true);
  assert.deepEqual(errors, []);
  await page.close();

  const embedded = await openLab(browser.context, server.url, { hash: `${NET}&embed=1&hide=coords` });
  await waitForRun(embedded.page);
  await openCard(embedded.page);
  assert.equal(await embedded.page.locator('[data-testid="coord-check"]').isVisible(), false);
  await embedded.page.close();
});
