// The lessons (?lesson=…, web/src/lessons/): the contents, a lesson with its labs
// loaded and trained by hand, the predict-then-run answer revealed only after the run,
// the checks evaluated on the learner's own run (a changed run fails them), "Open in the
// lab ↗" opening the same settings, a lesson and a single lab embedded, the single-file
// build from file://, and the glossary terms of the lab page reached by Tab.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useBrowser, openLab, dist, screenshotDir, serveDist } from './helpers.mjs';
import { openLesson as openLessonOf, labFrame, trainLab, checksOf, checkLessonLabs } from './lessonPage.mjs';
import { POLICY } from '../../web/csp.mjs';
import { LESSONS } from '../../web/src/lessons/content.js';
import AxeBuilder from '@axe-core/playwright';
import { GLOSSARY } from '../../web/src/glossary.js';

const { server, browser } = useBrowser();

const openLesson = (query, options) => openLessonOf(browser, server, query, options);

test('the contents list every lesson, each a link that opens it', async () => {
  const { page, errors } = await openLesson('lesson=contents');
  const links = await page.locator('[data-testid="lesson-contents"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links.map((h) => new URLSearchParams(h.split('?')[1]).get('lesson')), LESSONS.map((l) => l.id));
  await page.click(`[data-testid="lesson-link-${LESSONS[2].id}"]`);
  await page.waitForSelector(`[data-testid="lesson"][data-lesson="${LESSONS[2].id}"]`);
  assert.match(await page.title(), /Keeping the variance/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an unknown lesson says so and shows the contents', async () => {
  const { page } = await openLesson('lesson=%3Cb%3Enope');
  assert.match(await page.textContent('[data-testid="lesson-notice"]'), /There is no lesson "<b>nope"/);
  assert.equal(await page.locator('[data-testid="lesson-notice"] b').count(), 0);
  assert.equal(await page.locator('[data-testid="lesson-contents"] li').count(), LESSONS.length);
  await page.close();
});

// One lesson whole in the page here (the one the series turns on); every lesson's labs are
// trained in the page by tests/long/lesson-labs.test.mjs and checked in Node by
// tests/wasm/lessons.test.mjs.
test('lesson variance: its labs load and train, the answer shows after the run, its checks hold on the run', async () => {
  await checkLessonLabs(browser, server, LESSONS.find((l) => l.id === 'variance'));
});

test('the checks are evaluated on the learner\'s own run: a changed run fails them, and a wrong prediction is told', async () => {
  const { page } = await openLesson('lesson=symmetry');
  const section = page.locator('[data-testid="lab-zeros"]');
  const frame = await labFrame(page, 'zeros');
  await section.locator('[data-testid="choice-0"]').check();
  // The learner changes the lab: Glorot's random weights instead of zeros.
  await frame.$eval('[data-field="init"]', (select) => select.closest('details')?.setAttribute('open', ''));
  await frame.selectOption('[data-field="init"]', 'glorot_uniform');
  await frame.waitForFunction(() => document.body.dataset.step === '0' && document.body.dataset.settled === 'true' && location.hash.includes('init=glorot_uniform'));
  await trainLab(frame, 300);
  await section.locator('[data-testid="predict-answer"]').waitFor({ state: 'visible' });
  assert.equal(await section.locator('[data-testid="predict-answer"]').getAttribute('data-right'), 'false');
  const checks = await checksOf(section);
  assert.equal(checks[0].holds, 'false', checks[0].text);
  assert.match(checks[0].text, /\d+/);
  // The link to the full lab follows the learner's settings.
  assert.match(await section.locator('[data-testid="open-in-lab"]').getAttribute('href'), /init=glorot_uniform/);
  await section.locator('[data-testid="predict-answer"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(await screenshotDir(), 'lesson-checked.png') });
  await page.close();
});

test('a lesson embeds whole (embed=1) and lab by lab (lab=…), and posts its height', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1000, height: 800 });
  const url = `${server.url}?lesson=vanishing-exploding&embed=1`;
  await page.setContent(`<!doctype html><iframe id="f" src="${url}" style="width:700px;height:400px;border:0"></iframe>
    <script>addEventListener('message', (e) => { if (e.data?.type === 'initscope:height') document.getElementById('f').style.height = e.data.height + 'px'; });</script>`);
  const frame = await (await page.$('#f')).contentFrame();
  await frame.waitForSelector('body[data-ready="true"][data-embed="true"]');
  await page.waitForFunction(() => document.getElementById('f').offsetHeight > 1000);
  assert.equal(await frame.locator('.lesson-nav').count(), 0, 'no page chrome in the embed');
  assert.equal(await frame.locator('section[data-testid^="lab-"]').count(), 2);
  await frame.locator('[data-testid="lab-small"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(await screenshotDir(), 'lesson-iframe-700.png'), fullPage: false });
  const one = await browser.context.newPage();
  await one.goto(`${server.url}?lesson=vanishing-exploding&lab=large&embed=1`);
  await one.waitForSelector('body[data-ready="true"]');
  assert.equal(await one.locator('section[data-testid^="lab-"]').count(), 1);
  assert.equal(await one.locator('[data-testid="lab-large"]').count(), 1);
  await one.close();
  await page.close();
});

test('lesson screenshots at 1366 × 768 and 375 px', async () => {
  const dir = await screenshotDir();
  const { page } = await openLesson('lesson=activation');
  await page.screenshot({ path: join(dir, 'lesson-1366.png') });
  await labFrame(page, 'relu30');
  await page.screenshot({ path: join(dir, 'lesson-1366-lab.png') });
  await page.close();
  const phone = await openLesson('lesson=symmetry', { viewport: { width: 375, height: 740 } });
  await phone.page.screenshot({ path: join(dir, 'lesson-375.png') });
  await labFrame(phone.page, 'zeros');
  await phone.page.screenshot({ path: join(dir, 'lesson-375-lab.png') });
  const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `no sideways scroll at 375 px (${width})`);
  await phone.page.close();
});

test('every glossary term of the lab page is reached by Tab and shows its line; Escape hides it', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  const keys = await page.locator('[data-term]').evaluateAll((els) => els.filter((e) => e.getClientRects().length).map((e) => e.dataset.term));
  assert.ok(keys.length >= 8, `terms on the lab page: ${keys.join(', ')}`);
  const seen = new Set();
  await page.focus('body');
  for (let i = 0; i < 600 && seen.size < new Set(keys).size; i++) {
    await page.keyboard.press('Tab');
    const key = await page.evaluate(() => document.activeElement?.dataset?.term ?? null);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const tip = page.locator('[data-testid="term-tip"]');
    assert.equal(await tip.isVisible(), true, key);
    assert.ok((await tip.textContent()).includes(GLOSSARY[key].text), key);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-describedby')), 'term-tip');
  }
  assert.deepEqual([...seen].sort(), [...new Set(keys)].sort());
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('[data-testid="term-tip"]').isHidden(), true);
  // Hover shows it too.
  await page.hover('[data-term="chi1"]');
  assert.match(await page.textContent('[data-testid="term-tip"]'), /χ₁/);
  assert.deepEqual(errors, []);
  await page.close();
});

for (const query of ['lesson=contents', 'lesson=variance', 'lesson=clipping&lab=clip&embed=1']) {
  test(`axe: no serious or critical violation on ${query}`, async () => {
    const { page, errors } = await openLesson(query);
    const { violations, passes } = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).exclude('iframe').analyze();
    assert.ok(passes.length > 10, 'axe ran its rules');
    for (const v of violations) console.log(`${query}: ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
    assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('under the page\'s Content-Security-Policy a lesson and its lab load with no violation', async () => {
  const strict = await serveDist({ headers: { 'Content-Security-Policy': POLICY } });
  const page = await browser.context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`violation ${e.violatedDirective} ${e.blockedURI}`));
  });
  try {
    await page.goto(`${strict.url}?lesson=normalization`);
    await page.waitForSelector('body[data-ready="true"][data-page="lesson"]');
    const frame = await labFrame(page, 'iris');
    await frame.waitForSelector('[data-term]', { state: 'attached' });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await strict.close();
  }
});

let folder;
before(async () => {
  const single = join(dist, 'initscope.html');
  if (!existsSync(single)) throw new Error('dist/initscope.html is missing: run `npm run build:single` first');
  folder = await mkdtemp(join(tmpdir(), 'initscope-lesson-single-'));
  await copyFile(single, join(folder, 'initscope.html'));
});
after(async () => { if (folder) await rm(folder, { recursive: true, force: true }); });

test('the single-file build opens a lesson from file://, and its lab trains and is checked', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${pathToFileURL(join(folder, 'initscope.html')).href}?lesson=symmetry`);
  await page.waitForSelector('body[data-ready="true"][data-page="lesson"]');
  assert.match(await page.textContent('[data-testid="lesson-title"]'), /zeros and symmetry/);
  const frame = await labFrame(page, 'zeros');
  assert.ok(frame.url().startsWith('file:'));
  await trainLab(frame, 300);
  const section = page.locator('[data-testid="lab-zeros"]');
  await section.locator('[data-testid="predict-answer"]').waitFor({ state: 'visible' });
  assert.ok((await checksOf(section)).every((c) => c.holds === 'true'));
  assert.ok((await section.locator('[data-testid="open-in-lab"]').getAttribute('href')).startsWith('file:'));
  assert.deepEqual(errors, []);
  await page.close();
});
