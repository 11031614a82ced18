// The page trains for a minute without its memory growing: after a forced garbage
// collection, the page's JS heap, its DOM and the engine's wasm memory (run A's worker)
// at the end are within a bound of what they were after 10 s of warm-up (the charts have
// filled their buffers by then). The bounds come from bench/soak.mjs's 10-minute run
// (README, Benchmarks): the JS heap after GC moved within 2.6 MB (5.1 to 7.6 MB), the DOM
// within 66 nodes, and the wasm memory and heap in use not at all. Memory only, never time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryProbe, MB } from '../../bench/lib/pageMemory.mjs';
import { useBrowser, openLab } from './helpers.mjs';

const { server, browser } = useBrowser();

const JS_HEAP_GROWTH = 4 * 2 ** 20;     // bytes
const DOM_GROWTH = 200;                  // nodes
const WASM_HEAP_GROWTH = 64 * 2 ** 10;  // bytes malloc'd and not freed

test('a minute of training leaves the JS heap, the DOM and the wasm memory where they were', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
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
