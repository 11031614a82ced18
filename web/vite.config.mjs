// The page lives in web/ and builds into dist/ at the top of the repository (this file
// sits in web/, so paths below are from the repository's top).
// `base: './'` keeps every URL relative, so dist/ works under any path (course pages).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { POLICY } from './csp.mjs';
import { presetIndex } from './presetIndex.mjs';

const here = (path) => fileURLToPath(new URL(path, new URL('../', import.meta.url)));

export default defineConfig({
  root: here('./web'),
  base: './',
  publicDir: false,
  // The experiments menu's names and titles, written from the preset table at build time.
  plugins: [presetIndex()],
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    // Every browser the page runs in (es2022, module workers) preloads modules itself.
    modulePreload: { polyfill: false },
    // The lab, and an example course page that embeds it (web/examples/course.html).
    rollupOptions: { input: { main: here('./web/index.html'), course: here('./web/examples/course.html') } },
  },
  // A module worker (workerFactory.js starts it so): its dynamic imports (the sweep's code)
  // are chunks of their own, fetched when first used.
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  // npm start serves dist/ with the page's Content-Security-Policy as a header.
  preview: { host: '127.0.0.1', port: 5173, strictPort: false, headers: { 'Content-Security-Policy': POLICY } },
});
