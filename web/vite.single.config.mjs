// `npm run build:single` → dist/initscope.html: the whole lab in one HTML file that works
// opened from file:// and uploaded to a learning platform as a single file. The page's
// script and style are inlined into the HTML; the training worker is inlined too (Vite
// starts it from a Blob URL) and the engine's .wasm travels as base64 in the page's script,
// handed to each worker as bytes (loadInitscope({ wasmBinary })): nothing is fetched.
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { defineConfig } from 'vite';
import { presetIndex } from './presetIndex.mjs';

// Paths are from the repository's top (this file sits in web/).
const here = (path) => fileURLToPath(new URL(path, new URL('../', import.meta.url)));
const VIRTUAL = 'virtual:initscope-wasm-base64';
const outDir = here('./node_modules/.cache/initscope-single');

// The .wasm as base64, and no `new URL('….wasm', import.meta.url)` left for Vite to ship
// as a separate file (the JS API and Emscripten's loader each have one; with the bytes
// given, neither is used).
function inlineWasm() {
  return {
    name: 'initscope-inline-wasm',
    enforce: 'pre',
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : null),
    load(id) {
      if (id !== `\0${VIRTUAL}`) return null;
      const base64 = readFileSync(here('./wasm/dist/initscope.wasm')).toString('base64');
      return `export default ${JSON.stringify(base64)};`;
    },
    transform(code, id) {
      if (id.endsWith('/wasm/initscope.mjs')) {
        return code.replace("new URL('./dist/initscope.wasm', import.meta.url)", 'undefined');
      }
      if (id.endsWith('/wasm/dist/initscope.mjs')) {
        return code.replace('new URL("initscope.wasm",import.meta.url)', '"initscope.wasm"');
      }
      return null;
    },
  };
}

// Once Vite has written the page: its script and style moved into the HTML, written as
// dist/initscope.html.
function singleFile() {
  return {
    name: 'initscope-single-file',
    apply: 'build',
    closeBundle() {
      let text = readFileSync(`${outDir}/index.html`, 'utf8');
      // The page's strict policy forbids inline scripts, which is all this file is.
      text = text.replace(/ *<!-- The policy of web\/csp\.mjs[^>]*-->\n/, '').replace(/ *<meta http-equiv="Content-Security-Policy"[^>]*>\n/, '');
      if (/Content-Security-Policy/.test(text)) throw new Error('single: the CSP meta tag is still in the HTML');
      text = text.replace(/<script type="module" crossorigin src="\.\/([^"]+)"><\/script>/g, (_, file) => {
        // A script element ends at the first "</script": keep it out of the code.
        const code = readFileSync(`${outDir}/${file}`, 'utf8').replace(/<\/script/gi, '<\\/script');
        if (code.includes('<!--')) throw new Error('single: "<!--" in the script would confuse the HTML parser');
        return `<script type="module">\n${code}\n</script>`;
      });
      text = text.replace(/<link rel="stylesheet" crossorigin href="\.\/([^"]+)">/g,
        (_, file) => `<style>\n${readFileSync(`${outDir}/${file}`, 'utf8')}\n</style>`);
      const left = [...text.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
      if (left.length) throw new Error(`single: files left outside the HTML: ${left.join(', ')}`);
      mkdirSync(here('./dist'), { recursive: true });
      writeFileSync(here('./dist/initscope.html'), text);
    },
  };
}

export default defineConfig({
  root: here('./web'),
  base: './',
  publicDir: false,
  resolve: {
    alias: [{ find: /^\.\/workerFactory\.js$/, replacement: here('./web/src/workerFactory.single.js') }],
  },
  plugins: [inlineWasm(), presetIndex(), singleFile()],
  // A classic worker: Chromium does not start a module worker from a Blob URL of a file:// page.
  // One file too: its dynamic imports (the sweep's code) are inlined.
  worker: { format: 'iife', plugins: () => [inlineWasm()], rollupOptions: { output: { inlineDynamicImports: true } } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    chunkSizeWarningLimit: 4096,  // one file by design (the .wasm is in it)
    cssCodeSplit: false,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    rollupOptions: { input: here('./web/index.html'), output: { inlineDynamicImports: true } },
  },
});
