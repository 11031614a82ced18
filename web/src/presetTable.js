// The presets as the page has them: the menu's index (name and title of each, written at
// build time by web/presetIndex.mjs) on the first load, and the table of wasm/presetTable.mjs
// (text, runs, published numbers) as a chunk of its own, loaded when a preset is first
// opened (from the menu or a link's preset=). The page hands each run's worker the row of
// its preset.
import PRESET_INDEX from 'virtual:initscope-preset-index';

export { PRESET_INDEX };

let loading = null;

/** The table (wasm/presetTable.mjs PRESETS), fetched the first time it is asked for. */
export function loadPresetTable() {
  loading ??= import('../../wasm/presetTable.mjs').then((module) => module.PRESETS);
  // A failed fetch (the network went away) is tried again on the next ask.
  loading.catch(() => { loading = null; });
  return loading;
}
