// The page's memory does not grow. Training: a minute of training leaves the JS heap, the
// DOM and the engine's wasm memory (run A's worker) at the end, after a forced garbage
// collection, within a bound of what they were after 10 s of warm-up (the charts have
// filled their buffers by then). The bounds come from bench/soak.mjs's 10-minute run
// (README, Benchmarks): the JS heap after GC moved within 2.6 MB (5.1 to 7.6 MB), the DOM
// within 66 nodes, and the wasm memory and heap in use not at all. Rebuilds: the lab
// rebuilt from links and presets (bench/lib/rebuilds.mjs, as the soak does) keeps its DOM
// nodes and listeners. And links changed faster than the runs can start never reach a
// chart with another run's frame. Memory and errors only, never time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryProbe, MB } from '../../bench/lib/pageMemory.mjs';
import { REBUILD_LINKS, openLink, pickPreset, presetCycle } from '../../bench/lib/rebuilds.mjs';
import { useBrowser, openLab } from '../e2e/helpers.mjs';

const { server, browser } = useBrowser();

const JS_HEAP_GROWTH = 4 * 2 ** 20;     // bytes
const DOM_GROWTH = 200;                  // nodes
const WASM_HEAP_GROWTH = 64 * 2 ** 10;  // bytes malloc'd and not freed
// Rebuilds, after warm-up: what Chromium keeps of its own (compiled code, its performance
// and history buffers), never a page's worth (a leaking rebuild left 500 nodes and 140
// listeners each).
const REBUILD_DOM_GROWTH = 100;         // nodes
const REBUILD_JS_HEAP_GROWTH = 2 * 2 ** 20;

test('a minute of training leaves the JS heap, the DOM and the wasm memory where they were', async () => {
  // At full speed (pace=max): the most steps and engine history a minute can hold.
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'pace=max' });
  const probe = await memoryProbe(page);
  await page.keyboard.press('k');
  await page.waitForFunction(() => document.body.dataset.playing === 'true');
  await page.waitForTimeout(10000);
  const start = await probe.sample();
  const samples = [start];
  for (let i = 0; i < 2; i++) {
    await page.waitForTimeout(25000);
    samples.push(await probe.sample());
  }
  const end = samples[samples.length - 1];
  for (const s of samples) console.log(`step ${s.step}: JS heap ${MB(s.jsHeapUsed)} MB, ${s.nodes} nodes, ${s.listeners} listeners, wasm ${MB(s.wasmBytes)} MB (${MB(s.wasmHeap)} MB in use)`);
  assert.equal(await page.evaluate(() => document.body.dataset.playing), 'true', 'still training');
  assert.ok(end.step > start.step, 'it trained');
  assert.ok(end.jsHeapUsed - start.jsHeapUsed < JS_HEAP_GROWTH, `JS heap ${MB(start.jsHeapUsed)} → ${MB(end.jsHeapUsed)} MB`);
  assert.ok(end.nodes - start.nodes < DOM_GROWTH, `DOM nodes ${start.nodes} → ${end.nodes}`);
  assert.ok(end.listeners <= start.listeners, `listeners ${start.listeners} → ${end.listeners}`);
  assert.equal(end.wasmBytes, start.wasmBytes, 'the wasm memory did not grow');
  assert.ok(end.wasmHeap - start.wasmHeap < WASM_HEAP_GROWTH, `wasm heap in use ${start.wasmHeap} → ${end.wasmHeap} bytes`);
  await probe.detach();
  assert.deepEqual(errors, []);
  await page.close();
});

test('30 links and 10 presets rebuild the lab and leave its DOM nodes and listeners where they were', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  const probe = await memoryProbe(page);
  const presets = (await presetCycle(page)).slice(-10);  // the last nine presets, then back
  const last = REBUILD_LINKS[REBUILD_LINKS.length - 1];
  // Warm-up: each kind of rebuild once, then the page every sample is taken on.
  for (const hash of REBUILD_LINKS) await openLink(page, hash);
  for (const name of presets) await pickPreset(page, name);
  await openLink(page, last);
  const start = await probe.sample();
  for (let i = 0; i < 30; i++) await openLink(page, REBUILD_LINKS[i % REBUILD_LINKS.length]);
  for (const name of presets) await pickPreset(page, name);
  await openLink(page, REBUILD_LINKS[0]);
  await openLink(page, last);
  const end = await probe.sample();
  console.log(`after warm-up: ${start.nodes} nodes, ${start.listeners} listeners, JS heap ${MB(start.jsHeapUsed)} MB; ` +
    `after 32 links and 10 presets: ${end.nodes} nodes, ${end.listeners} listeners, JS heap ${MB(end.jsHeapUsed)} MB`);
  assert.ok(end.nodes - start.nodes < REBUILD_DOM_GROWTH, `DOM nodes ${start.nodes} → ${end.nodes}`);
  assert.ok(end.listeners <= start.listeners, `listeners ${start.listeners} → ${end.listeners}`);
  assert.ok(end.jsHeapUsed - start.jsHeapUsed < REBUILD_JS_HEAP_GROWTH, `JS heap ${MB(start.jsHeapUsed)} → ${MB(end.jsHeapUsed)} MB`);
  await probe.detach();
  assert.deepEqual(errors, []);
  await page.close();
});

test('links changed every 60 ms while two runs train never hand a chart another run\'s frame', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'runs=2&b.init=glorot_uniform' });
  const links = [
    'runs=2&b.init=glorot_uniform', `runs=2&layers=${encodeURIComponent('8:tanh|8:tanh|8:tanh|1:sigmoid')}&b.lr=0.1`,
    'runs=2&data=iris&b.opt=adam', 'runs=2&b.init=zeros&step=400', 'runs=3&c.lr=0.2', 'data=moons&runs=2&b.seed=9',
    `runs=2&layers=${encodeURIComponent('4:relu|1:sigmoid')}&step=2000`, 'init=zeros',
  ];
  await page.keyboard.press('k');
  for (let i = 0; i < 100; i++) {
    await page.evaluate((h) => { location.hash = h; }, `${links[i % links.length]}&seed=${i}`);
    // Play again whenever the new runs can train (a new link pauses; a step= link plays itself).
    if (i % 3 === 0) {
      await page.evaluate(() => {
        if (document.body.dataset.playing !== 'true' && !document.querySelector('[data-testid="btn-play"]').disabled) {
          document.querySelector('[data-testid="btn-play"]').click();
        }
      });
    }
    await page.waitForTimeout(60);
  }
  await openLink(page, 'runs=2&b.init=he_uniform&seed=1');
  // The lab still trains, both runs in lockstep.
  await page.click('[data-testid="btn-play"]');
  await page.waitForFunction(() => Number(document.body.dataset.step) >= 50);
  await page.click('[data-testid="btn-play"]');
  await page.waitForFunction(() => document.body.dataset.playing === 'false' && document.body.dataset.settled === 'true');
  const steps = await page.$$eval('[data-testid^="compare-metric-"]', (dds) => dds.map((dd) => dd.dataset.step));
  assert.equal(new Set(steps).size, 1, `the runs are at steps ${steps}`);
  assert.deepEqual(errors, []);
  await page.close();
});
