#!/usr/bin/env node
// The page's long run (`npm run soak`; not part of `npm test`): Chromium trains the lab's
// default network for MINUTES (default 10) and samples, every INTERVAL seconds after a
// forced garbage collection, the page's JS heap, DOM nodes and listeners, and the
// engine's wasm memory and heap in use (bench/lib/pageMemory.mjs). Prints a Markdown
// table and the growth from the first sample after warm-up to the last.
//
//   node bench/soak.mjs [--minutes M] [--interval S] [--json FILE]
import { writeFileSync } from 'node:fs';
import { serveDist, launch, openLab } from '../tests/e2e/helpers.mjs';
import { memoryProbe, MB } from './lib/pageMemory.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const minutes = Number(option('--minutes', 10));
const interval = Number(option('--interval', 30));
const json = option('--json', null);

const server = await serveDist();
const browser = await launch();
try {
  const { page, errors } = await openLab(browser.context, server.url);
  const probe = await memoryProbe(page);
  await page.keyboard.press('k');
  await page.waitForFunction(() => document.body.dataset.playing === 'true');
  const samples = [];
  const started = Date.now();
  const log = (s) => console.error(`${((Date.now() - started) / 60000).toFixed(1)} min  step ${s.step}  JS heap ${MB(s.jsHeapUsed)} MB  nodes ${s.nodes}  listeners ${s.listeners}  wasm ${MB(s.wasmBytes)} MB (heap in use ${MB(s.wasmHeap)} MB)`);
  for (;;) {
    const s = { seconds: Math.round((Date.now() - started) / 1000), ...(await probe.sample()) };
    samples.push(s);
    log(s);
    if (Date.now() - started >= minutes * 60000) break;
    await page.waitForTimeout(Math.min(interval * 1000, started + minutes * 60000 - Date.now()));
  }
  const playing = await page.evaluate(() => document.body.dataset.playing);
  if (playing !== 'true') throw new Error(`the page stopped training (verdict: ${await page.textContent('#verdict')})`);
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  // Growth from the first minute's sample (after warm-up: the charts fill their buffers).
  const base = samples.find((s) => s.seconds >= 60) ?? samples[0];
  const last = samples[samples.length - 1];
  const rows = samples.filter((s, i) => i === 0 || s === base || i === samples.length - 1 || s.seconds % 120 < interval);
  console.log(`Soak: the default network trained in Chromium for ${minutes} min (${last.step.toLocaleString('en-US')} steps), sampled after a forced GC.\n`);
  console.log('| time | step | JS heap used (MB) | DOM nodes | listeners | wasm memory (MB) | wasm heap in use (MB) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const s of rows) {
    console.log(`| ${(s.seconds / 60).toFixed(1)} min | ${s.step.toLocaleString('en-US')} | ${MB(s.jsHeapUsed)} | ${s.nodes} | ${s.listeners} | ${MB(s.wasmBytes)} | ${MB(s.wasmHeap)} |`);
  }
  console.log(`\nFrom ${(base.seconds / 60).toFixed(1)} to ${(last.seconds / 60).toFixed(1)} min: JS heap ${MB(last.jsHeapUsed - base.jsHeapUsed)} MB, ` +
    `DOM nodes ${last.nodes - base.nodes}, wasm memory ${MB(last.wasmBytes - base.wasmBytes)} MB, wasm heap in use ${MB(last.wasmHeap - base.wasmHeap)} MB.`);
  if (json) writeFileSync(json, JSON.stringify({ minutes, samples }, null, 1));
  await probe.detach();
} finally {
  await browser.close();
  await server.close();
}
