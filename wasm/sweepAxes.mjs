// The sweep's parameter names, its default success rule and why an init axis does not
// apply to an initializer: what the page needs before (and without) the rest of
// sweep.mjs, which it loads only when a sweep view opens. sweep.mjs exports them too.

export const SWEEP_PARAMS = ['init.scale', 'init.gain', 'depth', 'width', 'lr', 'seed', 'weight', 'bias', 'blocks', 'gate'];
export const DEFAULT_SUCCESS = Object.freeze({ metric: 'trainAccuracy', atLeast: 0.95 });
export const INIT_WORDS = { 'init.scale': '"init scale"', 'init.gain': '"init gain"' };

/**
 * Why init.scale or init.gain does not apply to the initializer `name`, in a learner's
 * words, or null when it does; `rows` are the schema's initializers (lab.schema()).
 */
export function initAxisRefusal(param, name, rows) {
  const row = rows.find((r) => r.name === name);
  if (row?.varianceScaling || (param === 'init.gain' && row?.gainParam)) return null;
  const scalings = rows.filter((r) => r.varianceScaling).map((r) => r.name).join(', ');
  const gained = rows.filter((r) => r.gainParam).map((r) => r.name).join(', ');
  const what = param === 'init.scale'
    ? `multiplies the variance of the starting weights, so it needs an initializer whose variance follows the layer's size (${scalings})`
    : `multiplies every starting weight, so it needs an initializer whose variance follows the layer's size (${scalings}) or one with a gain (${gained})`;
  const instead = row?.gainParam ? `; sweep ${INIT_WORDS['init.gain']} instead, which multiplies its ${row.gainParam}` : '; choose one of those under Initialization';
  return `${INIT_WORDS[param]} ${what}. The base init ${name} is not one${instead}`;
}
