// The sweep view's state as the URL writes it (`sweep=`), and the first sweep offered for a
// run: what the page needs without the sweep view itself (sweepView.js), which loads when
// a sweep view first opens.
import { initAxisRefusal, SWEEP_PARAMS } from '../../wasm/sweepAxes.mjs';

/** What the heatmap can colour by: [key, label]. */
export const SHOW = [['loss', 'final loss'], ['trainAccuracy', 'train accuracy'], ['testAccuracy', 'test accuracy'], ['weightChange', 'weights moved'], ['success', 'success']];

/** The sweep's URL text: x;y;steps;success;show, e.g. "init.scale:0.25:4:9:log;depth:1:6:6:linear;300;trainAccuracy:0.95;loss". */
export function sweepText(s) {
  const ax = (a) => (a ? `${a.param}${a.param === 'weight' || a.param === 'bias' ? `@${a.layer}.${a.index}` : ''}:${a.from}:${a.to}:${a.count}:${a.scale}` : '');
  return [ax(s.x), ax(s.y), s.steps, `${s.metric}:${s.atLeast}`, s.show].join(';');
}

/** Parses sweepText → the form's state, or undefined. */
export function parseSweepText(text) {
  const [x, y, steps, success, show] = text.split(';');
  const axis = (t) => {
    if (!t) return null;
    const m = /^([a-z.]+)(?:@(\d+)\.(\d+))?:(-?[\d.e+-]+):(-?[\d.e+-]+):(\d+):(linear|log)$/.exec(t);
    if (!m || !SWEEP_PARAMS.includes(m[1])) return undefined;
    return { param: m[1], layer: m[2] === undefined ? 0 : Number(m[2]), index: m[3] === undefined ? 0 : Number(m[3]), from: Number(m[4]), to: Number(m[5]), count: Number(m[6]), scale: m[7] };
  };
  const sx = axis(x);
  const sy = axis(y);
  const [metric, atLeast] = (success ?? '').split(':');
  if (!sx || sy === undefined || !/^\d+$/.test(steps ?? '') || !['trainAccuracy', 'testAccuracy'].includes(metric) ||
    !Number.isFinite(Number(atLeast)) || !SHOW.some(([k]) => k === show)) return undefined;
  return { x: sx, y: sy, steps: Number(steps), metric, atLeast: Number(atLeast), show };
}

export const initName = (config) => (typeof config.init === 'string' ? config.init : config.init?.name);

/** A first sweep for a config: its init's scale or gain (if it has one, says the schema) against depth. */
export function defaultSweep(config, schema) {
  const rows = schema?.initializers ?? [];
  const scale = !initAxisRefusal('init.scale', initName(config), rows);
  const gain = !initAxisRefusal('init.gain', initName(config), rows);
  const x = scale ? { param: 'init.scale', from: 0.25, to: 4, count: 9, scale: 'log', layer: 0, index: 0 }
    : gain ? { param: 'init.gain', from: 0.25, to: 4, count: 9, scale: 'log', layer: 0, index: 0 }
      : { param: 'lr', from: 0.001, to: 1, count: 7, scale: 'log', layer: 0, index: 0 };
  return { x, y: { param: 'depth', from: 1, to: 6, count: 6, scale: 'linear', layer: 0, index: 0 }, steps: 300, metric: 'trainAccuracy', atLeast: 0.95, show: 'loss' };
}
