import { serveDist, launch, openLab } from './helpers.mjs';
const server = await serveDist();
const browser = await launch();
const { page } = await openLab(browser.context, server.url, { hash: 'preset=dlai-histograms', viewport: { width: 1366, height: 768 } });
await page.waitForTimeout(3000);
console.log(await page.$$eval('[data-testid^="run-"]', (e) => e.map((x) => x.dataset.testid)));
console.log(await page.$$eval('[data-testid="run-A"] [data-testid]', (e) => e.map((x) => x.dataset.testid).slice(0, 30)));
await page.screenshot({ path: 'test-output/probe.png' });
await browser.close(); await server.close();
