// The "Gradients: shattering" card: the worker's gradient line (run.gradientLine) drawn per
// layer and along the line, with the numbers in words. relu then BatchNorm, 12 times: the
// neighbouring gradients part company with depth; the Coursera network's stay alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openLab, waitForRun } from './helpers.mjs';

const { server, browser } = useBrowser();

/** The card's sentence → its correlations, layer by layer. */
async function correlations(page) {
  await page.waitForSelector('[data-testid="chart-text-shatter"]:not(:empty)');
  const text = await page.textContent('[data-testid="chart-text-shatter"]');
  return [...text.matchAll(/(?:layer \d+|output layer) (-?\d+(?:\.\d+)?(?:e-?\d+)?)/g)].map((m) => Number(m[1]));
}

test('the shattering card: neighbouring gradients part company through relu and batchnorm, not in the default network', async () => {
  const deep = `layers=${Array(12).fill('128:relu|batchnorm').join('|')}|1:sigmoid`;
  const { page, errors } = await openLab(browser.context, server.url, { hash: deep });
  await waitForRun(page);
  const c = await correlations(page);
  assert.equal(c.length, 25);
  assert.ok(c[0] > 0.9, `layer 1: ${c[0]}`);
  assert.ok(Math.abs(c[23]) < 0.3, `layer 24: ${c[23]}`);
  // Two charts: per layer, and the output layer's gradient along the line.
  assert.equal(await page.locator('[data-testid="view-shatter"] .uplot').count(), 2);
  assert.equal(await page.isVisible('[data-testid="shatter-empty"]'), false);

  const plain = await openLab(browser.context, server.url);
  await waitForRun(plain.page);
  const d = await correlations(plain.page);
  assert.equal(d.length, 3);
  for (const v of d) assert.ok(v > 0.9, `default network: ${d}`);
  assert.deepEqual([...errors, ...plain.errors], []);
});
