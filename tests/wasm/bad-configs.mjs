// Bad configs, one row per distinct mistake a learner or a course link can make:
// [what, config, field, ...patterns]. The field is where the engine must put the blame
// ('' for the config as a whole); the patterns check the message names the value given and
// what is allowed. errors.test.mjs sends every row through the JS API, cli.test.mjs every
// row through `initscope run -`.
import { circles, digits } from './helpers.mjs';

const hidden = (units, activation = 'relu') => ({ units, activation });
const withLayers = (...layers) => circles({ layers });
const deep = (n, units) => [...Array(n)].map(() => hidden(units)).concat([hidden(1, 'sigmoid')]);

export const BAD_CONFIGS = [
  // ---- the config as a whole ----
  ['text that is not JSON', '{"seed": ', 'seed', /not valid JSON at line 1, column 10: .*unexpected end of input/],
  ['empty text', '', '', /^the config is not valid JSON at line 1/],
  ['a number', 42, '', /must be an object/, /got number/],
  ['an array', [], '', /must be an object/, /an array/],
  ['null', null, '', /must be an object/, /null/],
  ['a JSON string', '"circles"', '', /must be a JSON object/, /"circles"/],
  ['a JSON array', '[1, 2]', '', /must be a JSON object/],
  ['an unknown top-level key', { seeds: 1 }, 'seeds', /unknown key/, /seed, data, layers, init, biasInit, loss, optimizer, stats/],
  ['a Keras spelling of a key', { ...circles(), learningRate: 0.1 }, 'learningRate', /unknown key/],
  ['an unknown key in a layer', withLayers({ units: 4, actvation: 'relu' }, hidden(1, 'sigmoid')), 'layers[0].actvation', /unknown key/],
  ['an unknown key in the data', { data: { name: 'circles', size: 10 } }, 'data.size', /size/],
  ['an unknown key in an initializer', { init: { name: 'he_normal', gain: 2 } }, 'init.gain', /gain/],

  // ---- unknown names ----
  ['an initializer misspelt', { init: 'he_normall' }, 'init', /unknown initializer "he_normall"/, /he_normal/],
  ['an initializer of no framework', { init: { name: 'xavier' } }, 'init.name', /unknown initializer "xavier"/],
  ['an unknown bias initializer', { biasInit: 'tiny' }, 'biasInit', /unknown initializer "tiny"/],
  ['an unknown initializer of one layer', withLayers({ units: 4, activation: 'relu', init: 'nope' }, hidden(1, 'sigmoid')),
    'layers[0].init', /unknown initializer "nope"/],
  ['an unknown activation', withLayers(hidden(4, 'relux'), hidden(1, 'sigmoid')),
    'layers[0].activation', /"relux" is not allowed/, /linear, sigmoid, tanh, relu/],
  ['an unknown activation in object form', withLayers(hidden(4), { units: 1, activation: { name: 'swishy' } }),
    'layers[1].activation.name', /"swishy" is not allowed/],
  ['an unknown loss', { loss: 'hinge' }, 'loss', /"hinge" is not allowed/, /mse, bce, cross_entropy/],
  ['an unknown optimizer', { optimizer: 'adamw' }, 'optimizer', /"adamw" is not allowed/, /sgd, momentum, nesterov, rmsprop, adam/],
  ['an unknown optimizer in object form', { optimizer: { name: 'lbfgs' } }, 'optimizer.name', /"lbfgs" is not allowed/],
  ['an unknown data set', { data: 'mnist' }, 'data', /"mnist" is not allowed/, /circles/, /digits/],
  ['an unknown data set in object form', { data: { name: 'cifar' } }, 'data.name', /"cifar" is not allowed/],

  // ---- out of range ----
  ['a layer of 0 units', withLayers(hidden(0), hidden(1, 'sigmoid')), 'layers[0].units', /0 is not allowed/, /an integer from 1 to 1024/],
  ['a layer of 2000 units', withLayers(hidden(4), hidden(2000), hidden(1, 'sigmoid')), 'layers[1].units',
    /2000 is not allowed/, /an integer from 1 to 1024/],
  ['lr 0', { optimizer: { name: 'sgd', lr: 0 } }, 'optimizer.lr', /0 is not allowed/, /> 0/],
  ['a negative lr', { optimizer: { name: 'adam', lr: -1 } }, 'optimizer.lr', /-1 is not allowed/],
  ['lr over 1e6', { optimizer: { name: 'sgd', lr: 2e6 } }, 'optimizer.lr', /2000000 is not allowed/, /<= 1000000/],
  ['batch 0', { optimizer: { name: 'sgd', batch: 0 } }, 'optimizer.batch', /0 is not allowed/, /from 1 to 4096/],
  ['batch 4097', { optimizer: { name: 'sgd', batch: 4097 } }, 'optimizer.batch', /4097 is not allowed/, /from 1 to 4096/],
  ['negative noise', { data: { name: 'circles', noise: -1 } }, 'data.noise', /-1 is not allowed/, /from 0 to 1/],
  ['70 layers', withLayers(...deep(69, 4)), 'layers', /expected an array of 2 to 65 layers/, /1 to 64 hidden layers/],
  ['an output layer only', withLayers(hidden(1, 'sigmoid')), 'layers', /2 to 65 layers/],
  ['no layers', { layers: [] }, 'layers', /2 to 65 layers/],
  ['stddev 0', { init: { name: 'random_normal', stddev: 0 } }, 'init.stddev', /0 is not allowed/, /> 0/],
  ['a negative stddev', { init: { name: 'truncated_normal', stddev: -0.1 } }, 'init.stddev', /-0.1 is not allowed/],
  ['a negative std', { init: { name: 'normal_', std: -1 } }, 'init.std', /-1 is not allowed/],
  ['minval = maxval', { init: { name: 'random_uniform', minval: 1, maxval: 1 } }, 'init.maxval', /> minval/],
  ['minval > maxval', { init: { name: 'random_uniform', minval: 0.5, maxval: -0.5 } }, 'init.maxval', /> minval/],
  ['a > b', { init: { name: 'uniform_', a: 2, b: 1 } }, 'init.b', /> a/],
  ['a constant beyond float range', { init: { name: 'constant', value: 1e39 } }, 'init.value',
    /1e\+39 is not allowed/, /from -1e\+30 to 1e\+30/],
  ['a gain beyond float range', { init: { name: 'orthogonal', gain: 1e31 } }, 'init.gain', /1e\+31 is not allowed/, /<= 1e\+30/],
  ['a network over the memory limit', { layers: deep(64, 1024), optimizer: { name: 'adam', batch: 4096 } },
    'layers', /MiB/, /1536 MiB/],

  // ---- wrong types ----
  ['a seed that is text', { seed: 'abc' }, 'seed', /"abc" is not allowed/, /an integer/],
  ['a fractional seed', { seed: 1.5 }, 'seed', /1.5 is not allowed/],
  ['layers as text', { layers: 'deep' }, 'layers', /"deep" is not allowed/],
  ['a layer as text', withLayers('relu', hidden(1, 'sigmoid')), 'layers[0]', /expected an object/],
  ['units as text', withLayers(hidden('10'), hidden(1, 'sigmoid')), 'layers[0].units', /"10" is not allowed/],
  ['a layer without units', withLayers({ activation: 'relu' }, hidden(1, 'sigmoid')), 'layers[0].units', /is required/],
  ['an activation as a number', withLayers(hidden(4, 3), hidden(1, 'sigmoid')), 'layers[0].activation', /3 is not allowed/],
  ['lr as text', { optimizer: { name: 'sgd', lr: '0.1' } }, 'optimizer.lr', /"0.1" is not allowed/],
  ['an optimizer without a name', { optimizer: { lr: 0.1 } }, 'optimizer.name', /is required/],
  ['an initializer as a number', { init: 7 }, 'init', /7 is not allowed/],
  ['a loss in an array', { loss: ['bce'] }, 'loss', /is not allowed/],
  ['bins as a boolean', { stats: { bins: true } }, 'stats.bins', /true is not allowed/],
  ['an injection string as a data set', { data: '<img src=x onerror="globalThis.__pwned=1">' }, 'data',
    /"<img src=x onerror=\\"globalThis.__pwned=1\\">" is not allowed/],

  // ---- the output layer against the data set and the loss ----
  ['two sigmoid units for circles with bce', withLayers(hidden(4), hidden(2, 'sigmoid')), 'layers[1].units',
    /2 is not allowed/, /circles with bce needs 1 unit/],
  ['a tanh output with bce', withLayers(hidden(4), hidden(1, 'tanh')), 'layers[1].activation',
    /"tanh" is not allowed with the bce loss/, /expected "sigmoid"/],
  ['one softmax unit for 10 classes', digits({ layers: [hidden(4), hidden(1, 'softmax')] }), 'layers[1].units',
    /digits with cross_entropy needs 10 units/],
  ['bce on 10 classes', digits({ loss: 'bce', layers: [hidden(4), hidden(10, 'sigmoid')] }), 'loss',
    /"bce" is not allowed for digits, which has 10 classes/],
  ['a relu output with cross_entropy', digits({ layers: [hidden(4), hidden(10, 'relu')] }), 'layers[1].activation',
    /with the cross_entropy loss; expected "softmax"/],
  ['a hidden softmax', digits({ layers: [hidden(10, 'softmax'), hidden(10, 'softmax')] }), 'layers[0].activation',
    /"softmax" is allowed on the output layer only/],
  ['softmax over one unit', circles({ loss: 'mse', layers: [hidden(4), hidden(1, 'softmax')] }),
    'layers[1].activation', /"softmax" over a single unit is constant/],
];

/** The config as the CLI reads it: text as it is, anything else as JSON. */
export const configText = (config) => (typeof config === 'string' ? config : JSON.stringify(config));
