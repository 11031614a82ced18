// Where the page opens, beside the config (state.js KEYS): the page's own URL keys, read
// from the query and the hash alike (the hash wins), and the links the page hands out.
//
//   step=500           train to this step on opening (the same run, so the same numbers)
//   runs=2, b.init=…   a comparison: run B is run A with B's keys changed (c., d. for more)
//   preset=name        a preset from lab.presets(): its text and published numbers beside the run
//   sweep=…            the sweep view with this grid (sweepView.js)
//   embed=1, hide=…    the compact layout for an iframe (embed.js), without the parts named
//
// The config of run A is every key of state.js without a prefix.
import { serialize, deserialize, KEYS } from './state.js';
import { parseSweepText } from './sweepView.js';

export const MAX_RUNS = 4;
export const MAX_STEP = 1000000;
const LETTERS = ['a', 'b', 'c', 'd'];

/** The URL prefix of run k (0 = A has none). */
export const runPrefix = (k) => (k === 0 ? '' : `${LETTERS[k]}.`);
export const runLabel = (k) => LETTERS[k].toUpperCase();

const intIn = (lo, hi) => ({
  read: (s) => (/^\d+$/.test(s) && Number(s) >= lo && Number(s) <= hi ? Number(s) : undefined),
  allowed: `an integer from ${lo} to ${hi}`,
});

/** The page's keys: what each allows (the notice's words when a value is refused). */
export const PAGE_KEYS = [
  { key: 'step', ...intIn(0, MAX_STEP), doc: 'train to this step on opening' },
  { key: 'runs', ...intIn(1, MAX_RUNS), doc: 'runs side by side (2: A/B comparison)' },
  { key: 'preset', read: (s) => (/^[A-Za-z0-9_-]{1,64}$/.test(s) ? s : undefined), allowed: 'a preset name', doc: 'a preset, shown beside the run' },
  { key: 'group', read: (s) => (/^[A-Za-z0-9_-]{1,64}$/.test(s) ? s : undefined), allowed: 'a group of the preset\'s runs', doc: 'which of a preset\'s groups of runs is shown' },
  { key: 'sweep', read: parseSweepText, allowed: 'x;y;steps;metric:value;colour, e.g. init.scale:0.25:4:9:log;depth:1:6:6:linear;300;trainAccuracy:0.95;loss', doc: 'the sweep view with this grid' },
  { key: 'embed', read: (s) => ({ 1: true, 0: false, true: true, false: false })[s], allowed: '1 or 0', doc: 'the compact layout for an iframe' },
  { key: 'hide', read: (s) => s.split(',').filter(Boolean), allowed: 'a list of parts separated by commas', doc: 'parts of the page not shown (embed mode)' },
];

/** The query's and the hash's keys together; the hash wins. */
export function locationParams(loc = window.location) {
  const params = new URLSearchParams(loc.search);
  for (const [k, v] of new URLSearchParams(loc.hash.replace(/^#/, ''))) params.set(k, v);
  return params;
}

/**
 * Everything the URL says.
 * @param {string[][]} [drop]  per run, keys to leave at their defaults (refused by the engine)
 * @param {(count: number) => object[] | null} [basesFor]  the configs the runs' keys are
 *   changes of (a preset's runs), given the run count; default: run A from the defaults and
 *   every other run from run A
 * @returns {{ runs: {config, given: string[]}[], page: object, notices: object[] }}
 *   page: { step, runs, preset, group, embed, hide } (absent keys are undefined)
 */
export function readUrl(params, defaults, schema, drop = [], basesFor = null) {
  const notices = [];
  const page = {};
  for (const row of PAGE_KEYS) {
    if (!params.has(row.key)) continue;
    const text = params.get(row.key);
    const value = row.read(text);
    if (value === undefined) {
      notices.push({ key: row.key, value: text.length > 60 ? `${text.slice(0, 57)}…` : text, allowed: row.allowed, fallback: 'not set' });
    } else {
      page[row.key] = value;
    }
  }
  const bases = basesFor?.(page);
  const count = bases?.length ?? page.runs ?? 1;
  const runs = [];
  for (let k = 0; k < count; k++) {
    const base = bases ? bases[k] : k === 0 ? defaults : runs[0].config;
    const got = deserialize(params, base, schema, { prefix: runPrefix(k), drop: new Set(drop[k] ?? []) });
    notices.push(...got.notices);
    runs.push({ config: got.config, given: got.given });
  }
  return { runs, page, notices };
}

/**
 * The URL text of a page state: run A's keys, the other runs' differences from A (or from
 * `bases`, a preset's runs), then the page keys that are set.
 * @param {{ configs: object[], bases?: object[], step?: number, preset?: string, group?: string, embed?: boolean, hide?: string[] }} state
 */
export function writeUrl({ configs, bases, step, preset, group, sweep, embed, hide }, defaults, schema) {
  const parts = [];
  if (preset) parts.push(`preset=${encodeURIComponent(preset)}`);
  if (group) parts.push(`group=${encodeURIComponent(group)}`);
  if (configs.length > 1 && !bases) parts.push(`runs=${configs.length}`);
  configs.forEach((config, k) => {
    const base = bases ? bases[k] : k === 0 ? defaults : configs[0];
    const text = serialize(config, base, schema, runPrefix(k));
    if (text) parts.push(text);
  });
  if (step) parts.push(`step=${step}`);
  if (sweep) parts.push(`sweep=${encodeURIComponent(sweep)}`);
  if (embed) parts.push('embed=1');
  if (hide?.length) parts.push(`hide=${hide.join(',')}`);
  return parts.join('&');
}

/** The URL keys of the config (for the README and tests): run A's names. */
export const CONFIG_KEYS = KEYS.map((row) => row.key);

/** The page's address without query and hash, for links and snippets. */
export function pageAddress(loc = window.location) {
  return `${loc.origin === 'null' ? 'file://' : loc.origin}${loc.pathname}`;
}
