// A Vite plugin: `virtual:initscope-preset-index`, the experiments menu's index (each
// preset's name and title, in the table's order), written at build time from the table of
// wasm/presetTable.mjs. The page's first load carries the menu without the table; the
// table (text, runs, published numbers) loads with the first preset opened
// (web/src/presetTable.js).
import { fileURLToPath, pathToFileURL } from 'node:url';

const ID = 'virtual:initscope-preset-index';
const TABLES = ['../wasm/presetTable.mjs', '../wasm/presetTableResidual.mjs'].map((path) => fileURLToPath(new URL(path, import.meta.url)));

export function presetIndex() {
  return {
    name: 'initscope-preset-index',
    resolveId: (id) => (id === ID ? `\0${ID}` : null),
    async load(id) {
      if (id !== `\0${ID}`) return null;
      for (const file of TABLES) this.addWatchFile(file);
      const { PRESETS } = await import(pathToFileURL(TABLES[0]).href);
      return `export default ${JSON.stringify(PRESETS.map(({ name, title }) => ({ name, title })))};`;
    },
  };
}
