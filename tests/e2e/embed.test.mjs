// Embed mode: the example course page's iframes fit their content (the lab posts its
// height, the page's script sizes the iframe), on a desktop and on a 360 px phone, without
// the parts the URL hides; the Embed dialog writes a snippet that does the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openLab, screenshotDir, serveDist } from './helpers.mjs';
import { frames, fits } from './frames.mjs';

const { server, browser } = useBrowser();

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
      // In an iframe the header is one slim row of share links; its title and the way in
      // take no room, and its h1 stays in the outline for screen readers.
      const header = await frame.$eval('.top', (e) => {
        const size = (el) => { const r = el.getBoundingClientRect(); return { width: r.width, height: r.height }; };
        return { top: size(e), brand: size(e.querySelector('.brand')), wayIn: size(e.querySelector('.way-in')), h1: e.querySelector('h1')?.textContent };
      });
      assert.ok(header.top.height <= 44, `the header is one slim row in an iframe: ${JSON.stringify(header)}`);
      for (const part of ['brand', 'wayIn']) assert.ok(header[part].width <= 1 && header[part].height <= 1, `${part} shown in an iframe: ${JSON.stringify(header)}`);
      assert.equal(header.h1, 'initscope');
    }
    // What the first lab's URL hides is hidden; the rest is there.
    const zeros = labs[0].frame;
    for (const hidden of ['#settings', '[data-testid="view-gradients"]', '[data-testid="view-summary"]', '[data-testid="view-activations"]']) assert.equal(await zeros.isVisible(hidden), false, hidden);
    for (const shown of ['#toolbar', '[data-testid="view-loss"]', '[data-testid="view-data"]', '[data-testid="view-health"]', '#verdict']) assert.ok(await zeros.isVisible(shown), shown);
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

/** A host page with one 700 px wide iframe on `src` and the snippet's resize script → { host, el, frame }. */
async function hostAt700(src) {
  const host = await browser.context.newPage();
  await host.setViewportSize({ width: 760, height: 900 });
  const errors = [];
  host.on('pageerror', (e) => errors.push(String(e)));
  host.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await host.route(`${server.url}host700.html`, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><meta charset="utf-8"><body style="margin:0 30px"><iframe src="${src}" style="width: 700px; height: 640px; border: 0"></iframe>
      <script>addEventListener("message", (e) => { if (e.data && e.data.type === "initscope:height") document.querySelector("iframe").style.height = e.data.height + "px"; });</script></body>`,
  }));
  await host.goto(`${server.url}host700.html`);
  const [{ el, frame }] = await frames(host);
  return { host, el, frame, errors };
}

/** The cards' boxes in the frame, by name. */
const cardBoxes = (frame) => frame.$$eval('#cards .card', (cs) => cs.filter((c) => c.offsetParent).map((c) => {
  const r = c.getBoundingClientRect();
  return { id: c.dataset.testid, left: Math.round(r.left), top: Math.round(r.top), width: Math.round(r.width) };
}));

// The heights the issue measured before the compact embed (zeros lab and the Coursera preset,
// 700 px wide): the compact layout must stay well below them.
const BEFORE = { zeros: 3261, coursera: 4353 };

test('the compact embed at 700 px: two charts a row, no Import, well below the old heights', async () => {
  const dir = await screenshotDir();
  const heights = {};
  for (const [name, hash, hide] of [
    // The zeros lab without the shattering, Jacobian and weights-moved cards, which came after
    // BEFORE was measured: the same cards, so the heights compare like for like.
    ['zeros', 'init=zeros', 'shatter,jacobian,moved'], ['coursera', 'preset=coursera-circles', ''], ['coursera-no-card', 'preset=coursera-circles', 'preset'],
  ]) {
    const { host, el, frame, errors } = await hostAt700(`${server.url}?embed=1${hide ? `&hide=${hide}` : ''}#${hash}`);
    const { box } = await fits(el, frame);
    heights[name] = box.height;
    // Two charts a row: the first two cards of a run side by side, each at least 300 px wide.
    const cards = await cardBoxes(frame);
    // (A preset's runs share one loss chart across the width; each run's cards are two a row.)
    const [a, b] = cards.filter((c) => c.id !== 'view-compare-loss');
    assert.equal(a.top, b.top, `${name}: ${JSON.stringify(cards)}`);
    assert.ok(b.left > a.left + 290 && a.width >= 300 && b.width >= 300, `${name}: ${JSON.stringify([a, b])}`);
    assert.equal(await frame.isVisible('[data-testid="btn-import"]'), false, `${name}: Import in an embed`);
    assert.ok(await frame.isVisible('[data-testid="btn-export"]'), name);
    assert.equal(await frame.isVisible('[data-testid="preset-panel"]'), name === 'coursera', name);
    assert.equal(await frame.isVisible('#preset-menu'), name !== 'coursera-no-card', `${name}: the experiments menu`);
    await host.screenshot({ path: join(dir, `embed-700-${name}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await host.close();
  }
  // Reported by the test run: what the compact layout measures.
  console.log(`compact embed heights at 700 px: ${JSON.stringify(heights)}`);
  assert.ok(heights.zeros < 0.85 * BEFORE.zeros, `zeros lab ${heights.zeros} px`);
  assert.ok(heights.coursera < 0.85 * BEFORE.coursera, `Coursera preset ${heights.coursera} px`);
  assert.ok(heights['coursera-no-card'] < heights.coursera - 300, JSON.stringify(heights));
});

test('maxHeight= caps the embed\'s height: the lab scrolls inside its iframe, the run buttons stay in view', async () => {
  const { host, el, frame, errors } = await hostAt700(`${server.url}?embed=1&maxHeight=600#init=zeros`);
  const { box, inner } = await fits(el, frame, { maxHeight: 600 });
  assert.equal(box.height, 600);
  assert.ok(inner.body > 1500, `${inner.body} px of lab`);
  await frame.evaluate(() => window.scrollTo(0, 1000));
  const bar = await frame.$eval('.runbar', (e) => e.getBoundingClientRect().top);
  assert.ok(Math.abs(bar) <= 1, `run bar at ${bar} px after scrolling`);
  assert.ok(await frame.isVisible('[data-testid="btn-play"]'));
  // A settings change rewrites the lab's URL: the maximum height stays in it.
  await frame.evaluate(() => window.scrollTo(0, 0));
  await frame.click('[data-testid="panel-init"] > summary');
  await frame.selectOption('[data-field="init"]', 'he_normal');
  await frame.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('init') === null);
  assert.equal(await frame.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('maxHeight')), '600');
  await host.screenshot({ path: join(await screenshotDir(), 'embed-700-max-height.png') });
  assert.deepEqual(errors, []);
  await host.close();

  // A bad value is named in a notice, and the lab grows to fit.
  const bad = await hostAt700(`${server.url}?embed=1&maxHeight=20#init=zeros`);
  assert.match(await bad.frame.textContent('[data-testid="notice"][data-key="maxHeight"]'), /maxHeight=20 — allowed: an integer from 200 to 100000/);
  await fits(bad.el, bad.frame);
  await bad.host.close();
});

test('the Embed dialog previews its snippet live: parts, maximum height', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'init=zeros', viewport: { width: 1366, height: 768 } });
  await page.click('[data-testid="btn-embed"]');
  await page.waitForSelector('[data-testid="embed-preview-frame"]');  // the dialog's code loads on its first open
  const srcOf = async () => /<iframe src="([^"]+)"/.exec(await page.inputValue('[data-testid="embed-code"]'))[1].replace(/&amp;/g, '&');
  const [preview] = await frames(page, '[data-testid="embed-preview-frame"]');
  assert.equal(await preview.el.getAttribute('src'), await srcOf());
  assert.ok(await preview.frame.isVisible('#settings'));
  assert.equal(await preview.frame.isVisible('[data-testid="btn-import"]'), false);

  // Unchecking a part: the snippet and, a moment later, the preview leave it out.
  await page.uncheck('[data-testid="embed-show-controls"]');
  await page.uncheck('[data-testid="embed-show-summary"]');
  const src = await srcOf();
  assert.equal(new URL(src).searchParams.get('hide'), 'controls,summary');
  await page.waitForFunction((s) => document.querySelector('[data-testid="embed-preview-frame"]').getAttribute('src') === s, src);
  const [again] = await frames(page, '[data-testid="embed-preview-frame"]');
  await again.frame.waitForFunction(() => document.body.dataset.hide === 'controls,summary');
  assert.equal(await again.frame.isVisible('#settings'), false);
  assert.equal(await again.frame.isVisible('[data-testid="view-summary"]'), false);

  // A maximum height: in the snippet (its first height too) and in the preview's iframe.
  await page.fill('[data-testid="embed-max-height"]', '500');
  const code = await page.inputValue('[data-testid="embed-code"]');
  assert.equal(new URL(await srcOf()).searchParams.get('maxHeight'), '500');
  assert.match(code, /height: 500px/);
  const [capped] = await frames(page, '[data-testid="embed-preview-frame"]');
  await capped.frame.waitForFunction(() => document.body.dataset.maxHeight === '500');
  await fits(capped.el, capped.frame, { maxHeight: 500 });
  await page.screenshot({ path: join(await screenshotDir(), 'embed-dialog-preview.png') });

  // A value that is no height is refused with what is allowed; the snippet leaves it out.
  await page.fill('[data-testid="embed-max-height"]', '50');
  assert.equal(await page.getAttribute('[data-testid="embed-max-height"]', 'aria-invalid'), 'true');
  assert.match(await page.textContent('[data-testid="embed-max-height-error"]'), /"50" is not a height: allowed is an integer from 200 to 100000/);
  assert.equal(new URL(await srcOf()).searchParams.get('maxHeight'), null);

  // Closing drops the preview (and its lab's worker).
  // (The dialog's close event, which drops it, comes as a task after the click.)
  await page.click('[data-testid="embed-close"]');
  await page.waitForSelector('[data-testid="embed-preview-frame"]', { state: 'detached', timeout: 5000 });
  assert.equal(await page.$('[data-testid="embed-preview-frame"]'), null);
  assert.deepEqual(errors, []);
  await page.close();
});
