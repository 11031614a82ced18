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

/**
 * `text` if its UTF-8 takes at most `maxBytes` bytes, else a prefix cut at a character
 * boundary and "...", `maxBytes` in all: what the engine's cut_text does, so a value reads
 * the same in a message from JS as in one from the engine.
 */
export function cutText(text, maxBytes = 60) {
  const bytes = (cp) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
  let total = 0;
  for (const ch of text) total += bytes(ch.codePointAt(0));
  if (total <= maxBytes) return text;
  let used = 0;
  let end = 0;
  for (const ch of text) {  // by code point: a surrogate pair is never split
    const size = bytes(ch.codePointAt(0));
    if (used + size > maxBytes - 3) break;
    used += size;
    end += ch.length;
  }
  return `${text.slice(0, end)}...`;
}

/**
 * A value as the user typed it, for messages: numbers as JS writes them (NaN, Infinity),
 * BigInt with its n, strings quoted, arrays and objects as JSON, long ones cut (cutText).
 * Never throws, whatever the value (a symbol, a cycle, a getter that throws).
 */
export function show(value) {
  switch (typeof value) {
    case 'undefined': return 'nothing';
    case 'number':
    case 'boolean': return String(value);
    case 'bigint': return cutText(`${value}n`);
    case 'symbol': return cutText(value.toString());
    case 'function': return 'a function';
    case 'string': return cutText(JSON.stringify(value));
    default: break;
  }
  if (value === null) return 'null';
  let text;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (typeof text === 'string') return cutText(text);
  return Array.isArray(value) ? 'an array' : 'an object';
}
