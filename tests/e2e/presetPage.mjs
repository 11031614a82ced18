// Shared by the preset tests (tests/e2e/presets.test.mjs, tests/long/preset-lr-transfer.test.mjs):
// a preset's checks as the page shows them, compared with the preset module's in Node.
import assert from 'node:assert/strict';
import { runPreset } from '../../wasm/presets.mjs';
import { runSweep } from '../../wasm/sweep.mjs';

export const checksOnPage = (page) => page.$$eval('[data-testid="preset-check"]', (ls) => ls.map((l) => ({ holds: l.dataset.holds, needs: l.dataset.needs ?? '', text: l.textContent })));

/** The page's checks against checkOutcome's (every check of the preset evaluated). */
export function sameChecks(shown, outcome, preset) {
  assert.equal(shown.length, preset.expect.length);
  assert.equal(outcome.checks.length, preset.expect.length, 'Node ran everything the checks need');
  outcome.checks.forEach((c, i) => {
    assert.equal(shown[i].holds, String(c.holds), shown[i].text);
    assert.ok(shown[i].text.includes(`${c.claim}: ${c.detail}`), `${shown[i].text} / ${c.detail}`);
  });
}

/** runPreset in Node (`runs`: the labels to run, all if absent), its sweeps on two worker threads (the page is idle by then). */
export const presetInNode = (lab, preset, runs) => runPreset(lab, preset, { runs, sweep: (spec, o) => runSweep(spec, { workers: 2, ...o }) });
