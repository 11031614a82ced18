// The page's link: reading one into runs (with notices for what the page cannot use),
// falling back from a key the engine refused, and writing the page's state as one. url.js
// holds the keys and how each is read and written; this is what the page does with them.
import { readUrl, writeUrl, PAGE_KEYS, runPrefix, pageAddress } from './url.js';
import { embedQuery } from './embed.js';
import { KEYS, getPath, keyOfField, fullConfig } from './state.js';
import { presetRuns, presetNotices } from './presetMenu.js';

/**
 * @typedef {{ defaults: object, schema: object, presets: object[] }} LinkContext
 *   the lab's defaults and schema, and the presets (wasm/presets.mjs)
 */

/** The configs a preset's runs start from (the URL keys of a preset are changes of them). */
function presetBases(keys, { defaults, schema, presets }) {
  const preset = keys.preset && presets.find((p) => p.name === keys.preset);
  if (!preset) return null;
  return presetRuns(preset, keys.group).runs.map((r) => fullConfig(r.config, defaults, schema));
}

/**
 * What `params` asks for, the keys in `drop` ([run] → keys) left at their defaults:
 * { runs: [{ config, given }], keys (the page keys), preset (the row, or null), notices }.
 * @param {LinkContext} ctx
 */
export function readLink(params, drop, ctx) {
  const { runs, page: keys, notices } = readUrl(params, ctx.defaults, ctx.schema, drop, (k) => presetBases(k, ctx));
  const preset = keys.preset ? ctx.presets.find((p) => p.name === keys.preset) ?? null : null;
  return { runs, keys, preset, notices: [...notices, ...presetNotices(keys, ctx.presets)] };
}

/**
 * The engine refused run k's config read from the link ({ params, given, drop }): the key
 * that holds `field` goes back to its default (or, if the field is not one the link set,
 * every key the link set for run k). Returns the keys to drop from now on and a notice per
 * key, or null when the link set none of run k's keys.
 * @param {LinkContext} ctx
 */
export function refuseLinkKey({ params, given, drop }, k, message, field, ctx) {
  const mine = given[k] ?? [];
  if (!mine.length) return null;
  const row = keyOfField(field ?? '');
  const keys = row && mine.includes(row.key) ? [row.key] : mine;
  const dropped = [...drop];
  dropped[k] = [...(drop[k] ?? []), ...keys];
  const next = readLink(params, dropped, ctx).runs[k].config;
  const notices = keys.map((key) => {
    const r = KEYS.find((x) => x.key === key);
    const used = getPath(next, r.path);
    return {
      key: runPrefix(k) + key, value: params.get(runPrefix(k) + key),
      reason: keys.length === 1 ? message : `these settings do not work together (${message})`,
      fallback: used === undefined ? 'not set' : r.codec.write(used),
    };
  });
  return { drop: dropped, notices };
}

/**
 * The page's state as links: the page's own URL (kept current with replaceState), Copy
 * link's and the Embed dialog's. The settings go in the hash; the query keeps only what is
 * not ours.
 */
export class PageLinks {
  /**
   * @param {(options: { atStep: boolean, full: boolean }) => object} stateOf  the page's state
   *   as writeUrl's fields (at its step if atStep; full: the full lab, not the embed layout)
   * @param {() => { defaults: object, schema: object }} context
   */
  constructor(stateOf, context) {
    this.stateOf = stateOf;
    this.context = context;
    this.written = '';  // the hash written last (the page's own hashchange is not a new link)
  }

  #text({ atStep = false, full = false } = {}) {
    const { defaults, schema } = this.context();
    const hash = writeUrl(this.stateOf({ atStep, full }), defaults, schema);
    const ours = new Set([...KEYS.map((k) => k.key), ...PAGE_KEYS.map((k) => k.key)]);
    const query = new URLSearchParams([...new URLSearchParams(location.search)].filter(([k]) => !ours.has(k) && !/^[b-d]\./.test(k)));
    const search = query.toString();
    return { search: search ? `?${search}` : '', hash };
  }

  /** The page's URL says its state now. */
  write() {
    const { search, hash } = this.#text();
    this.written = hash;
    history.replaceState(null, '', `${location.pathname}${search}${hash ? `#${hash}` : ''}`);
  }

  /** "Copy link": the full lab (never the embed layout) with every setting, at this step if asked. */
  share({ atStep }) {
    const { search, hash } = this.#text({ atStep, full: true });
    return `${pageAddress()}${search}${hash ? `#${hash}` : ''}`;
  }

  /** The embed URL of this state: the page's address with embed=1, the parts hidden and the settings. */
  embed({ hide, atStep, maxHeight }) {
    const { hash } = this.#text({ atStep, full: true });
    return `${pageAddress()}?${embedQuery({ hide, maxHeight })}${hash ? `#${hash}` : ''}`;
  }
}
