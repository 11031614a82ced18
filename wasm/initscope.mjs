// The JS API of initscope: loads the WebAssembly module in Node (>= 18) and in the
// browser, and wraps the raw Embind functions (named `_…`) into plain JS values.
// Everything else (page, worker, CLI, tests) goes through this file, never the raw module.
//
//   import { loadInitscope } from 'initscope';
//   const api = await loadInitscope();          // or { wasmUrl } / { wasmBinary }
//   api.version;                                // "0.1.0"
//   api.initializerNames;                       // ["zeros", …, "he_normal", …]
//   api.initializers;                           // [{ name, framework, formula }, …]

import createInitscopeModule from './dist/initscope.mjs';

const isNode =
  typeof process === 'object' && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string' && typeof window === 'undefined';

// Vite sees this `new URL(…, import.meta.url)` and ships the .wasm as an asset.
const defaultWasmUrl = new URL('./dist/initscope.wasm', import.meta.url);

// Node: Emscripten 3.1.6's loader would `fetch` a file path and fail, so read the bytes
// ourselves. The specifier is a variable so that browser bundlers leave it alone.
async function readFileBytes(url) {
  const fsModule = 'node:fs/promises';
  const { readFile } = await import(/* @vite-ignore */ fsModule);
  const path = url instanceof URL || String(url).startsWith('file:') ? new URL(url) : String(url);
  return readFile(path);
}

async function instantiate({ wasmUrl = defaultWasmUrl, wasmBinary } = {}) {
  const options = {};
  if (wasmBinary) {
    options.wasmBinary = wasmBinary;
  } else if (isNode && !/^(https?|data|blob):/.test(String(wasmUrl))) {
    options.wasmBinary = await readFileBytes(wasmUrl);
  } else {
    // Browser and worker: the module fetches (and compiles while streaming) over http.
    const href = String(wasmUrl);
    options.locateFile = (file) => (file.endsWith('.wasm') ? href : file);
  }
  return createInitscopeModule(options);
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new Error(`initscope: the module returned invalid JSON for ${what}`, { cause });
  }
}

/**
 * Loads the module and returns the API.
 * @param {{ wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array }} [options]
 *   wasmUrl: where the .wasm is (default: dist/initscope.wasm beside this file);
 *   wasmBinary: the bytes themselves (skips any fetch or file read).
 */
export async function loadInitscope(options = {}) {
  const module = await instantiate(options);
  const initializers = parseJson(module._initializers(), 'the initializer table');
  return {
    /** The engine's version, as compiled in (INITSCOPE_VERSION). */
    version: module._version(),
    /** Every initializer name, in the table's order: "he_normal", "kaiming_normal_", … */
    initializerNames: parseJson(module._initializerNames(), 'the initializer names'),
    /** The same rows with their framework ("keras", "pytorch", …) and formula. */
    initializers,
  };
}

export default loadInitscope;
