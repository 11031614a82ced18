// What every engine process shares: the timing loop and the message protocol.
// An engine is a child process (node: child_process.fork; native: stdin/stdout lines)
// that keeps one prepared network per config and answers "measure this config for about
// `ms` milliseconds" with the steps per second of that window, so that the parent can
// interleave engines round by round and take medians.

import { performance } from 'node:perf_hooks';

/**
 * Runs `chunk(k)` (k training steps) until `ms` have passed; returns steps per second.
 * k is fixed per run by calibrate(), so that each call is short (the hot loop stays in
 * many short calls from JS) but long enough that the call overhead is small.
 */
export function timeWindow(chunk, k, ms) {
  let steps = 0;
  const start = performance.now();
  let now = start;
  do {
    chunk(k);
    steps += k;
    now = performance.now();
  } while (now - start < ms);
  return (steps * 1000) / (now - start);
}

/** Steps per call such that one call takes about `targetMs` (at least 1). */
export function calibrate(chunk, targetMs = 2) {
  let k = 1;
  for (;;) {
    const t0 = performance.now();
    chunk(k);
    const dt = performance.now() - t0;
    if (dt >= targetMs / 4 || k >= 1 << 20) return Math.max(1, Math.round((k * targetMs) / Math.max(dt, 1e-3)));
    k *= 4;
  }
}

/** Serves {cmd, ...} messages from the parent with `handlers[cmd](msg)`, replying {id, result|error}. */
export function serve(handlers) {
  process.on('message', async (msg) => {
    try {
      const result = await handlers[msg.cmd](msg);
      process.send({ id: msg.id, result });
    } catch (err) {
      process.send({ id: msg.id, error: String(err && err.stack ? err.stack : err) });
    }
  });
  process.send({ ready: true });
}
