import { serveDist, launch, openLab } from './helpers.mjs';
const server = await serveDist();
const browser = await launch();
const SWEEP = `layers=${encodeURIComponent('12:tanh|12:tanh|1:sigmoid')}&init=glorot_normal&opt=adam&lr=0.02&data=spiral&sweep=${encodeURIComponent('init.scale:0.01:3:6:log;depth:1:3:3:linear;150;trainAccuracy:0.9;loss')}`;
async function sweepShot(page, name) {
  await page.click('[data-testid="sweep-run"]');
  await page.waitForSelector('[data-testid="sweep-panel"][data-state="done"]', { timeout: 120000 });
  const card = page.locator('[data-testid="view-sweep"]');
  await card.scrollIntoViewIfNeeded();
  const box = await page.locator('.heatmap .u-over').boundingBox();
  await page.mouse.move(box.x + box.width * 0.95, box.y + box.height * 0.95);
  await page.waitForTimeout(300);
  await card.screenshot({ path: `test-output/${name}.png` });
}
for (const [w, h] of [[1366, 768], [375, 740]]) {
  const { page } = await openLab(browser.context, server.url, { hash: SWEEP, viewport: { width: w, height: h } });
  await sweepShot(page, `sweep-${w}`);
  await page.close();
  const c = await openLab(browser.context, server.url, { hash: 'preset=dlai-histograms', viewport: { width: w, height: h } });
  await c.page.waitForTimeout(2500);
  await c.page.locator('[data-testid="run-uniform"] [data-testid="hist-activations-z"]').check();
  await c.page.locator('[data-testid="run-zero"]').scrollIntoViewIfNeeded();
  await c.page.screenshot({ path: `test-output/compare4-${w}.png` });
  await c.page.close();
}
// 700 px wide in an iframe
const host = await browser.context.newPage();
await host.setViewportSize({ width: 760, height: 900 });
await host.setContent(`<iframe id="f" src="${server.url}?embed=1#${SWEEP}" style="width:700px;height:1800px;border:1px solid #ccc"></iframe>`);
const frame = await (await host.waitForSelector('#f')).contentFrame();
await frame.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
await frame.waitForSelector('[data-testid="sweep-run"]:not([disabled])');
await frame.click('[data-testid="sweep-run"]');
await frame.waitForSelector('[data-testid="sweep-panel"][data-state="done"]', { timeout: 120000 });
await frame.locator('[data-testid="view-sweep"]').screenshot({ path: 'test-output/sweep-700-iframe.png' });
await host.setContent(`<iframe id="f" src="${server.url}?embed=1#preset=dlai-histograms" style="width:700px;height:2400px;border:1px solid #ccc"></iframe>`);
const f2 = await (await host.waitForSelector('#f')).contentFrame();
await f2.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
await host.waitForTimeout(2500);
await f2.locator('[data-testid="run-zero"]').screenshot({ path: 'test-output/compare4-700-iframe-zero.png' });
await host.screenshot({ path: 'test-output/compare4-700-iframe.png', fullPage: true });
await browser.close(); await server.close();
