// Presets: published initialization experiments. This module is the presets' entry
// ('initscope/presets'): the table (presetTable.mjs, which says what a preset holds), the
// runner (presetRunner.mjs: runPreset and the records, presetRecord.mjs) and the checks
// (presetChecks.mjs: checkOutcome, comparePublished). The checks import no table, so that
// the page's main script can use them while only its worker carries the table; the worker
// imports the table and the records from their own modules, without the runner's sweeps.
//
//   import { PRESETS, getPreset, runPreset, checkOutcome, comparePublished } from './presets.mjs';
//   const preset = getPreset('coursera-circles');
//   const results = await runPreset(lab, preset);          // { label: record, ... }
//   checkOutcome(preset, results);                        // { holds, checks: [...] }
//   comparePublished(preset, results);                    // [{ run, quantity, published, ours }]
//
export * from './presetRunner.mjs';
export * from './presetChecks.mjs';
export { PRESETS, getPreset } from './presetTable.mjs';
