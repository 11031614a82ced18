// Wiring only: the runs (one worker session each), the player, the controls, the toolbar,
// the views (one run, or runs side by side), the formula, the verdicts, the presets, the
// URL, sharing and export, and the long jobs (training to a link's or a preset's step).
// Nothing here computes or draws. Whatever a rebuild replaces (the views, the preset's
// sweeps, a job) is destroyed or cancelled by the rebuild.
import './style.css';
import './terms.css';
import { Session } from './session.js';
import { Player } from './player.js';
import { Controls } from './controls.js';
import { Toolbar } from './toolbar.js';
import { Views, CARDS, TEXT_EVERY_MS } from './views.js';
import { CompareLayout } from './compare.js';
import { FormulaPanel } from './formula.js';
import { verdict } from './verdict.js';
import { clone, keyOfField, KEYS, getPath, serialize, deserialize, fullConfig } from './state.js';
import { locationParams, readUrl, writeUrl, pageAddress, PAGE_KEYS, runPrefix, runLabel, MAX_RUNS, MAX_UNTIL } from './url.js';
import { DEFAULT_PACE } from './pace.js';
import { stepAxis, setStepAxis, onStepAxis } from './charts/stepAxis.js';
import { Notices } from './notices.js';
import { SharePanel } from './share.js';
import { ExportMenu } from './exports.js';
import { RunRecord } from './record.js';
import { applyLayout, postHeight, EmbedDialog, PARTS, explainBlockedFrame, embedQuery } from './embed.js';
import { PresetMenu, PresetPanel, presetRuns, presetNotices } from './presets.js';
import { SweepView, sweepText, defaultSweep } from './sweepView.js';
import { DivergenceActions, lowerLr } from './divergence.js';
import { ImportDialog } from './importer.js';
import { DataPanel } from './dataPanel.js';
import { Job, aboutDuration } from './job.js';
import { ProgressLine } from './progressLine.js';
import { lessonRequested } from './lessons/route.js';
import { reportRuns } from './lessons/report.js';
import { watchTerms } from './terms.js';

const $ = (id) => document.getElementById(id);
const SEED_MAX = 2147483647;
// Training time per call to the worker while a job trains to a step: the worker reads its
// messages (a pause, a new run) between two calls, and the page draws after each.
const JOB_SLICE_MS = 100;

// The settings form never submits (Enter in a field); a listener, as the CSP allows no inline handler.
$('controls').addEventListener('submit', (e) => e.preventDefault());

const page = {
  schema: null, defaults: null, version: '',
  controls: null, views: null, layout: null, formula: null, toolbar: null, player: null,
  sessions: [],        // one worker per run shown; the first also brings the schema
  slots: [],           // the runs: { label, title, config, base, session, record, hasRun, diverged, step, msPerStep (null: not timed yet), settled, presetRecord }
  editing: 0,          // the run the controls edit
  preset: null,        // the preset shown (lab.presets() row), or null
  presets: [],
  queue: [],           // frames waiting for the next animation frame: [k, frame, the session it came from]
  drawScheduled: false,
  step: 0,
  stopAt: 0,           // play stops at this step (the training job's); 0: no stop
  pace: DEFAULT_PACE,  // Play's steps per second, or 'max' (pace.js)
  until: 0,            // Play pauses at this step; 0: it plays on
  playStop: 0,         // the step this Play pauses at (until, if Play started below it); 0: none
  job: null,           // the training job (a link's step=, a preset's run): a Job, started once the runs exist
  speed: { steps: 0, ms: 0 },
  pageKeys: {},
  // While the URL's runs are not yet accepted by the engine: { params, given: [[key]], drop: [[key]] }.
  fromUrl: null,
  // The step the link asks to train to, while its job has not ended or been cancelled
  // (0: none; null: read it from the URL when the URL is next opened).
  linkStep: 0,
  jumping: false,      // a link's step= job has not ended (the page is not "ready" before)
};

const single = () => page.slots.length === 1;

function sessionFor(k) {
  if (!page.sessions[k]) {
    page.sessions[k] = new Session({
      onSchema: k === 0 ? start : () => {},
      onFrame(frame) {
        page.queue.push([k, frame, page.sessions[k]]);
        if (!page.drawScheduled) {
          page.drawScheduled = true;
          requestAnimationFrame(drawQueued);
        }
      },
      onError: (message, field) => runError(k, message, field),
      onFatal(message) {
        endTrainingJob();
        showError(`The engine could not run: ${message}`);
        document.body.dataset.ready = 'error';
      },
    });
  }
  return page.sessions[k];
}

// ?lesson=…: a lesson takes the page (lessons/page.js, loaded only then) and the lab does not start.
const lesson = lessonRequested();
if (lesson !== null) import('./lessons/page.js').then((m) => m.openLessonPage(lesson));
else startLab();

function startLab() {
  try {
    sessionFor(0);
  } catch (err) {
    if (!explainBlockedFrame(err)) throw err;
  }

  // A link with step= shows its job from the first moment, while the engine loads (the URL
  // is read again, with notices, once it has).
  buildJobLine();
  page.linkStep = PAGE_KEYS.find((k) => k.key === 'step').read(locationParams().get('step') ?? '') ?? 0;
  if (page.linkStep > 0) newTrainingJob(page.linkStep, linkJobLabel(page.linkStep));
}

function start(schema, version, presets) {
  page.schema = schema;
  page.defaults = schema.config.default;
  page.version = version;
  $('version').textContent = `engine ${version}`;
  page.notices = new Notices($('notices'));
  page.share = new SharePanel($('share'), { link: shareLink, step: () => page.step });
  page.exports = new ExportMenu($('share'), {
    runs: () => page.slots.map((s, k) => ({ label: s.label, title: s.title, record: s.record, edited: k === page.editing })),
    schema, version, link: () => shareLink({ atStep: page.step > 0 }), step: () => page.step,
  });
  page.embed = new EmbedDialog({ src: embedSrc, step: () => page.step, maxHeightKey: PAGE_KEYS.find((k) => k.key === 'maxHeight') });
  const popovers = [page.share, page.exports];
  const toggle = (which) => () => {
    for (const p of popovers) if (p !== which) p.close();
    if (which.isOpen) which.close(); else which.open();
  };
  $('btn-link').addEventListener('click', toggle(page.share));
  $('btn-export').addEventListener('click', toggle(page.exports));
  $('btn-embed').addEventListener('click', () => { popovers.forEach((p) => p.close()); page.embed.open(page.pageKeys.hide ?? [], page.pageKeys.maxHeight ?? 0); });
  page.importer = new ImportDialog({ onConfig: importConfig, schema: () => page.schema });
  $('btn-import').addEventListener('click', () => { popovers.forEach((p) => p.close()); page.importer.open(); });
  page.controls = new Controls($('controls'), schema, { onChange: applyConfig });
  watchTerms($('cards'), '.chart-desc');  // the cards' descriptions mark their glossary terms
  page.formula = new FormulaPanel(page.controls.formulaSlot, schema);
  page.dataPanel = new DataPanel(page.controls.dataSlot, { schema, describe: (data) => sessionFor(0).describeData(data), apply: applyConfig, config: () => page.slots[page.editing].config });
  page.toolbar = new Toolbar($('toolbar'), act, { onPace: setPace, onUntil: setUntil, maxStep: MAX_UNTIL });
  onStepAxis(() => writeLocation());
  page.divergence = new DivergenceActions($('diverged-actions'), { onReset: () => act('reset'), onLower: lowerLearningRate });
  page.player = new Player({
    advance,
    onState: (playing) => {
      page.toolbar.setPlaying(playing);
      document.body.dataset.playing = String(playing);
      if (!playing) page.playStop = 0;
      quietWhilePlaying(playing);
      // Whatever stops the player (Pause, Step, a new run, the target reached) ends the job.
      if (!playing) endTrainingJob();
    },
  });
  document.body.dataset.playing = 'false';
  page.presetPanel = new PresetPanel($('preset'), {
    onRun: () => trainTo(page.preset.steps, `Running the preset to step ${page.preset.steps.toLocaleString('en-US')}`),
    onGroup: (group) => openPreset(page.preset.name, group),
    onLeave: () => leavePreset(),
    schema: () => page.schema,
  });
  page.sweep = new SweepView($('sweep'), {
    base: () => clone(page.slots[page.editing].config),
    schema: () => page.schema,
    onChange: () => writeLocation(),
    onClose: () => closeSweep(),
  });
  // The presets: the JS API's table (wasm/presets.mjs, what lab.presets() returns), from the
  // worker, so that the page's script does not carry a second copy.
  page.presets = presets;
  page.presetMenu = new PresetMenu($('preset-menu'), presets, (name) => (name ? openPreset(name) : leavePreset()));
  window.addEventListener('hashchange', () => {
    if (location.hash.replace(/^#/, '') === page.writtenHash) return;
    page.linkStep = null;
    openUrl();
  });
  openUrl();
}

// ---- runs ---------------------------------------------------------------------------------

/**
 * The runs to show: [{ label, title?, config, base?, preset? }]. One run: the lab's cards;
 * more: the comparison layout (runs side by side). Each run gets a worker of its own.
 */
function setRuns(list, { cards } = {}) {
  page.player?.newRun();
  for (let k = list.length; k < page.sessions.length; k++) {
    page.sessions[k]?.terminate();
  }
  page.sessions.length = Math.max(1, list.length);
  page.slots = list.map((r, k) => ({
    ...r, session: sessionFor(k), record: new RunRecord(), hasRun: false, diverged: false, step: 0, msPerStep: null,
    settled: false, presetRecord: null,
  }));
  page.editing = Math.min(page.editing, list.length - 1);
  page.views?.destroy();
  page.layout?.destroy();
  page.layout = null;
  page.views = null;
  $('cards').replaceChildren();
  if (list.length === 1) page.views = new Views($('cards'));
  else page.layout = new CompareLayout($('cards'), list, { cards });
  document.body.dataset.runs = String(list.length);
  renderRunsBar();
}

/** Views of run k. */
const viewsOf = (k) => (single() ? page.views : page.layout.views(k));

function renderRunsBar() {
  const bar = $('runs-bar');
  const parts = [];
  if (page.slots.length > 1) {
    const label = document.createElement('span');
    label.className = 'runs-label';
    label.textContent = 'Settings of run';
    const group = document.createElement('div');
    group.className = 'segmented runs-switch';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Settings of run');
    page.slots.forEach((slot, k) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn btn-small';
      b.dataset.testid = `edit-run-${slot.label}`;
      b.textContent = slot.label;
      b.title = slot.title ?? `run ${slot.label}`;
      b.setAttribute('aria-pressed', String(k === page.editing));
      b.addEventListener('click', () => { page.editing = k; renderRunsBar(); renderControls(); });
      group.append(b);
    });
    parts.push(label, group);
  }
  const sweep = document.createElement('button');
  sweep.type = 'button';
  sweep.className = 'btn btn-small';
  sweep.dataset.testid = 'btn-sweep';
  sweep.textContent = page.sweep.isOpen ? 'Close the sweep' : 'Sweep';
  sweep.title = 'A grid over one or two settings of this run, each cell trained in parallel workers';
  sweep.setAttribute('aria-pressed', String(page.sweep.isOpen));
  sweep.addEventListener('click', () => (page.sweep.isOpen ? closeSweep() : openSweep()));
  parts.push(sweep);
  if (!page.preset) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-small';
    b.dataset.testid = 'btn-compare';
    if (single()) {
      b.textContent = 'Compare: add run B';
      b.title = 'Run B starts as a copy of this run (same data, seed and schedule); change what you want to compare';
      b.addEventListener('click', () => addRun());
    } else {
      b.textContent = page.slots.length < MAX_RUNS ? `Add run ${runLabel(page.slots.length)}` : '';
      b.hidden = page.slots.length >= MAX_RUNS;
      b.addEventListener('click', () => addRun());
      const stop = document.createElement('button');
      stop.type = 'button';
      stop.className = 'btn btn-small btn-quiet';
      stop.dataset.testid = 'btn-compare-stop';
      stop.textContent = 'Stop comparing';
      stop.addEventListener('click', () => stopComparing());
      parts.push(stop);
    }
    parts.push(b);
  }
  bar.replaceChildren(...parts);
  bar.hidden = parts.length === 0;
}

function openSweep(state) {
  page.sweep.open(state ?? page.sweepState ?? defaultSweep(page.slots[page.editing].config, page.schema));
  page.sweepState = page.sweep.state;
  renderRunsBar();
  writeLocation();
  $('sweep').scrollIntoView?.({ block: 'nearest' });
}

function closeSweep() {
  page.sweep.close();
  renderRunsBar();
  writeLocation();
}

function renderControls() {
  page.controls.render(page.slots[page.editing].config);
  page.dataPanel.render(page.slots[page.editing].config);
  const slot = page.slots[page.editing];
  if (slot.initFrame) page.formula.update(slot.initFrame.snapshot, slot.initFrame.config);
}

function addRun() {
  const configs = page.slots.map((s) => s.config);
  const list = configs.map((config, k) => ({ label: runLabel(k), config }));
  list.push({ label: runLabel(list.length), config: clone(configs[0]) });
  setRuns(list);
  page.editing = list.length - 1;
  renderRunsBar();
  renderControls();
  writeLocation();
  create();
}

function stopComparing() {
  page.editing = 0;
  setRuns([{ label: 'A', config: page.slots[0].config }]);
  renderControls();
  writeLocation();
  create();
}

function create() {
  page.player.newRun();
  endTrainingJob();
  page.step = 0;
  page.speed = { steps: 0, ms: 0 };
  showError('');
  page.toolbar.setEnabled({ canTrain: false, hasRun: false });
  setStatus('Initializing…');
  page.slots.forEach((slot) => {
    Object.assign(slot, { hasRun: false, diverged: false, step: 0, msPerStep: null, settled: false, presetRecord: null });
    slot.session.create(slot.config, slot.preset ?? null);
  });
}

// One frame of training, never past the training job's step. One run: the worker takes as
// many steps as fit in the budget. Runs side by side go in lockstep: every live run takes
// the same number of steps (as many as the slowest fits in the budget; one while a run's
// pace is not known yet) and the frames come back together.
async function advance(steps, { budgetMs = 12, exact = false } = {}) {
  const live = page.slots.filter((s) => s.hasRun && !s.diverged);
  if (!live.length) return null;
  const at = Math.max(...live.map((s) => s.step));
  const stopAt = page.stopAt || page.playStop;
  if (stopAt && at >= stopAt && steps > 0) {
    if (page.job) page.job.reached = true;
    return { stop: true };
  }
  let n = stopAt && steps > 0 ? Math.min(steps, stopAt - at) : steps;
  let frames;
  if (single()) {
    frames = [await live[0].session.advance(n, { budgetMs, exact })];
  } else {
    if (!exact && n > 0) {
      const paces = live.map((s) => s.msPerStep);
      n = paces.includes(null) ? 1 : Math.max(1, Math.min(n, Math.floor(budgetMs / Math.max(...paces))));
    }
    frames = await Promise.all(live.map((s) => s.session.advance(n, { exact: true, quick: !exact })));
    if (frames.some((f) => !f)) return null;
    live.forEach((s, i) => {
      const f = frames[i];
      if (f.stepsTaken > 0) s.msPerStep = s.msPerStep === null ? f.stepMs / f.stepsTaken : 0.7 * s.msPerStep + 0.3 * (f.stepMs / f.stepsTaken);
    });
  }
  if (!frames[0]) return null;
  const diverged = frames.every((f) => f.diverged);
  const stop = Boolean(stopAt) && frames.every((f) => f.diverged || f.step >= stopAt);
  if ((stop || diverged) && page.job) page.job.reached = true;
  return { diverged, stop, taken: frames[0].stepsTaken ?? n };
}

// ---- the training job ---------------------------------------------------------------------

// The job's line, a row of the run bar (which stays in view): what it trains to, the bar,
// steps done, the pace, the time left, Cancel.
function buildJobLine() {
  const box = document.createElement('div');
  box.className = 'job-line';
  box.dataset.testid = 'job';
  box.hidden = true;
  page.jobLabel = document.createElement('strong');
  page.jobLabel.className = 'job-label';
  page.jobLabel.dataset.testid = 'job-label';
  page.jobLine = new ProgressLine('job');
  const { progress, status, cancelButton } = page.jobLine;
  box.append(page.jobLabel, progress, status, cancelButton);
  $('status').parentElement.append(box);
  page.jobBox = box;
}

function linkJobLabel(step) {
  return `Opening the link at step ${step.toLocaleString('en-US')}`;
}

function describeTraining(job) {
  if (!job.started) {
    const waiting = !page.schema ? 'loading the engine' : `building the run${page.slots.length > 1 ? 's' : ''}`;
    return `step ${job.done.toLocaleString('en-US')} of ${job.total.toLocaleString('en-US')} · ${waiting}…`;
  }
  const rate = job.rate();
  const left = aboutDuration(job.secondsLeft());
  return `step ${job.done.toLocaleString('en-US')} of ${job.total.toLocaleString('en-US')}` +
    (rate > 0 ? ` · ${Math.round(rate).toLocaleString('en-US')} steps/s` : '') + (left ? ` · ${left} left` : '');
}

/**
 * A job that trains every run to `target` (a link's step, a preset's steps) in slices of
 * JOB_SLICE_MS, shown on the job line with `label` until it ends: at the target, at a
 * divergence, or cancelled (Cancel, Pause, Step, Reset, Initialize, a new run, a new link
 * or preset). It starts at once if the runs exist, else when they do (startTraining).
 */
function newTrainingJob(target, label) {
  endTrainingJob();
  const job = new Job({ total: target, done: page.slots.every((s) => s.hasRun) ? page.step : 0 });
  page.job = job;
  job.signal.addEventListener('abort', () => {
    if (page.job !== job) return;
    page.player?.pause();
    endTrainingJob();
  });
  page.jobLabel.textContent = label;
  page.jobBox.hidden = false;
  page.jobLine.show(job, describeTraining);
  return job;
}

function startTraining(job) {
  job.started = true;
  job.startedAt = performance.now();
  page.stopAt = job.total;
  job.progress(page.step);
  page.player.play({ budgetMs: JOB_SLICE_MS, pace: 'max' });
}

/** Ends the training job, if any: done if it got where it was going, else cancelled. */
function endTrainingJob() {
  const job = page.job;
  if (!job) return;
  page.job = null;
  page.stopAt = 0;
  page.linkStep = 0;
  if (job.reached) job.finish(); else job.cancel();
  hideJobLine();
  page.slots.forEach((_, k) => showVerdict(k));
}

function hideJobLine() {
  page.jobLine.release();
  page.jobBox.hidden = true;
}

/** Trains every run to `target` (a preset's steps), then pauses. */
function trainTo(target, label) {
  if (!page.slots.every((s) => s.hasRun)) return;
  page.player.pause();
  startTraining(newTrainingJob(target, label));
}

// ---- pace -----------------------------------------------------------------------------------

// The pace and the until step a page starts with: a preset's (wasm/presets.mjs: its pace,
// and Play pauses at its steps), else the lab's. A link writes them only where they differ.
const defaultPace = () => page.preset?.pace ?? DEFAULT_PACE;
const defaultUntil = () => page.preset?.steps ?? 0;

function setPace(pace) {
  page.pace = pace;
  page.player.setPace(pace);
  page.toolbar.setPace(pace);
  writeLocation();
}

function setUntil(step) {
  page.until = step ?? 0;
  page.toolbar.setUntil(page.until);
  // Playing below it: this Play pauses there now.
  if (page.player.isPlaying && !page.job) page.playStop = page.until > page.step ? page.until : 0;
  writeLocation();
}

// Live regions speak when the run settles, not at every frame while it plays: the
// verdict and the status are quiet while playing and announce the settled frame's words.
function quietWhilePlaying(playing) {
  for (const el of [$('verdict'), $('status')]) el.setAttribute('aria-live', playing ? 'off' : 'polite');
}

// ---- the URL ------------------------------------------------------------------------------

/** Opens what the URL says: notices for what it cannot use, then the runs. Long jobs of the page that was shown stop. */
function openUrl() {
  cancelSweeps();
  page.notices.clear();
  page.fromUrl = { params: locationParams(), drop: [] };
  loadUrl();
}

// The configs a preset's runs start from (the URL keys of a preset are changes of them).
function presetBases(keys) {
  const preset = keys.preset && page.presets.find((p) => p.name === keys.preset);
  if (!preset) return null;
  return presetRuns(preset, keys.group).runs.map((r) => fullConfig(r.config, page.defaults, page.schema));
}

function loadUrl() {
  // The link's job while it waits for its runs (shown since the page opened, or since the
  // runs were last refused): it goes on if the URL still asks for its step.
  const waiting = page.job && !page.job.started ? page.job : null;
  if (waiting) page.job = null;
  const params = page.fromUrl.params;
  const { runs, page: keys, notices } = readUrl(params, page.defaults, page.schema, page.fromUrl.drop, presetBases);
  page.notices.add(notices);
  const own = page.dataPanel.fromUrl(keys, runs[0].config, page.defaults);
  runs[0].config = own.config;
  page.notices.add(own.notices);
  const preset = keys.preset ? page.presets.find((p) => p.name === keys.preset) : null;
  page.notices.add(presetNotices(keys, page.presets));
  page.pageKeys = keys;
  setStepAxis(keys.stepaxis ?? 'linear');
  const unknown = applyLayout({ embed: keys.embed, hide: keys.hide ?? [], maxHeight: keys.maxHeight });
  page.notices.add(unknown.map((name) => ({ key: 'hide', value: name, allowed: `parts of the page: ${PARTS.map((p) => p.name).join(', ')}`, fallback: 'not set' })));
  if (keys.hide) keys.hide = keys.hide.filter((name) => !unknown.includes(name));
  if (keys.embed && !page.heightPosted) {
    page.heightPosted = true;
    postHeight();
  }
  page.controls.compact = Boolean(keys.embed);
  page.fromUrl.given = runs.map((r) => r.given);
  if (preset) {
    showPreset(preset, keys.group, runs.map((r) => r.config));
  } else {
    page.preset = null;
    page.presetPanel.hide();
    if (page.presetMenu) page.presetMenu.value = '';
    setRuns(runs.map((r, k) => ({ label: runLabel(k), config: r.config })));
  }
  if (keys.sweep) page.sweep.open(keys.sweep);
  else if (page.sweep.isOpen) page.sweep.close();
  applyPace(keys.pace ?? defaultPace(), keys.until ?? defaultUntil());
  renderRunsBar();
  renderControls();
  create();
  // The link asks for a step: a job trains there once the engine has taken the runs.
  if (page.linkStep === null) page.linkStep = keys.step ?? 0;
  const target = page.linkStep;
  page.jumping = target > 0;
  if (waiting?.running && waiting.total === target) {
    page.job = waiting;
    waiting.progress(waiting.done);  // its line says what it waits for now
  } else {
    waiting?.cancel();
    if (target > 0) newTrainingJob(target, linkJobLabel(target));
    else if (waiting) hideJobLine();
  }
}

/** Cancels the sweeps (the lab's and the preset's): the page they were started from is gone. */
function cancelSweeps() {
  page.sweep.cancel();
  page.presetPanel.sweeps?.cancel();
}

// The engine refused run k's config. From the URL: leave the key that holds the field at
// its default (or, if the field is not one the URL set, every key it set) and try again.
function runError(k, message, field) {
  if (page.fromUrl && refuseUrlKey(k, message, field)) return;
  if (page.importing) { refuseImport(message, field); return; }
  page.fromUrl = null;
  endTrainingJob();
  page.jumping = false;
  const slot = page.slots[k];
  if (slot) slot.hasRun = false;
  page.toolbar.setEnabled({ canTrain: false, hasRun: false });
  const prefix = single() ? '' : `Run ${slot?.label}: `;
  const shown = k === page.editing && page.controls.showError(field, message);
  showError(`${prefix}${shown ? '' : `${field}: `}${message}`);
  const v = { severity: 'bad', kind: 'invalid', text: `This network cannot be built: ${message}` };
  if (single()) setVerdict(v); else page.layout.setVerdict(k, v);
  document.body.dataset.ready = 'true';
}

function refuseUrlKey(k, message, field) {
  const { params, given, drop } = page.fromUrl;
  const mine = given[k] ?? [];
  if (!mine.length) return false;
  const row = keyOfField(field ?? '');
  const keys = row && mine.includes(row.key) ? [row.key] : mine;
  drop[k] = [...(drop[k] ?? []), ...keys];
  const next = readUrl(params, page.defaults, page.schema, drop, presetBases).runs[k].config;
  page.notices.add(keys.map((key) => {
    const r = KEYS.find((x) => x.key === key);
    const used = getPath(next, r.path);
    return {
      key: runPrefix(k) + key, value: params.get(runPrefix(k) + key),
      reason: keys.length === 1 ? message : `these settings do not work together (${message})`,
      fallback: used === undefined ? 'not set' : r.codec.write(used),
    };
  }));
  loadUrl();
  return true;
}

/** The URL of the page state (settings in the hash; the query keeps only what is not ours). */
function urlText({ atStep = false, full = false } = {}) {
  const hash = writeUrl({
    configs: page.slots.map((s) => s.config),
    bases: page.preset ? page.slots.map((s) => s.base) : undefined,
    step: atStep ? page.step : 0,
    pace: page.pace !== defaultPace() ? page.pace : undefined,
    until: page.until !== defaultUntil() ? page.until : undefined,
    stepaxis: stepAxis() !== 'linear' ? stepAxis() : undefined,
    preset: page.preset?.name,
    group: page.preset ? page.presetGroup : undefined,
    sweep: page.sweep?.isOpen ? sweepText(page.sweep.state) : undefined,
    embed: full ? false : page.pageKeys.embed,
    hide: full ? [] : page.pageKeys.hide,
    maxHeight: full ? 0 : page.pageKeys.maxHeight,
    data: page.dataPanel.urlKeys(page.slots[0].config),
  }, page.defaults, page.schema);
  const ours = new Set([...KEYS.map((k) => k.key), ...PAGE_KEYS.map((k) => k.key)]);
  const query = new URLSearchParams([...new URLSearchParams(location.search)].filter(([k]) => !ours.has(k) && !/^[b-d]\./.test(k)));
  const search = query.toString();
  return { search: search ? `?${search}` : '', hash };
}

/** Shows and uses a pace and an until step (the URL's, a preset's defaults). */
function applyPace(pace, until) {
  page.pace = pace;
  page.until = until;
  page.player.setPace(pace);
  page.toolbar.setPace(pace);
  page.toolbar.setUntil(until);
}

function writeLocation() {
  const { search, hash } = urlText();
  page.writtenHash = hash;
  history.replaceState(null, '', `${location.pathname}${search}${hash ? `#${hash}` : ''}`);
  $('full-lab').href = shareLink({ atStep: false });
}

/** The embed URL of this state: the page's address with embed=1, the parts hidden and the settings. */
function embedSrc({ hide, atStep, maxHeight }) {
  const { hash } = urlText({ atStep, full: true });
  return `${pageAddress()}?${embedQuery({ hide, maxHeight })}${hash ? `#${hash}` : ''}`;
}

/** "Copy link": the full lab (never the embed layout) with every setting, at this step if asked. */
function shareLink({ atStep }) {
  const { search, hash } = urlText({ atStep, full: true });
  return `${pageAddress()}${search}${hash ? `#${hash}` : ''}`;
}

// ---- settings -----------------------------------------------------------------------------

/**
 * A new config for the run being edited. When run A changes in a comparison, the other
 * runs keep only their own differences from A (what the learner changed in them).
 */
function applyConfig(next) {
  const k = page.editing;
  const before = page.slots[0].config;
  page.slots[k].config = clone(next);
  if (k === 0 && !page.preset) {
    for (let j = 1; j < page.slots.length; j++) {
      const own = serialize(page.slots[j].config, before, page.schema, runPrefix(j));
      page.slots[j].config = deserialize(own, page.slots[0].config, page.schema, { prefix: runPrefix(j) }).config;
    }
  }
  page.fromUrl = null;
  renderControls();
  writeLocation();
  create();
}

/** An imported config (importer.js) for the run being edited, over the lab's defaults. */
function importConfig(partial) {
  page.importing = { configs: page.slots.map((s) => clone(s.config)) };
  applyConfig(fullConfig(partial, page.defaults, page.schema));
}

// The engine refused the imported config: the runs go back to what they were.
function refuseImport(message, field) {
  const { configs } = page.importing;
  page.importing = null;
  page.slots.forEach((s, k) => { s.config = configs[k]; });
  page.importer.refused(field && !message.startsWith(field) ? `${field}: ${message}` : message);
  renderControls();
  writeLocation();
  create();
}

// ---- presets ------------------------------------------------------------------------------

/** Shows `preset`'s runs (one group of them if it has many), each from `configs` if given. */
function showPreset(preset, group, configs = null) {
  const chosen = presetRuns(preset, group);
  page.preset = preset;
  page.presetGroup = chosen.groups.length ? chosen.group : undefined;
  const cards = (preset.views ?? []).filter((v) => CARDS.includes(v));
  setRuns(chosen.runs.map((r, k) => ({
    label: r.label, title: r.title, config: configs?.[k] ?? fullConfig(r.config, page.defaults, page.schema),
    base: fullConfig(r.config, page.defaults, page.schema),
    preset: { name: preset.name, label: r.label, title: r.title },
  })), { cards: chosen.runs.length > 2 ? cards.filter((c) => c !== 'loss').slice(0, 2) : cards.length ? cards : undefined });
  page.presetPanel.show(preset, chosen);
  if (page.presetMenu) page.presetMenu.value = preset.name;
}

function openPreset(name, group) {
  const preset = page.presets.find((p) => p.name === name);
  if (!preset) return;
  page.sweep.cancel();
  page.editing = 0;
  page.fromUrl = null;
  page.notices.clear();
  showPreset(preset, group);
  applyPace(defaultPace(), defaultUntil());
  renderControls();
  writeLocation();
  create();
}

function leavePreset() {
  page.sweep.cancel();
  const config = page.slots[page.editing].config;
  page.preset = null;
  page.presetPanel.hide();
  if (page.presetMenu) page.presetMenu.value = '';
  page.editing = 0;
  setRuns([{ label: 'A', config }]);
  applyPace(defaultPace(), defaultUntil());
  renderControls();
  writeLocation();
  create();
}

/** Run k's record in the preset's format (wasm/presets.mjs runPresetRun), from its frames. */
function presetRecordOf(slot, frame) {
  if (frame.reason === 'init' && frame.presetInit) {
    const init = frame.presetInit;
    slot.presetRecord = {
      label: slot.label, title: slot.title, steps: 0, diverged: null, layers: init.layers, checkpoints: [], at: {},
      ...(init.initialWeights ? { initialWeights: init.initialWeights } : {}),
    };
  }
  const record = slot.presetRecord;
  if (!record) return;
  if (frame.reason === 'init' && !frame.presetInit) {
    Object.assign(record, { steps: 0, diverged: null, checkpoints: [], at: {} });
    delete record.init;
    delete record.final;
  }
  if (frame.checkpoint) {
    record.checkpoints.push(frame.checkpoint);
    record.at[frame.checkpoint.step] = frame.checkpoint;
    record.init = record.checkpoints[0];
  }
  record.steps = frame.step;
  if (frame.diverged) record.diverged = frame.diverged;
  if ((frame.step >= page.preset.steps || frame.diverged) && frame.checkpoint) record.final = frame.checkpoint;
}

// ---- actions ------------------------------------------------------------------------------

function act(action) {
  if (!page.player) return;
  const canTrain = page.slots.every((s) => s.hasRun) && page.slots.some((s) => !s.diverged);
  switch (action) {
    // Both end a training job: Pause stops it where it is, Step goes on from there by hand.
    case 'play':
      if (!canTrain) return;
      endTrainingJob();
      // Play from below the until step pauses there; from at or past it, plays on.
      if (!page.player.isPlaying) page.playStop = page.until > page.step ? page.until : 0;
      page.player.toggle();
      return;
    case 'step':
      if (!canTrain) return;
      endTrainingJob();
      page.player.step();
      return;
    case 'reset':
      if (!page.slots.every((s) => s.hasRun)) return;
      page.player.newRun();
      endTrainingJob();
      page.slots.forEach((s) => {
        s.diverged = false;
        s.session.reset();
      });
      return;
    case 'initialize':
    case 'reseed': {
      // Every run moves its seeds by the same amount: runs that shared a seed still do.
      const delta = action === 'initialize' ? 1 : 1 + Math.floor(Math.random() * (SEED_MAX - 1));
      const dataDelta = action === 'initialize' ? 0 : 1 + Math.floor(Math.random() * 1e9);
      for (const s of page.slots) {
        s.config = { ...s.config, seed: ((s.config.seed ?? 0) + delta) % (SEED_MAX + 1) };
        if (dataDelta) s.config.data = { ...s.config.data, seed: ((s.config.data?.seed ?? 1) + dataDelta) % 4294967296 };
      }
      page.fromUrl = null;
      renderControls();
      writeLocation();
      create();
      return;
    }
    default:
      throw new Error(`unknown action ${action}`);
  }
}

/** After a divergence: run k's learning rate ÷ 10, and a new run from the same seed. */
function lowerLearningRate(k) {
  const config = clone(page.slots[k].config);
  config.optimizer.lr = lowerLr(config.optimizer.lr);
  page.editing = k;
  renderRunsBar();
  applyConfig(config);
}

// ---- drawing ------------------------------------------------------------------------------

// The frames that came since the last animation frame; a frame of a run the page has left
// (an older generation, or a session since closed) is dropped here, before any chart sees it.
function drawQueued() {
  page.drawScheduled = false;
  const frames = page.queue.splice(0).filter(([k, frame, session]) =>
    page.slots[k]?.session === session && session.isCurrent(frame));
  for (const [k, frame] of frames) drawFrame(k, frame);
  page.layout?.loss.redraw();
  afterFrames(frames);
}

function drawFrame(k, frame) {
  const slot = page.slots[k];
  if (!slot) return;
  const views = viewsOf(k);
  if (frame.reason === 'init') {
    if (frame.config) {
      slot.initFrame = frame;
      slot.record.reset(frame.config, frame.dataset);
      views.newRun(frame);
      if (k === page.editing) page.formula.update(frame.snapshot, frame.config);
    } else {
      slot.record.restart();
      views.restart(frame);
    }
    if (k === 0) page.speed = { steps: 0, ms: 0 };
    slot.hasRun = true;
  } else {
    views.draw(frame, !page.player.isPlaying);
    if (k === 0) {
      page.speed.steps += frame.stepsTaken ?? 0;
      page.speed.ms += frame.stepMs ?? 0;
    }
  }
  if (page.layout) {
    if (frame.reason === 'init') page.layout.loss.clear(k);
    page.layout.loss.update(k, frame);
  }
  slot.record.add(frame);
  if (k === 0 && frame.memory) {
    // The engine's memory in run A's worker, for memory checks (tests, bench/soak.mjs).
    document.body.dataset.wasmBytes = String(frame.memory.wasmBytes);
    document.body.dataset.wasmHeap = String(frame.memory.heapInUse);
  }
  if (page.preset) presetRecordOf(slot, frame);
  slot.diverged = Boolean(frame.diverged);
  slot.step = frame.step;
  slot.settled = frame.settled;
  slot.lastFrame = frame;
  // While playing, the verdict follows the run at most every TEXT_EVERY_MS.
  const now = performance.now();
  if (!page.player.isPlaying || slot.settled || !(now - (slot.verdictAt ?? -Infinity) < TEXT_EVERY_MS)) {
    slot.verdictAt = now;
    showVerdict(k);
  }
}

// Run k's verdict on its last frame, judged against its initial snapshot; while a long job
// (a link's step=, a preset's run) trains, it says where the job goes instead.
function showVerdict(k) {
  const slot = page.slots[k];
  if (!slot?.lastFrame || (!single() && !page.layout?.columns[k])) return;
  const { snapshot, evaluation } = slot.lastFrame;
  const v = verdict({ snapshot, initial: slot.initFrame?.snapshot, evaluation, testRows: viewsOf(k)?.dataset?.test ?? 0, trainingTo: page.job?.started ? page.job.total : 0 });
  if (single()) setVerdict(v); else page.layout.setVerdict(k, v);
}

function afterFrames(frames) {
  if (!frames.length) return;
  const slots = page.slots;
  const allRun = slots.every((s) => s.hasRun);
  page.toolbar.setEnabled({ canTrain: allRun && slots.some((s) => !s.diverged), hasRun: allRun });
  page.step = Math.max(...slots.map((s) => s.step));
  page.divergence.update(slots.map((s) => ({ label: s.label, lr: s.config.optimizer.lr, diverged: s.diverged })));
  if (!single()) {
    setVerdict({ severity: 'info', kind: 'compare', text: `${slots.length} runs on the same data, side by side: each run's verdict is above its column.` });
  }
  if (page.preset) {
    const results = Object.fromEntries(slots.filter((s) => s.presetRecord).map((s) => [s.label, s.presetRecord]));
    const changed = slots.filter((s) => s.base && serialize(s.config, s.base, page.schema) !== '').map((s) => s.label);
    page.presetPanel.update(results, Math.min(...slots.map((s) => s.step)), { changed });
  }
  // The step alone (its width reserved, so that the run bar never moves); the engine's
  // speed, what pace max reaches, in its tooltip.
  setStatus(`Step ${page.step.toLocaleString('en-US')}`);
  $('status').title = page.speed.ms > 0 ? `the engine trains ${Math.round((1000 * page.speed.steps) / page.speed.ms).toLocaleString('en-US')} steps/s here` : '';
  document.body.dataset.step = String(page.step);
  document.body.dataset.settled = String(slots.every((s) => s.settled));
  reportRuns(frames, slots, () => shareLink({ atStep: false }));  // to a lesson around an embedded lab
  if (!allRun) return;
  page.importing = null;
  if (page.fromUrl) {
    // The engine took the URL's runs: write them back as the page writes them.
    page.fromUrl = null;
    writeLocation();
    if (page.job && !page.job.started) startTraining(page.job);
  }
  const live = slots.filter((s) => !s.diverged);
  if (page.job?.started) page.job.progress(live.length ? Math.min(...live.map((s) => s.step)) : page.step);
  // The link's job has ended (there, diverged or cancelled) and its last frames are in.
  if (page.jumping && !page.job && slots.every((s) => s.settled)) page.jumping = false;
  if (!page.jumping) document.body.dataset.ready = 'true';
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
