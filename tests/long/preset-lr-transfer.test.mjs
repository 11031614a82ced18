// lr-transfer (wasm/presetTableMup.mjs) in the page at its real size: its runs, then its six
// sweeps (width × learning rate, SP and muP, three seeds) in the page's workers, give
// runPreset's records and checks, and the heatmaps are coloured by loss.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { checkOutcome, getPreset } from '../../wasm/presets.mjs';
import { useBrowser, openLab, screenshotDir } from '../e2e/helpers.mjs';
import { checksOnPage, sameChecks, presetInNode } from '../e2e/presetPage.mjs';

const { server, browser } = useBrowser();

let lab;

before(async () => {
  lab = await loadInitscope();
});

test('lr-transfer in the page: its runs and its six sweeps give runPreset\'s records and checks, the heatmaps coloured by loss', async () => {
  const transfer = getPreset('lr-transfer');
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=lr-transfer' });
  await page.click('[data-testid="preset-run"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-panel"]').dataset.done === 'true' && document.body.dataset.settled === 'true', null, { timeout: 120000 });
  await page.click('[data-testid="preset-sweeps-run"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-sweeps"]').dataset.state === 'done', null, { timeout: 400000 });
  const node = await presetInNode(lab, transfer);
  for (const { label } of transfer.sweeps) {
    const summary = JSON.parse(await page.getAttribute(`[data-testid="preset-sweep"][data-label="${label}"]`, 'data-summary'));
    assert.deepEqual(summary.byX, node[label].byX, label);
    // The table's last column: the learning rate of the lowest loss per width.
    const rows = await page.$$eval(`[data-testid="preset-sweep"][data-label="${label}"] tbody tr`, (rs) => rs.map((r) => Number(r.cells[5].textContent)));
    rows.forEach((lr, i) => assert.ok(Math.abs(lr / node[label].byX[i].lowestLossY - 1) < 0.01, `${label}: ${lr}`));
    assert.equal(await page.getAttribute(`[data-testid="preset-sweep"][data-label="${label}"] .heatmap-scale`, 'data-show'), 'loss');
  }
  sameChecks(await checksOnPage(page), checkOutcome(transfer, node), transfer);
  assert.ok((await checksOnPage(page)).every((c) => c.holds === 'true'));
  await page.screenshot({ path: join(await screenshotDir(), 'preset-lr-transfer.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
