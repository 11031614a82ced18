import { serveDist, launch, openLab } from './helpers.mjs';
const server = await serveDist();
const browser = await launch();
for (const [w, h] of [[1366, 768], [375, 740]]) {
  const { page } = await openLab(browser.context, server.url, { hash: `layers=${encodeURIComponent('10:relu|5:sigmoid|1:sigmoid')}`, viewport: { width: w, height: h } });
  await page.evaluate(() => { document.querySelector('[data-testid="panel-network"]').open = true; });
  await page.locator('[data-testid="layers-table"]').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="panel-network"]').screenshot({ path: `test-output/layers-${w}.png` });
  const widths = await page.$$eval('[data-testid="layers-table"] select', (ss) => ss.map((s) => `${s.options[s.selectedIndex].text}:${s.offsetWidth}`));
  console.log(w, widths.join(' '));
}
await browser.close(); await server.close();
