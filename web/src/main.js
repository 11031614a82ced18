// Wiring only: the worker session, the player, the controls, the toolbar, the views, the
// formula, the verdict and the URL. Nothing here computes or draws.
import './style.css';
import { Session } from './session.js';
import { Player } from './player.js';
import { Controls } from './controls.js';
import { Toolbar } from './toolbar.js';
import { Views } from './views.js';
import { FormulaPanel } from './formula.js';
import { verdict } from './verdict.js';
import { clone, keyOfField, KEYS, getPath } from './state.js';
import { locationParams, readUrl, writeUrl, pageAddress, PAGE_KEYS } from './url.js';
import { Notices } from './notices.js';
import { SharePanel } from './share.js';
import { ExportMenu } from './exports.js';
import { RunRecord } from './record.js';
import { applyLayout, postHeight, EmbedDialog, PARTS } from './embed.js';

const $ = (id) => document.getElementById(id);

const page = {
  schema: null, defaults: null, config: null,
  controls: null, views: null, formula: null, toolbar: null, player: null,
  queue: [],           // frames waiting for the next animation frame
  drawScheduled: false,
  diverged: false,
  hasRun: false,
  step: 0,
  speed: { steps: 0, ms: 0 },
  // The page keys (url.js) and, while a run from the URL is not yet accepted by the
  // engine, what the URL said: { params, given, drop } (keys the engine refused are dropped).
  record: new RunRecord(),  // what the run has shown, for export
  pageKeys: {},
  fromUrl: null,
  targetStep: 0,
};

const session = new Session({
  onSchema(schema, version) {
    page.schema = schema;
    page.defaults = schema.config.default;
    $('version').textContent = `engine ${version}`;
    page.notices = new Notices($('notices'));
    page.share = new SharePanel($('share'), { link: shareLink, step: () => page.step });
    page.exports = new ExportMenu($('share'), {
      record: () => page.record, schema, version, link: () => shareLink({ atStep: page.step > 0 }), step: () => page.step,
    });
    $('btn-link').addEventListener('click', () => { page.exports.close(); page.share.isOpen ? page.share.close() : page.share.open(); });
    page.embed = new EmbedDialog({ src: embedSrc, step: () => page.step });
    $('btn-embed').addEventListener('click', () => { page.share.close(); page.exports.close(); page.embed.open(page.pageKeys.hide ?? []); });
    $('btn-export').addEventListener('click', () => { page.share.close(); page.exports.isOpen ? page.exports.close() : page.exports.open(); });
    page.controls = new Controls($('controls'), schema, { onChange: applyConfig });
    page.formula = new FormulaPanel(page.controls.formulaSlot, schema);
    page.views = new Views($('cards'));
    page.toolbar = new Toolbar($('toolbar'), act);
    page.player = new Player({
      advance: (steps, options) => session.advance(steps, options),
      onState: (playing) => {
        page.toolbar.setPlaying(playing);
        document.body.dataset.playing = String(playing);
      },
    });
    window.addEventListener('hashchange', () => {
      if (location.hash.replace(/^#/, '') !== page.writtenHash) openUrl();
    });
    openUrl();
  },
  onFrame(frame) {
    page.queue.push(frame);
    if (!page.drawScheduled) {
      page.drawScheduled = true;
      requestAnimationFrame(drawQueued);
    }
  },
  onError(message, field) {
    if (page.fromUrl && refuseUrlKey(message, field)) return;
    page.fromUrl = null;
    page.hasRun = false;
    page.toolbar.setEnabled({ canTrain: false, hasRun: false });
    const shown = page.controls.showError(field, message);
    showError(`${shown ? '' : `${field}: `}${message}`);
    setVerdict({ severity: 'bad', kind: 'invalid', text: `This network cannot be built: ${message}` });
    document.body.dataset.ready = 'true';
  },
  onFatal(message) {
    showError(`The engine could not run: ${message}`);
    document.body.dataset.ready = 'error';
  },
});

// ---- URL ------------------------------------------------------------------------------

/** Opens what the URL says: notices for what it cannot use, then the run. */
function openUrl() {
  page.notices.clear();
  page.fromUrl = { params: locationParams(), drop: [] };
  loadUrl();
}

function loadUrl() {
  const { runs, page: keys, notices } = readUrl(page.fromUrl.params, page.defaults, page.schema, page.fromUrl.drop);
  page.notices.add(notices);
  page.pageKeys = keys;
  page.targetStep = keys.step ?? 0;
  const unknown = applyLayout({ embed: keys.embed, hide: keys.hide ?? [] });
  page.notices.add(unknown.map((name) => ({ key: 'hide', value: name, allowed: `parts of the page: ${PARTS.map((p) => p.name).join(', ')}`, fallback: 'not set' })));
  if (keys.embed && !page.heightPosted) {
    page.heightPosted = true;
    postHeight();
  }
  page.controls.compact = Boolean(keys.embed);
  page.fromUrl.given = runs[0].given;
  page.config = runs[0].config;
  page.controls.render(page.config);
  create();
}

// The engine refused the URL's config: leave the key that holds the field at its default
// (or, if the field is not one the URL set, every key it set) and try again.
function refuseUrlKey(message, field) {
  const { params, given, drop } = page.fromUrl;
  if (!given.length) return false;
  const row = keyOfField(field ?? '');
  const keys = row && given.includes(row.key) ? [row.key] : given;
  drop[0] = [...(drop[0] ?? []), ...keys];
  const next = readUrl(params, page.defaults, page.schema, drop).runs[0].config;
  page.notices.add(keys.map((key) => {
    const r = KEYS.find((k) => k.key === key);
    const used = getPath(next, r.path);
    return {
      key, value: params.get(key), reason: keys.length === 1 ? message : `these settings do not work together (${message})`,
      fallback: used === undefined ? 'not set' : r.codec.write(used),
    };
  }));
  loadUrl();
  return true;
}

/** The URL of the page state (config in the hash; the query keeps only what is not ours). */
function urlText({ atStep = false, full = false } = {}) {
  const hash = writeUrl({
    configs: [page.config],
    step: atStep ? page.step : 0,
    preset: page.pageKeys.preset,
    embed: full ? false : page.pageKeys.embed,
    hide: full ? [] : page.pageKeys.hide,
  }, page.defaults, page.schema);
  const ours = new Set([...KEYS.map((k) => k.key), ...PAGE_KEYS.map((k) => k.key)]);
  const query = new URLSearchParams([...new URLSearchParams(location.search)].filter(([k]) => !ours.has(k) && !/^[b-d]\./.test(k)));
  const search = query.toString();
  return { search: search ? `?${search}` : '', hash };
}

function writeLocation() {
  const { search, hash } = urlText();
  page.writtenHash = hash;
  history.replaceState(null, '', `${location.pathname}${search}${hash ? `#${hash}` : ''}`);
  $('full-lab').href = shareLink({ atStep: false });
}

/** The embed URL of this state: the page's address with embed=1, the parts hidden and the settings. */
function embedSrc({ hide, atStep }) {
  const { hash } = urlText({ atStep, full: true });
  const query = ['embed=1', ...(hide.length ? [`hide=${hide.join(',')}`] : [])].join('&');
  return `${pageAddress()}?${query}${hash ? `#${hash}` : ''}`;
}

/** "Copy link": the full lab (never the embed layout) with every setting, at this step if asked. */
function shareLink({ atStep }) {
  const { search, hash } = urlText({ atStep, full: true });
  return `${pageAddress()}${search}${hash ? `#${hash}` : ''}`;
}

/** A new config from the controls: new run. */
function applyConfig(next) {
  page.config = clone(next);
  page.controls.render(page.config);
  page.fromUrl = null;
  page.targetStep = 0;
  writeLocation();
  create();
}

function create() {
  page.player.newRun();
  page.diverged = false;
  page.hasRun = false;
  page.step = 0;
  page.speed = { steps: 0, ms: 0 };
  showError('');
  page.toolbar.setEnabled({ canTrain: false, hasRun: false });
  setStatus('Initializing…');
  session.create(page.config);
}

const SEED_MAX = 2147483647;

function act(action) {
  if (!page.player) return;
  switch (action) {
    case 'play':
      if (page.hasRun && !page.diverged) page.player.toggle();
      return;
    case 'step':
      if (page.hasRun && !page.diverged) page.player.step();
      return;
    case 'reset':
      if (!page.hasRun) return;
      page.player.newRun();
      page.diverged = false;
      session.reset();
      return;
    case 'initialize':
      applyConfig({ ...page.config, seed: (page.config.seed + 1) % (SEED_MAX + 1) });
      return;
    case 'reseed': {
      const random = () => Math.floor(Math.random() * SEED_MAX);
      applyConfig({ ...page.config, seed: random(), data: { ...page.config.data, seed: random() } });
      return;
    }
    default:
      throw new Error(`unknown action ${action}`);
  }
}

function drawQueued() {
  page.drawScheduled = false;
  const frames = page.queue.splice(0);
  for (const frame of frames) drawFrame(frame);
}

function drawFrame(frame) {
  const { views } = page;
  if (frame.reason === 'init') {
    if (frame.config) {
      page.record.reset(frame.config, frame.dataset);
      views.newRun(frame);
      page.formula.update(frame.snapshot, frame.config);
    } else {
      page.record.restart();
      views.restart(frame);
    }
    page.hasRun = true;
    page.speed = { steps: 0, ms: 0 };
    if (page.fromUrl && frame.config) {
      // The engine took the URL's config: write it back as the page writes it.
      page.fromUrl = null;
      writeLocation();
      if (page.targetStep > 0) {
        // The link asked for a step: train there in one go, then the page is ready.
        page.jumping = true;
        page.player.step(page.targetStep).then(() => { page.jumping = false; });
        page.targetStep = 0;
      }
    }
  } else {
    const playing = page.player.isPlaying;
    views.draw(frame, !playing);
    page.speed.steps += frame.stepsTaken ?? 0;
    page.speed.ms += frame.stepMs ?? 0;
  }
  page.record.add(frame);
  page.diverged = Boolean(frame.diverged);
  page.toolbar.setEnabled({ canTrain: !page.diverged, hasRun: true });
  const v = verdict({ snapshot: frame.snapshot, evaluation: frame.evaluation, testRows: views.dataset?.test ?? 0 });
  setVerdict(v);
  const rate = page.speed.ms > 0 ? ` · ${Math.round((1000 * page.speed.steps) / page.speed.ms).toLocaleString('en-US')} steps/s` : '';
  setStatus(page.jumping && frame.reason === 'init' ? `Training to step ${page.pageKeys.step.toLocaleString('en-US')}…`
    : `Step ${frame.step.toLocaleString('en-US')}${rate}`);
  page.step = frame.step;
  document.body.dataset.step = String(frame.step);
  document.body.dataset.settled = String(frame.reason === 'init' || Boolean(frame.final) || Boolean(frame.diverged));
  if (!page.jumping || frame.reason !== 'init') document.body.dataset.ready = 'true';
}

function setVerdict({ severity, kind, text }) {
  const el = $('verdict');
  el.textContent = text;
  el.dataset.severity = severity;
  el.dataset.kind = kind;
}

function setStatus(text) {
  $('status').textContent = text;
}

function showError(text) {
  const el = $('error');
  el.textContent = text;
  el.hidden = !text;
}
