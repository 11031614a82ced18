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
import { serialize, deserialize, clone } from './state.js';

const $ = (id) => document.getElementById(id);

const page = {
  schema: null, defaults: null, config: null,
  controls: null, views: null, formula: null, toolbar: null, player: null,
  queue: [],           // frames waiting for the next animation frame
  drawScheduled: false,
  diverged: false,
  hasRun: false,
  speed: { steps: 0, ms: 0 },
};

const session = new Session({
  onSchema(schema, version) {
    page.schema = schema;
    page.defaults = schema.config.default;
    $('version').textContent = `engine ${version}`;
    const { config, skipped } = deserialize(location.hash, page.defaults);
    if (skipped.length) setStatus(`Ignored URL settings that do not parse: ${skipped.join(', ')}`);
    page.config = config;
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
    page.controls.render(page.config);
    window.addEventListener('hashchange', () => {
      const next = deserialize(location.hash, page.defaults).config;
      if (serialize(next, page.defaults) !== serialize(page.config, page.defaults)) applyConfig(next, false);
    });
    create();
  },
  onFrame(frame) {
    page.queue.push(frame);
    if (!page.drawScheduled) {
      page.drawScheduled = true;
      requestAnimationFrame(drawQueued);
    }
  },
  onError(message, field) {
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

/** A new config from the controls (or the URL): new run. */
function applyConfig(next, writeUrl = true) {
  page.config = clone(next);
  page.controls.render(page.config);
  if (writeUrl) {
    const hash = serialize(page.config, page.defaults);
    history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  }
  create();
}

function create() {
  page.player.newRun();
  page.diverged = false;
  page.hasRun = false;
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
      views.newRun(frame);
      page.formula.update(frame.snapshot, frame.config);
    } else {
      views.restart(frame);
    }
    page.hasRun = true;
    page.speed = { steps: 0, ms: 0 };
  } else {
    const playing = page.player.isPlaying;
    views.draw(frame, !playing);
    page.speed.steps += frame.stepsTaken ?? 0;
    page.speed.ms += frame.stepMs ?? 0;
  }
  page.diverged = Boolean(frame.diverged);
  page.toolbar.setEnabled({ canTrain: !page.diverged, hasRun: true });
  const v = verdict({ snapshot: frame.snapshot, evaluation: frame.evaluation, testRows: views.dataset?.test ?? 0 });
  setVerdict(v);
  const rate = page.speed.ms > 0 ? ` · ${Math.round((1000 * page.speed.steps) / page.speed.ms).toLocaleString('en-US')} steps/s` : '';
  setStatus(`Step ${frame.step.toLocaleString('en-US')}${rate}`);
  document.body.dataset.step = String(frame.step);
  document.body.dataset.ready = 'true';
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
