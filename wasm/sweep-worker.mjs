// One sweep worker: loads the engine once and trains the cells it is sent. The same file
// runs as a Node worker_threads worker and as a browser module Web Worker
// (new Worker(new URL('./sweep-worker.mjs', import.meta.url), { type: 'module' })).
//
//   → { type: 'load', wasmUrl } or { type: 'load', wasmBinary }   optional, before anything
//                                 else: where initscope.wasm is, or its bytes (nothing fetched)
//   → { type: 'check', spec }     check the spec against the engine, compute the boundary
//   ← { type: 'checked', spec, meanField }   the spec as checkSweep returns it (cells are made from it)
//   → { type: 'cell', cell }      one cell of expandSweep(spec)
//   ← { type: 'result', result }  runCell's answer
//   ← { type: 'error', field, message }   an invalid spec or cell (InitscopeError)
//   ← { type: 'fatal', message }          anything else (the engine could not load...)
import { loadInitscope, InitscopeError } from './initscope.mjs';
import { checkSweep, runCell, sweepMeanField } from './sweep.mjs';

// No top-level await, so that bundlers can build this as a classic (iife) worker too.
let post;
if (typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined') {
  post = (message) => self.postMessage(message);
  self.onmessage = (event) => onMessage(event.data);
} else {
  const threads = 'node:worker_threads';
  import(/* @vite-ignore */ threads).then(({ parentPort }) => {
    post = (message) => parentPort.postMessage(message);
    parentPort.on('message', (message) => onMessage(message));
  });
}

const queue = [];
let lab = null;
let engineOptions = {};
let busy = false;

function onMessage(message) {
  if (message.type === 'load') {
    engineOptions = message.wasmBinary ? { wasmBinary: message.wasmBinary } : message.wasmUrl ? { wasmUrl: message.wasmUrl } : {};
    return;
  }
  queue.push(message);
  drain();
}

async function drain() {
  if (busy) return;
  busy = true;
  try {
    lab ??= await loadInitscope(engineOptions);
    while (queue.length) handle(queue.shift());
  } catch (err) {
    post({ type: 'fatal', message: String(err?.message ?? err) });
  } finally {
    busy = false;
  }
}

function handle(message) {
  try {
    if (message.type === 'check') {
      const spec = checkSweep(lab, message.spec);
      post({ type: 'checked', spec, meanField: sweepMeanField(lab, spec) });
    } else if (message.type === 'cell') {
      post({ type: 'result', result: runCell(lab, message.cell) });
    }
  } catch (err) {
    if (err instanceof InitscopeError) {
      post({ type: 'error', field: err.field, message: err.message });
    } else {
      post({ type: 'fatal', message: String(err?.stack ?? err) });
    }
  }
}
