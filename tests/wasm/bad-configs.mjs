// Bad configs, one row per distinct mistake a learner or a course link can make:
// [what, config, field, ...patterns]. The field is where the engine must put the blame
// ('' for the config as a whole); the patterns check the message names the value given and
// what is allowed. errors.test.mjs sends every row through the JS API, cli.test.mjs every
// row through `initscope run -`.
//
// BAD_INPUT_CLASSES: the same shape of rows, generated from lab.schema() for classes of
// hostile input (multibyte text at every cut position in every string field, nesting at
// several depths and places, numbers JSON cannot hold in every number field), sent through
// the JS API only (errors.test.mjs); BAD_CONFIGS holds one row of each for the CLI.
// BAD_JS_CONFIGS: values JSON text cannot carry (BigInt, cycles, toJSON), JS API only.
import { circles, digits, lab } from './helpers.mjs';

const hidden = (units, activation = 'relu') => ({ units, activation });
const withLayers = (...layers) => circles({ layers });
const custom = (csv, more = {}) => ({ data: { name: 'custom', csv, ...more } });
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
  ['an unknown layer kind', withLayers({ kind: 'groupnorm', units: 4 }, hidden(1, 'sigmoid')), 'layers[0].kind',
    /"groupnorm" is not allowed/, new RegExp(`expected one of ${lab.schema().layerKinds.map((k) => k.name).join(', ')}$`)],
  ['units on a LayerNorm layer', withLayers(hidden(4), { kind: 'layernorm', units: 4 }, hidden(1, 'sigmoid')),
    'layers[1].units', /unknown key/, /kind, init, biasInit, epsilon/],
  ['a LayerNorm output layer', withLayers(hidden(4), { kind: 'layernorm' }), 'layers[1].kind',
    /"layernorm" is not allowed on the output layer/],
  ['a LayerNorm epsilon of 0', withLayers(hidden(4), { kind: 'layernorm', epsilon: 0 }, hidden(1, 'sigmoid')),
    'layers[1].epsilon', /0 is not allowed/],
  ['a BatchNorm output layer', withLayers(hidden(4), { kind: 'batchnorm' }), 'layers[1].kind',
    /"batchnorm" is not allowed on the output layer/],
  ['a BatchNorm epsilon of 0', withLayers(hidden(4), { kind: 'batchnorm', epsilon: 0 }, hidden(1, 'sigmoid')),
    'layers[1].epsilon', /0 is not allowed/],
  ['a BatchNorm momentum above 1', withLayers(hidden(4), { kind: 'batchnorm', momentum: 1.5 }, hidden(1, 'sigmoid')),
    'layers[1].momentum', /1\.5 is not allowed/, /from 0 to 1/],
  ['units on a BatchNorm layer', withLayers(hidden(4), { kind: 'batchnorm', units: 4 }, hidden(1, 'sigmoid')),
    'layers[1].units', /unknown key/, /kind, init, biasInit, epsilon, momentum/],
  ['units on a residual block', withLayers(hidden(4), { kind: 'residual', units: 4 }, hidden(1, 'sigmoid')),
    'layers[1].units', /unknown key/, /branch, hidden, activationAt, alpha, gate, norm, normAt, normEpsilon/],
  ['a residual output layer', withLayers(hidden(4), { kind: 'residual' }), 'layers[1].kind',
    /"residual" is not allowed on the output layer/],
  ['a residual branch of 3 dense layers', withLayers(hidden(4), { kind: 'residual', branch: 3 }, hidden(1, 'sigmoid')),
    'layers[1].branch', /3 is not allowed/, /an integer from 1 to 2/],
  ['a residual norm that is not a normalization kind', withLayers(hidden(4), { kind: 'residual', norm: 'dense' }, hidden(1, 'sigmoid')),
    'layers[1].norm', /"dense" is not allowed/, /one of none, layernorm/],
  ['a residual activation placement misspelt', withLayers(hidden(4), { kind: 'residual', activationAt: 'pre' }, hidden(1, 'sigmoid')),
    'layers[1].activationAt', /"pre" is not allowed/, /one of before, after/],
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
  ['an unknown schedule', { optimizer: { name: 'sgd', schedule: 'linear' } }, 'optimizer.schedule', /"linear" is not allowed/, /constant, step, cosine/],
  ['a schedule param of another schedule', { optimizer: { name: 'sgd', schedule: { name: 'cosine', every: 5 } } }, 'optimizer.schedule.every', /unknown key/, /warmup, steps, final/],
  ['a step decay factor of 0', { optimizer: { name: 'sgd', schedule: { name: 'step', gamma: 0 } } }, 'optimizer.schedule.gamma', /0 is not allowed/, /> 0/],
  ['a fractional warm-up', { optimizer: { name: 'sgd', schedule: { name: 'constant', warmup: 2.5 } } }, 'optimizer.schedule.warmup', /2\.5 is not allowed/, /integer/],
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

  // ---- one of each hostile class (BAD_INPUT_CLASSES has them all) ----
  ['a loss name whose 3-byte characters straddle the cut', { loss: 'b'.repeat(55) + '€€€' }, 'loss',
    /^loss: "b{55}\.\.\. is not allowed; expected one of/],
  ['an initializer name of emoji', { init: { name: 'x'.repeat(53) + '😀😀😀' } }, 'init.name',
    /unknown initializer "x{53}\.\.\.; allowed: /],
  ['an unknown key of 2-byte characters', { data: { name: 'moons', ['ü'.repeat(40)]: 1 } }, `data.${'ü'.repeat(28)}...`,
    /unknown key; allowed keys here: /],
  ['a seed nested 40 levels deep', `{"seed": ${'['.repeat(39)}${']'.repeat(39)}}`, 'seed',
    /^seed: the config nests arrays and objects 40 levels deep; at most 32 levels are allowed$/],
  ['layers nested 10^4 levels deep', `{"layers": [{"units": 4}, ${'['.repeat(10000)}${']'.repeat(10000)}]}`, 'layers',
    /^layers: the config nests arrays and objects 10002 levels deep; at most 32 levels are allowed$/],
  ['an lr of 1e309', '{"optimizer": {"name": "adam", "lr": 1e309}}', 'optimizer.lr',
    /^optimizer\.lr: 1e309 is not allowed; expected a finite number/],
  ['400 nines as units', `{"layers": [{"units": ${'9'.repeat(400)}}, {"units": 1}]}`, 'layers[0].units',
    /^layers\[0\]\.units: 9{57}\.\.\. is not allowed; expected a finite number/],

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

  // ---- custom data: a CSV refused names the row, the column and the value ----
  ['a custom set without its csv', { data: { name: 'custom' } }, 'data.csv', /is required/, /CSV text/],
  ['a custom csv that is not text', custom(['1,2,a']), 'data.csv', /\["1,2,a"\] is not allowed/, /CSV text as a string/],
  ['an empty csv', custom(''), 'data.csv', /the text has no rows/],
  ['a csv of a header only', custom('x;y;class\n'), 'data.csv', /row 1 is a header and no data rows follow/],
  ['a csv with a missing value', custom('x,y,class\n1,2,a\n3,,b\n'), 'data.csv', /row 3, column 2 \("y"\): the value is missing/],
  ['a csv with a word among numbers', custom('x,y,class\n1,2,a\n3,four,b\n'), 'data.csv',
    /row 3, column 2 \("y"\): "four" is not a number/],
  ['a ragged csv', custom('1;2;a\n3;4;b\n5;b\n'), 'data.csv', /row 3 has 2 columns \(semicolon-separated\) and row 1 has 3/],
  ['a csv of one class', custom('x,y,class\n1,2,a\n3,4,a\n'), 'data.csv', /column 3 \("class"\) holds one class \("a"/, /2 to 10 classes/],
  ['a csv of eleven classes', custom([...Array(11)].map((_, i) => `${i},${i * 2},k${i}`).join('\n')), 'data.csv',
    /row 11, column 3: "k10" is class 11; expected 2 to 10 classes/],
  ['a csv of 65 features', custom(`${'1,'.repeat(65)}a\n${'2,'.repeat(65)}b\n`), 'data.csv', /has 65 feature columns; expected at most 64/],
  ['a csv of 20,001 rows', custom(`x,c\n${[...Array(20001)].map((_, i) => `${i},${i % 2}`).join('\n')}`), 'data.csv',
    /row 20002: more than 20000 data rows/],
  ['a label column the header lacks', custom('x,y,class\n1,2,a\n3,4,b\n', { label: 'species' }), 'data.label',
    /"species" is not a column of the header; expected one of "x", "y", "class"/],
  ['a split column saying neither train nor test', custom('x,set,class\n1,train,a\n3,exam,b\n', { split: 'set' }), 'data.csv',
    /row 3, column 2 \("set"\): "exam" is not allowed; expected train or test/],
  ['a test fraction of 1', custom('x,c\n1,a\n2,b\n', { testFraction: 1 }), 'data.testFraction', /1 is not allowed/, /from 0 to 0.9/],
];

/** The config as the CLI reads it: text as it is, anything else as JSON. */
export const configText = (config) => (typeof config === 'string' ? config : JSON.stringify(config));

// ---- classes, generated from the schema ----

const schema = lab.schema();
const maxNesting = schema.config.nesting.max;
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isNumberRow = (row) => row.type === 'number' || row.type === 'integer';
const twoLayers = (hidden) => [hidden, { units: 1, activation: 'sigmoid' }];

/** [field, config(value)]: every place a number goes, from the schema's rows. */
export const NUMBER_SLOTS = [
  ['seed', (v) => ({ seed: v })],
  ['layers[0].units', (v) => ({ layers: twoLayers({ units: v }) })],
  ['optimizer.batch', (v) => ({ optimizer: { name: 'sgd', batch: v } })],
  ...schema.config.stats.filter(isNumberRow).map(({ name }) => [`stats.${name}`, (v) => ({ stats: { [name]: v } })]),
  ...schema.datasets.datasets.flatMap((set) => set.params.filter(isNumberRow).map(({ name }) =>
    [`data.${name}`, (v) => ({ data: { name: set.name, [name]: v } })])),
  ...schema.initializers.flatMap((init) => init.params.filter(isNumberRow).map(({ name }) =>
    [`init.${name}`, (v) => ({ init: { name: init.name, [name]: v } })])),
  ...schema.activations.filter((a) => !a.outputOnly).flatMap((act) => act.params.filter(isNumberRow).map(({ name }) =>
    [`layers[0].activation.${name}`, (v) => ({ layers: twoLayers({ units: 4, activation: { name: act.name, [name]: v } }) })])),
  ...schema.optimizers.optimizers.flatMap((opt) => opt.params
    .filter((name) => isNumberRow(schema.optimizers.params.find((row) => row.name === name)))
    .map((name) => [`optimizer.${name}`, (v) => ({ optimizer: { name: opt.name, [name]: v } })])),
];

/** [field, config(value)]: every place a name or a choice goes. */
export const STRING_SLOTS = [
  ['data', (v) => ({ data: v })],
  ['data.name', (v) => ({ data: { name: v } })],
  ['layers[0].activation', (v) => ({ layers: twoLayers({ units: 4, activation: v }) })],
  ['layers[0].activation.name', (v) => ({ layers: twoLayers({ units: 4, activation: { name: v } }) })],
  ['init', (v) => ({ init: v })],
  ['init.name', (v) => ({ init: { name: v } })],
  ['biasInit', (v) => ({ biasInit: v })],
  ['layers[0].init', (v) => ({ layers: twoLayers({ units: 4, init: v }) })],
  ['loss', (v) => ({ loss: v })],
  ['optimizer', (v) => ({ optimizer: v })],
  ['optimizer.name', (v) => ({ optimizer: { name: v } })],
  ...schema.initializers.flatMap((init) => init.params.filter((row) => row.type === 'choice').map(({ name }) =>
    [`init.${name}`, (v) => ({ init: { name: init.name, [name]: v } })])),
  ...schema.datasets.datasets.flatMap((set) => set.params.filter((row) => row.type === 'choice').map(({ name }) =>
    [`data.${name}`, (v) => ({ data: { name: set.name, [name]: v } })])),
  ...schema.optimizers.params.filter((row) => row.type === 'choice').map(({ name }) =>
    [`optimizer.${name}`, (v) => ({ optimizer: { name: 'sgd', [name]: v } })]),
];

/** [path, config(key)]: every object of a config that has keys. */
export const KEY_PLACES = [
  ['', (k) => ({ [k]: 1 })],
  ['data', (k) => ({ data: { name: 'circles', [k]: 1 } })],
  ['layers[0]', (k) => ({ layers: twoLayers({ units: 4, [k]: 1 }) })],
  ['layers[0].activation', (k) => ({ layers: twoLayers({ units: 4, activation: { name: 'relu', [k]: 1 } }) })],
  ['init', (k) => ({ init: { name: 'he_normal', [k]: 1 } })],
  ['optimizer', (k) => ({ optimizer: { name: 'adam', [k]: 1 } })],
  ['stats', (k) => ({ stats: { [k]: 1 } })],
];

/** One character of each UTF-8 length: é (2 bytes), € (3), 𝄞 (4), 😀 (4, an emoji). */
export const WIDE_CHARACTERS = ['é', '€', '𝄞', '😀'];

/** What a message shows of a text: at most 60 bytes of UTF-8, whole characters, "..." included. */
export function shownText(text) {
  if (Buffer.byteLength(text) <= 60) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > 57) break;
    out += ch;
  }
  return `${out}...`;
}

/** The engine's text of a config with `token` written where the value "@@" was. */
const withToken = (config, token) => JSON.stringify(config).replace('"@@"', token);

// n levels of arrays, or of objects {"a": ...}, without recursion.
function nested(n, objects = false) {
  let v = objects ? 1 : [];
  for (let i = objects ? 0 : 1; i < n; ++i) v = objects ? { a: v } : [v];
  return v;
}
const nestedText = (n, objects = false) => (objects ? `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` : `${'['.repeat(n)}${']'.repeat(n)}`);

/**
 * Where a deep value can sit: [member, config(value), depth of the value's own level, the
 * field blamed for a value just under the limit (the field's own check), and whether the
 * value is objects rather than arrays].
 */
const NESTING_PLACES = [
  ['seed', (v) => ({ seed: v }), 2, 'seed', false],
  ['data', (v) => ({ data: v }), 2, 'data.a', true],
  ['layers', (v) => ({ layers: [{ units: 4 }, v] }), 3, 'layers[1]', false],
  ['init', (v) => ({ init: { name: 'constant', value: v } }), 3, 'init.value', false],
  ['optimizer', (v) => ({ optimizer: { name: 'sgd', lr: v } }), 3, 'optimizer.lr', false],
  ['stats', (v) => ({ stats: v }), 2, 'stats.a', true],
];

const nestingMessage = (member, depth) =>
  new RegExp(`^${escape(member)}: the config nests arrays and objects ${depth} levels deep; at most ${maxNesting} levels are allowed$`);

export const BAD_INPUT_CLASSES = {
  'multibyte text at every cut position in every string field': WIDE_CHARACTERS.flatMap((ch) =>
    Array.from({ length: 13 }, (_, i) => 'a'.repeat(50 + i) + ch + 'aaaa').flatMap((value) =>
      STRING_SLOTS.map(([field, config]) =>
        [`${field} = a×${value.length - 4 - ch.length} ${ch}`, config(value), field, new RegExp(`"${'a'.repeat(40)}`), /allowed/]))),

  'multibyte text at every cut position in an unknown key, in every object': WIDE_CHARACTERS.flatMap((ch) =>
    Array.from({ length: 13 }, (_, i) => 'k'.repeat(50 + i) + ch + 'kkkk').flatMap((key) =>
      KEY_PLACES.map(([path, config]) => {
        const shown = shownText(key);
        return [`unknown key in ${path || 'the config'} ${ch} at ${key.indexOf(ch)}`, config(key), path ? `${path}.${shown}` : shown, /unknown key; allowed keys here: /];
      }))),

  'nesting just under, just over and far over the limit, in each place, as text and as objects': NESTING_PLACES.flatMap(
    ([member, config, level, underField, objects]) => [maxNesting, maxNesting + 1, 10000].flatMap((depth) => {
      const n = depth - level + 1;  // levels of the value itself
      const over = depth > maxNesting;
      const expect = over ? [member, nestingMessage(member, depth)] : [underField, /is not allowed|unknown key/];
      return [
        [`${member} at depth ${depth}, text`, withToken(config('@@'), nestedText(n, objects)), ...expect],
        [`${member} at depth ${depth}, objects`, config(nested(n, objects)), ...expect],
      ];
    })),

  'numbers JSON cannot hold in every number field': NUMBER_SLOTS.flatMap(([field, config]) =>
    ['1e309', '-1e309', '9'.repeat(400), `-${'9'.repeat(400)}`].map((token) =>
      [`${field} = ${token.slice(0, 8)}`, withToken(config('@@'), token), field,
        new RegExp(`^${escape(field)}: ${escape(token.slice(0, 57))}(\\.\\.\\.)? is not allowed; expected a finite number`)])),

  'NaN, Infinity and -Infinity in every number field': NUMBER_SLOTS.flatMap(([field, config]) =>
    [NaN, Infinity, -Infinity].map((value) =>
      [`${field} = ${value}`, config(value), field,
        new RegExp(`^${escape(field)}: ${value} is not allowed; expected a finite number \\(JSON has no NaN or Infinity\\)$`)])),
};

// A cycle, made once.
const circular = circles();
circular.data = { name: 'circles', self: null };
circular.data.self = circular.data;

export const BAD_JS_CONFIGS = [
  ['a BigInt seed', { seed: 3n }, 'seed', /^seed: 3n is not allowed; expected a number \(JSON has no BigInt\)$/],
  ['a BigInt in a layer', circles({ layers: twoLayers({ units: 10n ** 30n }) }), 'layers[0].units', /1000000000000000000000000000000n is not allowed/],
  ['a circular data object', circular, 'data.self', /refers to an object that contains it \(a circular structure\)/],
  ['a config that contains itself deeper than the limit', (() => {
    const c = { data: { name: 'circles' } };
    let v = c.data;
    for (let i = 0; i < 40; ++i) v = v.inner = {};
    v.back = c.data;
    return c;
  })(), 'data', /^data: the config nests arrays and objects more than 32 levels deep, without end \(it contains itself\)/],
  ['a toJSON that gives nothing', { toJSON: () => undefined }, '', /^the config must be an object or a JSON string, got nothing/],
  ['a toJSON that throws', { seed: 1, data: { toJSON() { throw new Error('no'); } } }, 'data', /^data: reading it threw "no"/],
  ['a getter that throws', { get loss() { throw new RangeError('boom'); } }, 'loss', /^loss: reading it threw "boom"/],
  ['a function as the loss', { loss: () => 'bce' }, 'loss', /^loss: a function is not allowed; expected JSON data$/],
  ['a symbol as the init', { init: Symbol('he') }, 'init', /^init: Symbol\(he\) is not allowed; expected JSON data$/],
  ['a symbol as the config', Symbol('config'), '', /^the config must be an object or a JSON string, got symbol Symbol\(config\)$/],
  ['a BigInt as the config', 12n, '', /got bigint 12n/],
  ['a function as the config', () => ({}), '', /got a function/],
  ['a __proto__ key, as JSON.parse makes one', JSON.parse('{"init": {"name": "he_normal", "__proto__": {"gain": 2}}}'),
    'init.__proto__', /^init\.__proto__: unknown key; allowed keys here: name$/],
  ['NaN in an array', circles({ layers: [{ units: 4, init: { name: 'orthogonal', gain: [NaN] } }, { units: 1, activation: 'sigmoid' }] }),
    'layers[0].init.gain[0]', /NaN is not allowed/],
];
