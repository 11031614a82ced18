// The verdict line and the chart notes as a learner sees them (the verdict's scenario table
// is in tests/wasm/verdict.test.mjs): a too-large init is named at step 0 and stays named
// while the run learns; a long job's verdict says where it trains to; empty log-scale
// charts say why they are empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openLab, playUntil, step, waitSettled } from './helpers.mjs';

const { server, browser } = useBrowser();
const verdictOf = async (page) => ({
  kind: await page.getAttribute('[data-testid="verdict"]', 'data-kind'),
  severity: await page.getAttribute('[data-testid="verdict"]', 'data-severity'),
  text: await page.textContent('[data-testid="verdict"]'),
});

test('He at step 0: the signal keeps its scale, said with the engine\'s numbers', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  const v = await verdictOf(page);
  assert.equal(v.kind, 'ready');
  assert.equal(v.severity, 'info');
  const stds = [0, 1].map((i) => page.getAttribute(`[data-testid="a-std-${i}"]`, 'data-value').then(Number));
  const [first, second] = await Promise.all(stds);
  assert.ok(Math.abs(second / first - 1) < 0.5, `${first} → ${second}`);
  assert.match(v.text, /^Initialized: activation std [\d.]+ → [\d.]+ over 2 hidden layers \(input RMS [\d.]+\): the signal keeps its scale/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('std 10: "too large" at step 0, "Learning despite a too-large init" (warn) while it learns, never a green line', async () => {
  const init = encodeURIComponent('random_normal(mean=0,stddev=10)');
  const { page, errors } = await openLab(browser.context, server.url, { hash: `init=${init}` });
  const start = await verdictOf(page);
  assert.deepEqual([start.kind, start.severity], ['exploding', 'bad']);
  assert.match(start.text, /^Initialized too large: activation std [\d.]+ → [\d.]+ over 2 hidden layers/);
  await playUntil(page, async (p) => (await step(p)) >= 200);
  await waitSettled(page);
  const later = await verdictOf(page);
  assert.deepEqual([later.kind, later.severity], ['learning', 'warn'], later.text);
  assert.match(later.text, /^Learning despite a too-large init: loss [\d.]+ → [\d.]+ in [\d,]+ steps/);
  assert.doesNotMatch(later.text, /keeps its scale/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link\'s step= job: the verdict says where it trains to until it gets there, then judges the run', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  // Every verdict the page shows, and whether the job's line was showing at that moment.
  await page.addInitScript(() => {
    window.verdicts = [];
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="verdict"]');
      const job = document.querySelector('[data-testid="job"]');
      const last = window.verdicts[window.verdicts.length - 1];
      if (el?.textContent && el.textContent !== last?.text) {
        window.verdicts.push({ kind: el.dataset.kind, text: el.textContent, jobShown: Boolean(job && !job.hidden) });
      }
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const init = encodeURIComponent('random_normal(mean=0,stddev=10)');
  // Long enough (a second or more) for the verdict, which follows a job every TEXT_EVERY_MS, to say it.
  await page.goto(`${server.url}#init=${init}&step=40000`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  await page.waitForFunction(() => document.body.dataset.step === '40000' && document.body.dataset.playing === 'false');
  await page.waitForFunction(() => document.querySelector('[data-testid="verdict"]').dataset.kind !== 'training');
  const seen = await page.evaluate(() => window.verdicts);
  const during = seen.filter((v) => v.jobShown && v.kind !== 'exploding');
  assert.ok(during.length > 0, JSON.stringify(seen));
  for (const v of during) assert.match(v.text, /^Training to step 40,000 \(now [\d,]+\); the verdict follows there\. It started from a too-large init/, JSON.stringify(v));
  const end = await verdictOf(page);
  assert.deepEqual([end.kind, end.severity], ['learning', 'warn'], end.text);
  assert.match(end.text, /in 40,000 steps/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('zeros: the signal and std-over-training charts say why they are empty', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'init=zeros' });
  for (const card of ['signal', 'trace', 'health']) {
    const note = `[data-testid="note-${card}"]`;
    assert.ok(await page.isVisible(note), `${card}: no visible note`);
    const text = await page.textContent(note);
    // At step 0 no weight has moved yet: the health card says when its update bars come.
    assert.match(text, card === 'health' ? /^The ‖ΔW‖\/‖W‖ bars come with the first step\.$/ : /exactly 0 .*a log scale cannot show 0/, text);
    // The sentence under the chart says it too.
    assert.ok((await page.textContent(`[data-testid="chart-text-${card}"]`)).endsWith(text), card);
  }
  assert.match(await page.textContent('[data-testid="note-trace"]'), /activation std is exactly 0 in every layer/);
  // A He run draws every value after a step: no note on the signal and trace charts.
  const he = await openLab(browser.context, server.url);
  await he.page.click('[data-testid="btn-step"]');
  await he.page.waitForFunction(() => document.body.dataset.step === '1');
  for (const card of ['signal', 'trace', 'health']) assert.equal(await he.page.isVisible(`[data-testid="note-${card}"]`), false, card);
  assert.deepEqual(errors, []);
  assert.deepEqual(he.errors, []);
  await page.close();
  await he.page.close();
});
