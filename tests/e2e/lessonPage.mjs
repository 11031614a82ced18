// Shared by the lesson tests (tests/e2e/lessons.test.mjs, tests/long/lesson-labs.test.mjs):
// a lesson page opened, a lab's iframe loaded, a lab trained to its steps, and a whole
// lesson checked lab by lab as a learner goes through it.
import assert from 'node:assert/strict';

/** A new page of `browser` on the lesson `query`, with console and page errors collected. */
export async function openLesson(browser, server, query, { viewport = { width: 1366, height: 768 } } = {}) {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}?${query}`);
  await page.waitForSelector('body[data-ready="true"][data-page="lesson"]');
  return { page, errors };
}

/** The lab's iframe in `section`, loaded (scrolled to: the iframes load lazily). */
export async function labFrame(page, labId) {
  const section = page.locator(`[data-testid="lab-${labId}"]`);
  await section.scrollIntoViewIfNeeded();
  const handle = await section.locator('iframe').elementHandle();
  let frame = null;
  for (let i = 0; i < 100 && !frame?.url().startsWith('http') && !frame?.url().startsWith('file'); i++) {
    frame = await handle.contentFrame();
    if (!frame?.url() || frame.url() === 'about:blank') await page.waitForTimeout(100);
  }
  await frame.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return frame;
}

/**
 * Trains the lab in `frame` to `steps`: its link carries until=steps, so Play pauses there by
 * itself (or where every run has diverged). The test waits for that pause, never clicks it:
 * a click racing the lab's own pause would start Play again past the until step.
 */
export async function trainLab(frame, steps) {
  await frame.evaluate(() => {
    window.playedOnce = false;
    new MutationObserver(() => { if (document.body.dataset.playing === 'true') window.playedOnce = true; })
      .observe(document.body, { attributes: true, attributeFilter: ['data-playing'] });
  });
  assert.match(frame.url(), new RegExp(`[?&#]until=${steps}(&|#|$)`));
  await frame.click('[data-testid="btn-play"]');
  await frame.waitForFunction(() => window.playedOnce && document.body.dataset.playing === 'false' && document.body.dataset.settled === 'true', null, { timeout: 60000 });
}

export const checksOf = (section) => section.locator('[data-testid="lesson-check"]').evaluateAll((lis) => lis.map((li) => ({ holds: li.dataset.holds, text: li.textContent })));

/**
 * A lesson as a learner goes through it: every number placeholder filled; for each lab, no
 * answer and every check pending before the run, the right prediction chosen, the lab trained
 * to its steps, the answer shown, every check holding on the run, and "Open in the lab ↗"
 * opening the same settings in the full lab.
 */
export async function checkLessonLabs(browser, server, lesson) {
  const { page, errors } = await openLesson(browser, server, `lesson=${lesson.id}`);
  assert.equal(await page.locator('[data-testid="lesson-title"]').count(), 1);
  // Every number placeholder was filled, every term is a focusable term.
  const text = await page.textContent('[data-testid="lesson"]');
  assert.doesNotMatch(text, /\{[A-Za-z][\w-]*\}|\[\[/);
  for (const entry of lesson.labs) {
    const section = page.locator(`[data-testid="lab-${entry.id}"]`);
    const frame = await labFrame(page, entry.id);
    // Before the run: no answer, every check waiting.
    assert.equal(await section.locator('[data-testid="predict-answer"]').isHidden(), true);
    assert.ok((await checksOf(section)).every((c) => c.holds === 'pending'));
    await section.locator(`[data-testid="choice-${entry.predict.answer}"]`).check();
    await trainLab(frame, entry.steps);
    await page.locator(`[data-testid="lab-${entry.id}"][data-done="true"]`).waitFor();
    const answer = section.locator('[data-testid="predict-answer"]');
    await answer.waitFor({ state: 'visible' });
    assert.equal(await answer.getAttribute('data-right'), 'true');
    const checks = await checksOf(section);
    assert.equal(checks.length, entry.checks.length);
    for (const c of checks) assert.equal(c.holds, 'true', `${entry.id}: ${c.text}`);
    // "Open in the lab ↗": the same settings in the full lab.
    const href = await section.locator('[data-testid="open-in-lab"]').getAttribute('href');
    const full = await browser.context.newPage();
    await full.goto(new URL(href, server.url).href);
    await full.waitForSelector('body[data-ready="true"]');
    const settings = (url) => { const p = new URLSearchParams(new URL(url).hash.slice(1)); p.delete('embed'); p.delete('hide'); p.delete('step'); return p.toString(); };
    assert.equal(settings(full.url()), settings(frame.url()), `${entry.id}: the full lab has the lab's settings`);
    assert.equal(await full.getAttribute('body', 'data-embed'), 'false');
    await full.close();
  }
  assert.deepEqual(errors, []);
  await page.close();
}
