// Where the page opens, beside the config (state.js KEYS): the page's own URL keys, read
// from the query and the hash alike (the hash wins), and the links the page hands out.
//
//   step=500           train to this step on opening (the same run, so the same numbers)
//   pace=20, until=300 Play's steps per second (or max), and the step where Play pauses
//   stepaxis=log       the loss chart's step axis on a log scale
//   runs=2, b.init=…   a comparison: run B is run A with B's keys changed (c., d. for more)
//   preset=name        a preset of wasm/presets.mjs: its text and published numbers beside the run
//   sweep=…            the sweep view with this grid (sweepText.js, sweepView.js)
//   embed=1, hide=…    the compact layout for an iframe (embed.js), without the parts named
//
// The config of run A is every key of state.js without a prefix.
//
// A link is read in time linear in its length, and no more of it than MAX_URL_CHARS: a
// longer one is not read at all (one notice says so). Keys the page does not know are
// named together in one notice, not one each.
import { serialize, deserialize, KEYS } from './state.js';
import { parseSweepText } from './sweepText.js';
import { PARTS } from './embed.js';
import { excerpt } from './excerpt.js';
import { readPace, PACE_ALLOWED } from './pace.js';
import { STEP_AXES } from './charts/stepAxis.js';
import { LIMITS } from '../../wasm/dist/limits.mjs';
import { readPointsText } from './customData.js';

export const MAX_RUNS = 4;
// The engine's limit rows (core/src/limits.cpp): Play may go on far past the step a link
// trains to on opening.
export const MAX_STEP = LIMITS.linkStep.max;
export const MAX_UNTIL = LIMITS.untilStep.max;
// Far above the longest link the page writes (four runs of 65 layers, each with its
// initializers and parameters spelled out, and a sweep).
export const MAX_URL_CHARS = 131072;
const LETTERS = ['a', 'b', 'c', 'd'];
// Unknown keys named in their notice; the rest are counted.
const UNKNOWN_SHOWN = 5;

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
  { key: 'pace', read: readPace, allowed: PACE_ALLOWED, doc: 'steps per second while playing (max: as fast as the engine goes)' },
  { key: 'until', ...intIn(0, MAX_UNTIL), doc: 'Play pauses at this step (0: it plays on)' },
  { key: 'stepaxis', read: (s) => (STEP_AXES.includes(s) ? s : undefined), allowed: STEP_AXES.join(' or '), doc: 'the loss chart\'s step axis' },
  { key: 'runs', ...intIn(1, MAX_RUNS), doc: 'runs side by side (2: A/B comparison)' },
  { key: 'preset', read: (s) => (/^[A-Za-z0-9_-]{1,64}$/.test(s) ? s : undefined), allowed: 'a preset name', doc: 'a preset, shown beside the run' },
  { key: 'group', read: (s) => (/^[A-Za-z0-9_-]{1,64}$/.test(s) ? s : undefined), allowed: 'a group of the preset\'s runs', doc: 'which of a preset\'s groups of runs is shown' },
  { key: 'sweep', read: parseSweepText, allowed: 'x;y;steps;metric:value;colour, e.g. init.scale:0.25:4:9:log;depth:1:6:6:linear;300;trainAccuracy:0.95;loss', doc: 'the sweep view with this grid' },
  { key: 'maxHeight', ...intIn(200, 100000), doc: 'embed mode: the tallest the iframe grows, in pixels (beyond it the lab scrolls inside)' },
  { key: 'embed', read: (s) => ({ 1: true, 0: false, true: true, false: false })[s], allowed: '1 or 0', doc: 'the compact layout for an iframe' },
  // Custom data (dataPanel.js): drawn points, or a course page's CSV on its own site.
  { key: 'pts', read: readPointsText, allowed: 'drawn points, 5 characters each (class digit, then x and y as two base-36 digits of (v + 1) x 100)', doc: 'points drawn onto the plane (custom data)' },
  { key: 'csv', read: (s) => (s.length > 0 && s.length <= 2048 ? s : undefined), allowed: 'a path of a CSV on this site, e.g. /data/my.csv', doc: 'a CSV on this site to train on (custom data)' },
  { key: 'csvlabel', read: (s) => (s.length > 0 && s.length <= 256 ? s : undefined), allowed: 'a header name or a column number from 1', doc: 'with csv=: the CSV\'s class column (default: the last)' },
  // The parts it knows are used; the others are named in a notice (readUrl).
  { key: 'hide', read: (s) => s.split(',').filter((name) => PARTS.some((p) => p.name === name)), allowed: `parts of the page: ${PARTS.map((p) => p.name).join(', ')}`, doc: 'parts of the page not shown (embed mode)' },
];

/**
 * The query's and the hash's keys together, the hash's over the query's (the first of a
 * key given twice in the query, the last in the hash, as URLSearchParams' get and set
 * make them): { has(key), get(key), hashKeys, tooLong }. hashKeys: the hash's keys (the
 * query may carry keys for the server, which are not the page's to judge). A link longer
 * than MAX_URL_CHARS is not read: tooLong is its length and no key is set.
 */
export function locationParams(loc = window.location) {
  const values = new Map();
  const hashKeys = new Set();
  const chars = loc.search.length + loc.hash.length;
  if (chars <= MAX_URL_CHARS) {
    for (const [k, v] of new URLSearchParams(loc.search)) if (!values.has(k)) values.set(k, v);
    for (const [k, v] of new URLSearchParams(loc.hash.replace(/^#/, ''))) {
      values.set(k, v);
      hashKeys.add(k);
    }
  }
  return {
    has: (key) => values.has(key),
    get: (key) => (values.has(key) ? values.get(key) : null),
    hashKeys,
    tooLong: chars > MAX_URL_CHARS ? chars : 0,
  };
}

/** The notices about the link as a whole: too long, or keys the page does not use. */
function linkNotices(params, used) {
  if (params.tooLong) {
    return [{
      key: 'link', label: `a link of ${params.tooLong.toLocaleString('en-US')} characters`,
      allowed: `at most ${MAX_URL_CHARS.toLocaleString('en-US')}; none of its settings is read`, fallback: 'not set',
    }];
  }
  const unknown = [...(params.hashKeys ?? [])].filter((k) => !used.has(k));
  if (!unknown.length) return [];
  const named = unknown.slice(0, UNKNOWN_SHOWN).map((k) => excerpt(k, 24));
  const more = unknown.length > UNKNOWN_SHOWN ? ` and ${(unknown.length - UNKNOWN_SHOWN).toLocaleString('en-US')} more` : '';
  return [{
    key: 'unknown', label: `${named.join(', ')}${more}`,
    allowed: `the keys of the lab: ${[...KEYS, ...PAGE_KEYS].map((r) => r.key).join(', ')}; run B's keys start with b. (c., d. for more runs) once runs= or a preset shows it`,
    fallback: 'not set', count: unknown.length,
  }];
}

/**
 * Everything the URL says.
 * @param {string[][]} [drop]  per run, keys to leave at their defaults (refused by the engine)
 * @param {(count: number) => object[] | null} [basesFor]  the configs the runs' keys are
 *   changes of (a preset's runs), given the run count; default: run A from the defaults and
 *   every other run from run A
 * @returns {{ runs: {config, given: string[]}[], page: object, notices: object[] }}
 *   page: { step, pace, until, stepaxis, runs, preset, group, embed, hide } (absent keys are undefined)
 */
export function readUrl(params, defaults, schema, drop = [], basesFor = null) {
  const notices = [];
  const page = {};
  const used = new Set();
  for (const row of PAGE_KEYS) {
    if (!params.has(row.key)) continue;
    used.add(row.key);
    const text = params.get(row.key);
    const value = row.read(text);
    if (value === undefined) {
      notices.push({ key: row.key, value: excerpt(text), allowed: row.allowed, fallback: 'not set' });
    } else {
      page[row.key] = value;
    }
  }
  if (page.hide) {
    const unknown = params.get('hide').split(',').filter((name) => name && !page.hide.includes(name));
    if (unknown.length) notices.push({ key: 'hide', value: excerpt(unknown.join(',')), allowed: PAGE_KEYS.find((r) => r.key === 'hide').allowed, fallback: 'not set' });
  }
  const bases = basesFor?.(page);
  const count = bases?.length ?? page.runs ?? 1;
  const runs = [];
  for (let k = 0; k < count; k++) {
    const base = bases ? bases[k] : k === 0 ? defaults : runs[0].config;
    const got = deserialize(params, base, schema, { prefix: runPrefix(k), drop: new Set(drop[k] ?? []) });
    notices.push(...got.notices);
    runs.push({ config: got.config, given: got.given });
    for (const row of KEYS) used.add(runPrefix(k) + row.key);
  }
  notices.push(...linkNotices(params, used));
  return { runs, page, notices };
}

/**
 * The URL text of a page state: run A's keys, the other runs' differences from A (or from
 * `bases`, a preset's runs), then the page keys that are set.
 * @param {{ configs: object[], bases?: object[], step?: number, pace?: number|'max', until?: number, stepaxis?: string, preset?: string, group?: string, embed?: boolean, hide?: string[] }} state
 *   pace, until, stepaxis: only when they differ from the page's defaults
 */
export function writeUrl({ configs, bases, step, pace, until, stepaxis, preset, group, sweep, embed, hide, maxHeight, data }, defaults, schema) {
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
  if (pace !== undefined) parts.push(`pace=${pace}`);
  if (until !== undefined) parts.push(`until=${until}`);
  if (stepaxis) parts.push(`stepaxis=${stepaxis}`);
  if (sweep) parts.push(`sweep=${encodeURIComponent(sweep)}`);
  if (embed) parts.push('embed=1');
  if (hide?.length) parts.push(`hide=${hide.join(',')}`);
  if (embed && maxHeight) parts.push(`maxHeight=${maxHeight}`);
  if (data?.pts) parts.push(`pts=${data.pts}`);
  if (data?.csv) parts.push(`csv=${encodeURIComponent(data.csv)}`);
  if (data?.csv && data.csvlabel !== undefined) parts.push(`csvlabel=${encodeURIComponent(data.csvlabel)}`);
  return parts.join('&');
}

/** The URL keys of the config (for the README and tests): run A's names. */
export const CONFIG_KEYS = KEYS.map((row) => row.key);

/** The page's address without query and hash, for links and snippets. */
export function pageAddress(loc = window.location) {
  return `${loc.origin === 'null' ? 'file://' : loc.origin}${loc.pathname}`;
}
