// Embed mode: the example course page's iframes fit their content (the lab posts its
// height, the page's script sizes the iframe), on a desktop and on a 360 px phone, without
// the parts the URL hides; the Embed dialog writes a snippet that does the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openLab, screenshotDir, serveDist } from './helpers.mjs';

const { server, browser } = useBrowser();

/** Each iframe of the page with its box and its document's sizes, once every lab is ready. */
async function frames(page) {
  const out = [];
  for (const el of await page.$$('iframe')) {
    const frame = await el.contentFrame();
    await frame.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
    out.push({ el, frame });
  }
  return out;
}

/** Waits until the iframe's height is its document's height (the parent got the message). */
async function fits(el, frame) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const box = await el.boundingBox();
    const inner = await frame.evaluate(() => ({
      body: document.body.getBoundingClientRect().height,
      scrollHeight: document.documentElement.scrollHeight, clientHeight: document.documentElement.clientHeight,
      scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
    }));
    if (Math.abs(box.height - Math.ceil(inner.body)) <= 1 && inner.scrollHeight <= inner.clientHeight + 1) return { box, inner };
    if (Date.now() > deadline) throw new Error(`iframe ${box.height} px, its content ${JSON.stringify(inner)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const [name, viewport] of [['desktop', { width: 1200, height: 900 }], ['phone', { width: 360, height: 740 }]]) {
  test(`the course page's labs fit their iframes (${name})`, async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${server.url}examples/course.html`);
    const labs = await frames(page);
    assert.equal(labs.length, 3);
    for (const { el, frame } of labs) {
      const { box, inner } = await fits(el, frame);
      assert.ok(box.height > 300, `${box.height} px`);
      assert.ok(inner.scrollWidth <= inner.clientWidth, `${inner.scrollWidth} px wide in ${inner.clientWidth}`);
      // The header takes no room in an iframe; its h1 stays in the outline for screen readers.
      const header = await frame.$eval('.top', (e) => {
        const r = e.getBoundingClientRect();
        return { width: r.width, height: r.height, h1: e.querySelector('h1')?.textContent };
      });
      assert.ok(header.width <= 1 && header.height <= 1, `page header shown in an iframe: ${JSON.stringify(header)}`);
      assert.equal(header.h1, 'initscope');
    }
    // What the first lab's URL hides is hidden; the rest is there.
    const zeros = labs[0].frame;
    for (const hidden of ['#settings', '[data-testid="view-gradients"]', '[data-testid="view-summary"]']) assert.equal(await zeros.isVisible(hidden), false, hidden);
    for (const shown of ['#toolbar', '[data-testid="view-loss"]', '[data-testid="view-data"]', '#verdict']) assert.ok(await zeros.isVisible(shown), shown);
    assert.equal(await zeros.getAttribute('[data-testid="verdict"]', 'data-kind'), 'symmetry');
    const full = new URL(await zeros.getAttribute('[data-testid="full-lab"]', 'href'));
    assert.equal(full.search, '');
    assert.equal(full.hash, '#init=zeros');
    assert.equal(await labs[1].frame.getAttribute('[data-testid="verdict"]', 'data-kind'), 'vanishing');

    // The open lab grows when a settings panel opens, and its iframe follows.
    const { el, frame } = labs[2];
    const before = (await el.boundingBox()).height;
    await frame.click('[data-testid="panel-training"] > summary');
    await fits(el, frame);
    const after = (await el.boundingBox()).height;
    assert.ok(after > before + 50, `${before} → ${after} px`);
    const dir = await screenshotDir();
    await page.screenshot({ path: join(dir, `course-${name}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the Embed dialog writes a snippet whose iframe opens the same run and fits', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'init=glorot_uniform&seed=9&step=30' });
  await page.click('[data-testid="btn-embed"]');
  await page.uncheck('[data-testid="embed-show-controls"]');
  await page.uncheck('[data-testid="embed-show-summary"]');
  await page.check('[data-testid="embed-at-step"]');
  const code = await page.inputValue('[data-testid="embed-code"]');
  await page.screenshot({ path: join(await screenshotDir(), 'embed-dialog.png') });
  const src = /<iframe src="([^"]+)"/.exec(code)[1].replace(/&amp;/g, '&');
  const url = new URL(src);
  assert.equal(url.searchParams.get('embed'), '1');
  assert.equal(url.searchParams.get('hide'), 'controls,summary');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(url.hash.slice(1))), { seed: '9', init: 'glorot_uniform', step: '30' });
  assert.match(code, /addEventListener\("message"/);

  // The snippet in a page of its own.
  const host = await browser.context.newPage();
  await host.route(`${server.url}snippet.html`, (route) => route.fulfill({
    contentType: 'text/html', body: `<!doctype html><meta charset="utf-8"><body style="margin:0"><p>Course text.</p>${code}</body>`,
  }));
  await host.goto(`${server.url}snippet.html`);
  const [{ el, frame }] = await frames(host);
  await frame.waitForFunction(() => document.body.dataset.step === '30');
  await fits(el, frame);
  assert.equal(await frame.isVisible('#settings'), false);
  assert.equal(await frame.isVisible('[data-testid="view-summary"]'), false);
  assert.equal(await frame.inputValue('[data-field="init"]'), 'glorot_uniform');
  await host.close();

  // A part the page does not have is named in a notice.
  const bogus = await browser.context.newPage();
  await bogus.goto(`${server.url}?embed=1&hide=controls,bogus`);
  await bogus.waitForSelector('body[data-ready="true"]');
  assert.match(await bogus.textContent('[data-testid="notice"][data-key="hide"]'), /^hide=bogus — allowed: parts of the page: controls, toolbar/);
  await bogus.close();
  assert.deepEqual(errors, []);
  await page.close();
});

// An iframe sandboxed without allow-same-origin has an opaque origin: the browser refuses the
// lab's module script and stylesheet (cross-origin without CORS headers) or, where the server
// sends them, its worker. Either way the frame says what the embedding page must allow.
test('an iframe sandboxed without allow-same-origin says what the embedding page must allow', async () => {
  const cors = await serveDist({ headers: { 'access-control-allow-origin': '*' } });
  const host = await browser.context.newPage();
  await host.setViewportSize({ width: 1366, height: 768 });
  const hostPage = (src, sandbox) => `<!doctype html><meta charset="utf-8"><body style="margin:0"><p>Course text.</p>` +
    `<iframe sandbox="${sandbox}" src="${src}" style="width: 700px; height: 480px; border: 1px solid #ccc"></iframe></body>`;
  // The host page comes from the frame's own server (Playwright's routing does not reach a
  // sandboxed frame of another port).
  const open = async (base, path, sandbox) => {
    await host.route(`${base}host.html`, (route) => route.fulfill({ contentType: 'text/html', body: hostPage(`${base}${path}`, sandbox) }));
    await host.goto(`${base}host.html`);
    await host.unroute(`${base}host.html`);
    return host.frames()[1];
  };
  const dir = await screenshotDir();
  try {
    for (const [name, base] of [['no CORS', server.url], ['CORS', cors.url]]) {
      const frame = await open(base, '?embed=1#init=zeros', 'allow-scripts');
      await frame.waitForSelector('[data-testid="blocked"]', { state: 'visible', timeout: 10000 });
      assert.equal(await frame.evaluate(() => self.origin), 'null', name);
      const said = await frame.textContent('[data-testid="blocked"]');
      assert.match(said, /cannot start in this frame/, name);
      assert.match(said, /sandbox="allow-scripts allow-same-origin"/, name);
      // With the page's script running, the message replaces the lab.
      if (name === 'CORS') {
        assert.equal(await frame.getAttribute('body', 'data-ready'), 'blocked');
        assert.equal(await frame.isVisible('#views'), false);
      }
      await host.screenshot({ path: join(dir, `embed-sandboxed-${name.replace(' ', '-').toLowerCase()}.png`) });
    }
    // What the message asks for works, and the single-file build runs even without it.
    for (const [path, sandbox] of [['?embed=1#init=zeros', 'allow-scripts allow-same-origin'], ['initscope.html#init=zeros', 'allow-scripts']]) {
      const frame = await open(server.url, path, sandbox);
      await frame.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
      assert.equal(await frame.isVisible('[data-testid="blocked"]'), false, `${sandbox}: ${path}`);
      await frame.click('[data-testid="btn-step"]');
      await frame.waitForFunction(() => Number(document.body.dataset.step) > 0);
    }
  } finally {
    await host.close();
    await cors.close();
  }
});
