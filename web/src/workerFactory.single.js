// The single-file build's training worker: the worker's code is inlined (Vite turns it into
// a Blob URL) and the engine's .wasm is inlined as base64 in this bundle; each new worker
// gets the bytes as its first message and passes them to loadInitscope({ wasmBinary }), so
// nothing is fetched and the page works opened from file://.
import InlineWorker from './worker.js?worker&inline';
import wasmBase64 from 'virtual:initscope-wasm-base64';

let bytes = null;

function wasmBytes() {
  if (!bytes) {
    const text = atob(wasmBase64);
    bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  }
  return bytes;
}

/** A new training worker with the engine's bytes. */
export function createWorker() {
  const worker = new InlineWorker();
  worker.postMessage({ type: 'engine', wasmBinary: wasmBytes().slice() });
  return worker;
}
