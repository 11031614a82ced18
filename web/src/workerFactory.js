// The training worker, as a module worker from its own file. The single-file build
// (vite.single.config.mjs) replaces this module with workerFactory.single.js.

/** A new training worker (web/src/worker.js). */
export function createWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}
