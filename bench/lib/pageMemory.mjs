// The memory of the lab page in Chromium, after a forced garbage collection: the page's
// JS heap and DOM (CDP Performance.getMetrics) and the engine's wasm memory in run A's
// worker (the worker posts lab.memoryBytes() and lab.heapInUse() with every frame; the
// page keeps the latest on <body data-wasm-bytes data-wasm-heap>). Shared by
// bench/soak.mjs and the e2e memory test.

/** A CDP session on `page` with the Performance domain on. */
export async function memoryProbe(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.enable');
  return {
    /** → { jsHeapUsed, jsHeapTotal, nodes, listeners, wasmBytes, wasmHeap, step } (bytes, counts) */
    async sample() {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
      const body = await page.evaluate(() => ({ ...document.body.dataset }));
      return {
        jsHeapUsed: m.JSHeapUsedSize, jsHeapTotal: m.JSHeapTotalSize, nodes: m.Nodes, listeners: m.JSEventListeners,
        wasmBytes: Number(body.wasmBytes), wasmHeap: Number(body.wasmHeap), step: Number(body.step),
      };
    },
    detach: () => cdp.detach(),
  };
}

export const MB = (bytes) => (bytes / 2 ** 20).toFixed(2);
