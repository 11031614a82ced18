// The error every initscope module throws for invalid input, in a module of its own so
// that the pure modules (presets.mjs, sweep.mjs) can throw it without loading the
// WebAssembly glue. wasm/initscope.mjs re-exports it: `import { InitscopeError } from 'initscope'`.

/** An invalid config or argument. `field` is the path of the offending field. */
export class InitscopeError extends Error {
  constructor(message, field = '') {
    super(message);
    this.name = 'InitscopeError';
    this.field = field;
  }
}

/** A value as the user typed it, for messages: strings quoted, arrays and objects short. */
export function show(value) {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : String(value);
  if (typeof value === 'function') return 'a function';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
