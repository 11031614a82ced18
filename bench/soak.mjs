#!/usr/bin/env node
// The page's long runs (`npm run soak`; not part of `npm test`), in headless Chromium, with
// the page's JS heap, DOM nodes and listeners sampled after a forced garbage collection
// (bench/lib/pageMemory.mjs):
//
//   rebuilds  the lab rebuilt from links (REBUILD_LINKS of bench/lib/rebuilds.mjs: one run,
//             runs side by side, presets, the sweep view, step= jobs) LINKS times and from
//             the preset menu PRESETS times, sampled after each whole cycle (the same page
//             every time); the end must be within a small bound of the start (after one
//             warm-up cycle of each), else the soak fails.
//   training  the lab's default network trains for MINUTES (default 10), sampled every
//             INTERVAL seconds, with the engine's wasm memory and heap in use.
//
// Prints a Markdown table of each and the growth from the start (after warm-up) to the end,
// and writes them into bench/RESULTS.md (its soak part; --out FILE elsewhere).
//
//   node bench/soak.mjs [--part rebuilds|training|all] [--links N] [--presets N]
//                       [--minutes M] [--interval S] [--json FILE]
import { writeFileSync } from 'node:fs';
import { writeSoakPart } from './lib/resultsFile.mjs';
import { serveDist, launch, openLab } from '../tests/e2e/helpers.mjs';
import { memoryProbe, MB } from './lib/pageMemory.mjs';
import { REBUILD_LINKS, openLink, pickPreset, presetCycle } from './lib/rebuilds.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const part = option('--part', 'all');
const links = Number(option('--links', 100));
const presetSwitches = Number(option('--presets', 40));
const minutes = Number(option('--minutes', 10));
const interval = Number(option('--interval', 30));
const json = option('--json', null);
const resultsOut = option('--out', null);

// What the soak prints is also its part of RESULTS.md.
const report = [];
const say = (text) => {
  console.log(text);
  report.push(text);
};

// What the rebuilds may leave behind after warm-up: nothing of ours should stay, but
// Chromium keeps some of its own (compiled code, its performance and history buffers).
const BOUNDS = { nodes: 100, listeners: 0, jsHeapUsed: 2 * 2 ** 20 };

const server = await serveDist();
const browser = await launch();
const out = {};
let failed = false;
try {
  if (part === 'all' || part === 'rebuilds') {
    out.rebuilds = await rebuilds();
    failed = out.rebuilds.failed;
  }
  if (part === 'all' || part === 'training') out.training = await training();
  if (json) writeFileSync(json, JSON.stringify(out, null, 1));
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16);
  writeSoakPart(`## The page over time (\`npm run soak\`)\n\nMeasured ${when} UTC.\n\n${report.join('\n')}`, resultsOut ?? undefined);
} finally {
  await browser.close();
  await server.close();
}
if (failed) process.exit(1);

// The lab rebuilt from links and from the preset menu, sampled after every whole cycle.
async function rebuilds() {
  const { page, errors } = await openLab(browser.context, server.url);
  const probe = await memoryProbe(page);
  const presets = await presetCycle(page);
  const samples = [];
  const started = Date.now();
  const sample = async (what, count) => {
    const s = { what, count, seconds: Math.round((Date.now() - started) / 1000), ...(await probe.sample()) };
    samples.push(s);
    console.error(`${what} ${count}: JS heap ${MB(s.jsHeapUsed)} MB  nodes ${s.nodes}  listeners ${s.listeners}`);
    return s;
  };
  await sample('opened', 0);
  const linkCycles = Math.ceil(links / REBUILD_LINKS.length);
  const presetCycles = Math.ceil(presetSwitches / presets.length);
  // Warm-up: one cycle of links, one of presets, then back to the links' last page.
  for (const hash of REBUILD_LINKS) await openLink(page, hash);
  for (const name of presets) await pickPreset(page, name);
  await openLink(page, REBUILD_LINKS[REBUILD_LINKS.length - 1]);
  const start = await sample('after warm-up', 0);
  let linkCount = 0;
  for (let c = 0; c < linkCycles; c++) {
    for (const hash of REBUILD_LINKS) await openLink(page, hash);
    linkCount += REBUILD_LINKS.length;
    await sample('links', linkCount);
  }
  let presetCount = 0;
  for (let c = 0; c < presetCycles; c++) {
    for (const name of presets) await pickPreset(page, name);
    presetCount += presets.length;
    // The links' last page again, to compare like with like.
    await openLink(page, REBUILD_LINKS[REBUILD_LINKS.length - 2]);
    await openLink(page, REBUILD_LINKS[REBUILD_LINKS.length - 1]);
    await sample('presets', presetCount);
  }
  await probe.detach();
  await page.close();
  const end = samples[samples.length - 1];
  const growth = { nodes: end.nodes - start.nodes, listeners: end.listeners - start.listeners, jsHeapUsed: end.jsHeapUsed - start.jsHeapUsed };
  say(`Soak, rebuilds: the lab rebuilt from ${linkCount} links (${REBUILD_LINKS.length} kinds, in turn) and ${presetCount} preset switches ` +
    `(${presets.length - 1} presets and back), after one warm-up cycle of each; sampled after a forced GC on the same page (\`${REBUILD_LINKS[REBUILD_LINKS.length - 1]}\`).\n`);
  say('| after | JS heap used (MB) | DOM nodes | listeners |');
  say('| :--- | ---: | ---: | ---: |');
  for (const s of samples) say(`| ${s.what === 'opened' ? 'opening' : s.what === 'after warm-up' ? 'warm-up' : `${s.count} ${s.what === 'links' ? 'links' : 'preset switches'}`} | ${MB(s.jsHeapUsed)} | ${s.nodes} | ${s.listeners} |`);
  say(`\nFrom warm-up to the end: JS heap ${MB(growth.jsHeapUsed)} MB, DOM nodes ${growth.nodes}, listeners ${growth.listeners} ` +
    `(bounds: ${MB(BOUNDS.jsHeapUsed)} MB, ${BOUNDS.nodes}, ${BOUNDS.listeners}).\n`);
  const over = Object.keys(BOUNDS).filter((k) => growth[k] > BOUNDS[k]);
  if (over.length) console.error(`soak: the rebuilds grew ${over.join(', ')} past the bound`);
  if (errors.length) console.error(`soak: page errors: ${errors.join('; ')}`);
  return { links: linkCount, presetSwitches: presetCount, samples, growth, failed: over.length > 0 || errors.length > 0 };
}

// The default network trains for `minutes`.
async function training() {
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
  say(`Soak, training: the default network trained in Chromium for ${minutes} min (${last.step.toLocaleString('en-US')} steps), sampled after a forced GC.\n`);
  say('| time | step | JS heap used (MB) | DOM nodes | listeners | wasm memory (MB) | wasm heap in use (MB) |');
  say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const s of rows) {
    say(`| ${(s.seconds / 60).toFixed(1)} min | ${s.step.toLocaleString('en-US')} | ${MB(s.jsHeapUsed)} | ${s.nodes} | ${s.listeners} | ${MB(s.wasmBytes)} | ${MB(s.wasmHeap)} |`);
  }
  say(`\nFrom ${(base.seconds / 60).toFixed(1)} to ${(last.seconds / 60).toFixed(1)} min: JS heap ${MB(last.jsHeapUsed - base.jsHeapUsed)} MB, ` +
    `DOM nodes ${last.nodes - base.nodes}, wasm memory ${MB(last.wasmBytes - base.wasmBytes)} MB, wasm heap in use ${MB(last.wasmHeap - base.wasmHeap)} MB.`);
  await probe.detach();
  await page.close();
  return { minutes, samples };
}
