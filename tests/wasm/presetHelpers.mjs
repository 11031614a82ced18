// Shared by the presets' tests: run a preset at its real size and check its own outcome.
import assert from 'node:assert/strict';

import { checkOutcome, comparePublished, getPreset, runPreset } from '../../wasm/presets.mjs';
import { runSweep } from '../../wasm/sweep.mjs';
import { lab } from './helpers.mjs';

export const sweepOnWorkers = (spec, options) => runSweep(spec, { workers: 2, ...options });

/** Runs a preset at its real size and checks its own outcome; returns the results. */
export async function runChecked(t, name) {
  const preset = getPreset(name);
  const started = performance.now();
  const results = await runPreset(lab, preset, { sweep: sweepOnWorkers });
  const outcome = checkOutcome(preset, results);
  t.diagnostic(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const c of outcome.checks) t.diagnostic(`${c.holds ? 'ok' : 'FAILS'}: ${c.claim}: ${c.detail}`);
  for (const r of comparePublished(preset, results)) t.diagnostic(`${r.run} ${r.quantity}: published ${r.shown}, ours ${r.ours}`);
  assert.equal(outcome.checks.length, preset.expect.length, 'every check ran');
  assert.ok(outcome.holds, outcome.checks.filter((c) => !c.holds).map((c) => `${c.claim}: ${c.detail}`).join('; '));
  return results;
}
