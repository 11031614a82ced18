// Wiring only: the page's mode (pageMode.js) and commit(), through which every change that
// builds runs goes; the runs (runs.js), the player, the controls, the toolbar, the run bar,
// the formula, the verdicts, the presets, the URL (pageLink.js), sharing and export, and the
// training jobs (training.js: to a link's or a preset's step). Nothing here builds DOM or
// draws: the widgets do. Whatever a rebuild replaces (the views, the preset's sweeps, a job)
// is destroyed or cancelled by the rebuild.
import './style.css';
import './terms.css';
import { PageMode } from './pageMode.js';
import { PlayLimits } from './playLimits.js';
import { Runs } from './runs.js';
import { Player } from './player.js';
import { Controls } from './controls.js';
import { Toolbar } from './toolbar.js';
import { RunsBar } from './runsBar.js';
import { StatusBar } from './statusBar.js';
import { CARDS, TEXT_EVERY_MS } from './views.js';
import { FormulaPanel } from './formula.js';
import { verdict } from './verdict.js';
import { clone, serialize, deserialize, fullConfig } from './state.js';
import { locationParams, PAGE_KEYS, runPrefix, runLabel, MAX_UNTIL } from './url.js';
import { readLink, refuseLinkKey, PageLinks } from './pageLink.js';
import { DEFAULT_PACE } from './pace.js';
import { stepAxis, setStepAxis, onStepAxis } from './charts/stepAxis.js';
import { Notices } from './notices.js';
import { applyLayout, postHeight, PARTS, explainBlockedFrame } from './embed.js';
import { PresetMenu, presetRuns } from './presetMenu.js';
import { PRESET_INDEX, loadPresetTable } from './presetTable.js';
import { sweepText, defaultSweep } from './sweepText.js';
import { LazySweepView } from './lazySweeps.js';
import { DivergenceActions, lowerLr } from './divergence.js';
import { LazyPanel } from './lazyPanel.js';
import { DataPanel } from './dataPanel.js';
import { Training } from './training.js';
import { linkJobLabel, presetJobLabel } from './jobLine.js';
import { lessonRequested } from './lessons/route.js';
import { watchTerms } from './terms.js';

const $ = (id) => document.getElementById(id);
const SEED_MAX = 2147483647;
// Training time per call to the worker while a job trains to a step: the worker reads its
// messages (a pause, a new run) between two calls, and the page draws after each.
const JOB_SLICE_MS = 100;

// The settings form never submits (Enter in a field); a listener, as the CSP allows no inline handler.
$('controls').addEventListener('submit', (e) => e.preventDefault());

// Every field of the page; none is added later.
const page = {
  // What the page waits for (pageMode.js); e2e tests read it as body[data-mode].
  mode: new PageMode({ strict: import.meta.env.DEV, onChange: (mode) => { document.body.dataset.mode = mode; } }),
  schema: null, defaults: null, version: '',
  presets: null,       // wasm/presets.mjs PRESETS, loaded when a preset first opens (presetTable.js)
  tableAsks: 0,        // counts what may wait for that table: only the last ask is carried out
  // The widgets: the status bar and the job line from the start, the rest once the engine is there.
  status: null, training: null,
  controls: null, formula: null, toolbar: null, player: null, runsBar: null, divergence: null,
  notices: null, share: null, exports: null, embed: null, importer: null,
  presetMenu: null, presetPanel: null, sweep: null,
  dataPanel: null,     // the learner's own data (dataPanel.js): a CSV or drawn points
  runs: null,          // the runs shown (runs.js): their slots, workers and views
  editing: 0,          // the run the controls edit
  preset: null,        // the preset shown (a wasm/presets.mjs row), or null
  presetGroup: undefined, // the group of its runs shown, if it has groups
  step: 0,
  limits: null,        // Play's pace and until step (playLimits.js)
  // The step the link asks to train to, while its job has not ended or been cancelled
  // (0: none; null: read it from the URL when the URL is next opened).
  linkStep: 0,
  pageKeys: {},        // the link's page keys (embed, hide, maxHeight, …)
  links: new PageLinks((options) => linkState(options), () => page),  // the URL, Copy link's, Embed's
  sweepState: null,    // the sweep last opened, to open again
  heightPosted: false, // an embedded lab posts its height to the page around it (once set up)
};

const slots = () => page.runs.slots;
const single = () => page.runs.single;
const runConfigs = () => slots().map((s) => s.config);

// ?lesson=…: a lesson takes the page (lessons/page.js, loaded only then) and the lab does not start.
const lesson = lessonRequested();
if (lesson !== null) import('./lessons/page.js').then((m) => m.openLessonPage(lesson));
else startLab();

function startLab() {
  document.body.dataset.mode = page.mode.name;
  page.status = new StatusBar({ status: $('status'), verdict: $('verdict'), error: $('error') });
  page.runs = new Runs($('cards'), {
    // A link to a preset: the lab starts once the preset table is in as well.
    onSchema: (schema, version) => withPresets(locationParams().has('preset'), () => start(schema, version)),
    onError: runError,
    onFatal(message) {
      page.mode.to('failed');
      endTrainingJob();
      page.status.showError(`The engine could not run: ${message}`);
      document.body.dataset.ready = 'error';
    },
    drawn: frameDrawn,
    afterFrames,
    still: () => !page.player.isPlaying,
  });
  try {
    page.runs.session(0);
  } catch (err) {
    if (!explainBlockedFrame(err)) throw err;
  }

  // A link with step= shows its job from the first moment, while the engine loads (the URL
  // is read again, with notices, once it has).
  page.training = new Training($('status').parentElement, {
    onCancel: () => { page.player?.pause(); endTrainingJob(); },
    waitingFor: () => (!page.schema ? 'loading the engine' : `building the run${slots().length > 1 ? 's' : ''}`),
  });
  page.linkStep = PAGE_KEYS.find((k) => k.key === 'step').read(locationParams().get('step') ?? '') ?? 0;
  if (page.linkStep > 0) newTrainingJob(page.linkStep, linkJobLabel(page.linkStep));
  // A link to a preset: its table loads while the engine does.
  if (locationParams().has('preset')) loadPresetTable().catch(() => {});
}

function start(schema, version) {
  page.schema = schema;
  page.defaults = schema.config.default;
  page.version = version;
  $('version').textContent = `engine ${version}`;
  page.notices = new Notices($('notices'));
  page.share = new LazyPanel(() => import('./share.js').then(({ SharePanel }) => new SharePanel($('share'), { link: shareLink, step: () => page.step })));
  page.exports = new LazyPanel(() => import('./exports.js').then(({ ExportMenu }) => new ExportMenu($('share'), {
    runs: () => slots().map((s, k) => ({ label: s.label, title: s.title, record: s.record, edited: k === page.editing, exact: (steps) => s.session.exact(steps) })),
    schema, version, link: () => shareLink({ atStep: page.step > 0 }), step: () => page.step,
  })));
  page.embed = new LazyPanel(() => import('./embedDialog.js').then(({ EmbedDialog }) => new EmbedDialog({ src: (options) => page.links.embed(options), step: () => page.step, maxHeightKey: PAGE_KEYS.find((k) => k.key === 'maxHeight') })));
  const popovers = [page.share, page.exports];
  const toggle = (which) => () => {
    for (const p of popovers) if (p !== which) p.close();
    if (which.isOpen) which.close(); else which.open();
  };
  $('btn-link').addEventListener('click', toggle(page.share));
  $('btn-export').addEventListener('click', toggle(page.exports));
  $('btn-embed').addEventListener('click', () => { popovers.forEach((p) => p.close()); page.embed.open(page.pageKeys.hide ?? [], page.pageKeys.maxHeight ?? 0); });
  page.importer = new LazyPanel(() => import('./importer.js').then(({ ImportDialog }) => new ImportDialog({ onConfig: importConfig, schema: () => page.schema })));
  $('btn-import').addEventListener('click', () => { popovers.forEach((p) => p.close()); page.importer.open(); });
  page.controls = new Controls($('controls'), schema, { onChange: (config) => applyConfig(config), onCoordCheck: () => openCoordCheck() });
  watchTerms($('cards'), '.chart-desc');  // the cards' descriptions mark their glossary terms
  page.formula = new FormulaPanel(page.controls.formulaSlot, schema);
  startDataPanel(schema);
  page.toolbar = new Toolbar($('toolbar'), act, {
    onPace: (pace) => { page.limits.setPace(pace); writeLocation(); },
    // Playing below it (not a job): this Play pauses there now.
    onUntil: (step) => { page.limits.setUntil(step, page.player.isPlaying && !page.training.job ? page.step : null); writeLocation(); },
    maxStep: MAX_UNTIL,
  });
  // A link's stepaxis= is set before its runs exist; the URL is written once they do.
  onStepAxis(() => { if (slots().length) writeLocation(); });
  page.divergence = new DivergenceActions($('diverged-actions'), { onReset: () => act('reset'), onLower: lowerLearningRate });
  page.player = new Player({
    advance,
    onState: (playing) => {
      page.toolbar.setPlaying(playing);
      document.body.dataset.playing = String(playing);
      if (!playing) page.limits.paused();
      page.status.quietWhilePlaying(playing);
      // Whatever stops the player (Pause, Step, a new run, the target reached) ends the job.
      if (!playing) endTrainingJob();
    },
  });
  document.body.dataset.playing = 'false';
  page.limits = new PlayLimits(page.player, page.toolbar);
  page.runsBar = new RunsBar($('runs-bar'), {
    onEdit: (k) => { page.editing = k; renderRunsBar(); renderControls(); },
    onSweep: () => (page.sweep.isOpen ? closeSweep() : openSweep()),
    onAddRun: () => addRun(),
    onStopComparing: () => stopComparing(),
  });
  // The preset panel loads with the first preset shown; until then there is none to hide
  // or update.
  page.presetPanel = new LazyPanel(() => import('./presetPanel.js').then(({ PresetPanel }) => new PresetPanel($('preset'), {
    onRun: () => trainTo(page.preset.steps, presetJobLabel(page.preset.steps)),
    onGroup: (group) => openPreset(page.preset.name, group),
    onLeave: () => leavePreset(),
    schema: () => page.schema,
  })));
  page.sweep = new LazySweepView($('sweep'), {
    base: () => clone(slots()[page.editing].config),
    schema: () => page.schema,
    onChange: () => writeLocation(),
    onClose: () => closeSweep(),
  });
  // The menu lists the presets' names and titles (the build's index); their table loads
  // with the first one opened.
  page.presetMenu = new PresetMenu($('preset-menu'), PRESET_INDEX, (name) => (name ? openPreset(name) : leavePreset()));
  window.addEventListener('hashchange', () => {
    if (location.hash.replace(/^#/, '') === page.links.written) return;
    page.linkStep = null;
    openUrl();
  });
  openUrl();
}

// ---- runs ---------------------------------------------------------------------------------

/**
 * The runs to show: [{ label, title?, config, base?, preset? }]. One run: the lab's cards;
 * more: the comparison layout (runs side by side). Each run gets a worker of its own. The
 * runs are built by the commit() that follows.
 */
function setRuns(list, { cards } = {}) {
  page.player?.newRun();
  page.runs.show(list, { cards });
  page.editing = Math.min(page.editing, list.length - 1);
  document.body.dataset.runs = String(list.length);
  renderRunsBar();
}

/**
 * Every change that builds runs comes here: `configs` (one per run shown) become the runs'
 * configs, the page enters `mode` with its `data` (pageMode.js: creating; importing and
 * fromUrl say what a refusal does), the controls, the run bar and the URL show them (the
 * URL's runs are written back once the engine has taken them), and every run is built again.
 */
function commit(configs, mode = 'creating', data = null) {
  page.tableAsks++;  // a preset still waiting for its table is not opened over this
  page.mode.to(mode, data);
  slots().forEach((slot, k) => { slot.config = configs[k]; });
  renderRunsBar();
  renderControls();
  if (mode !== 'fromUrl') writeLocation();
  page.player.newRun();
  endTrainingJob();
  page.step = 0;
  page.status.showError('');
  page.toolbar.setEnabled({ canTrain: false, hasRun: false });
  page.status.status = 'Initializing…';
  page.runs.create();
}

function renderRunsBar() {
  page.runsBar.render({ runs: slots(), editing: page.editing, sweepOpen: page.sweep.isOpen, preset: Boolean(page.preset) });
}

function renderControls() {
  page.controls.render(slots()[page.editing].config);
  page.dataPanel.render(slots()[page.editing].config);
  const slot = slots()[page.editing];
  if (slot.initFrame) page.formula.update(slot.initFrame.snapshot, slot.initFrame.config);
  if (slot.initFrame) page.controls.setResidualNumbers(slot.initFrame.snapshot.residualInit);
}

function openSweep(state) {
  const drawn = page.sweep.open(state ?? page.sweepState ?? defaultSweep(slots()[page.editing].config, page.schema));
  page.sweepState = page.sweep.state;
  renderRunsBar();
  writeLocation();
  drawn.then(() => { if (page.sweep.isOpen) $('sweep').scrollIntoView?.({ block: 'nearest' }); });
}

function closeSweep() {
  page.sweep.close();
  renderRunsBar();
  writeLocation();
}

// The coordinate check's card (coordCheckView.js, a chunk loaded by its first opening): the
// run being edited at a few widths under SP and muP.
let coordCheck = null;
function openCoordCheck() {
  coordCheck ??= import('./coordCheckView.js').then(({ CoordCheckView }) => new CoordCheckView($('coord-check'), {
    config: () => clone(slots()[page.editing].config),
    schema: () => page.schema,
  }));
  coordCheck.then((view) => {
    view.open();
    $('coord-check').scrollIntoView?.({ block: 'nearest' });
  });
}

function addRun() {
  const configs = runConfigs();
  const list = configs.map((config, k) => ({ label: runLabel(k), config }));
  list.push({ label: runLabel(list.length), config: clone(configs[0]) });
  setRuns(list);
  page.editing = list.length - 1;
  commit(list.map((r) => r.config));
}

function stopComparing() {
  const config = slots()[0].config;
  page.editing = 0;
  setRuns([{ label: 'A', config }]);
  commit([config]);
}

// One frame of training for the player (lockstep.js), never past the training job's step
// or this Play's until step.
async function advance(steps, options) {
  const result = await page.runs.advance(steps, options, page.training.stopAt || page.limits.stop);
  if (result?.reached) page.training.reached();
  return result;
}

// ---- the training job ---------------------------------------------------------------------

// A link's step= or a preset's Run (training.js): it starts at once if the runs exist, else
// when they do. Cancel, Pause, Step, Reset, Initialize, a new run, link or preset end it.
function newTrainingJob(target, label) {
  endTrainingJob();
  return page.training.begin(target, label, page.runs.built ? page.step : 0);
}

function startTraining() {
  page.training.start(page.step);
  page.player.play({ budgetMs: JOB_SLICE_MS, pace: 'max' });
}

function endTrainingJob() {
  if (!page.training.end()) return;
  page.linkStep = 0;
  // A preset's Run ends here; a link's jump once its last frames are in (afterFrames).
  if (page.mode.is('training')) page.mode.to('idle');
  slots().forEach((_, k) => showVerdict(k));
}

/** Trains every run to `target` (a preset's steps), then pauses. */
function trainTo(target, label) {
  if (!page.runs.built) return;
  page.player.pause();
  newTrainingJob(target, label);
  page.mode.to('training');
  startTraining();
}

// ---- pace -----------------------------------------------------------------------------------

// The pace and the until step a page starts with: a preset's (wasm/presets.mjs: its pace,
// and Play pauses at its steps), else the lab's. A link writes them only where they differ.
const defaultPace = () => page.preset?.pace ?? DEFAULT_PACE;
const defaultUntil = () => page.preset?.steps ?? 0;

// ---- the URL ------------------------------------------------------------------------------

// The presets: the table once loaded; until then the index, enough for a link without preset=.
const linkContext = () => ({ defaults: page.defaults, schema: page.schema, presets: page.presets ?? PRESET_INDEX });

/**
 * Calls `then` once the preset table is in, if `needed` (else, or if it is in, at once).
 * Of the asks made while it loads only the last is carried out, and none once a commit()
 * has come between (a newer link, preset or setting wins).
 */
function withPresets(needed, then) {
  if (!needed || page.presets) { then(); return; }
  const ask = ++page.tableAsks;
  page.status.status = 'Loading the experiment…';
  loadPresetTable().then((table) => {
    page.presets = table;
    if (ask === page.tableAsks) then();
  }, (error) => {
    if (ask === page.tableAsks) page.status.showError(`The experiments could not be loaded: ${error.message}`);
  });
}

/** Opens what the URL says: notices for what it cannot use, then the runs. Long jobs of the page that was shown stop. */
function openUrl() {
  cancelSweeps();
  page.notices.clear();
  withPresets(locationParams().has('preset'), () => loadUrl(locationParams(), []));
}

// Builds the runs `params` asks for, the keys in `drop` (per run) left at their defaults.
function loadUrl(params, drop) {
  // The link's job while it waits for its runs (shown since the page opened, or since the
  // runs were last refused): it goes on if the URL still asks for its step.
  const waiting = page.training.setAside();
  const { runs, keys, preset, notices } = readLink(params, drop, linkContext());
  page.notices.add(notices);
  linkData(keys, runs);
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
  if (preset) {
    showPreset(preset, keys.group, runs.map((r) => r.config));
  } else {
    page.preset = null;
    page.presetPanel.callIfMade('hide');
    if (page.presetMenu) page.presetMenu.value = '';
    setRuns(runs.map((r, k) => ({ label: runLabel(k), config: r.config })));
  }
  if (keys.sweep) page.sweep.open(keys.sweep);
  else if (page.sweep.isOpen) page.sweep.close();
  page.limits.apply(keys.pace ?? defaultPace(), keys.until ?? defaultUntil());
  commit(runConfigs(), 'fromUrl', { params, drop, given: runs.map((r) => r.given) });
  // The link asks for a step: a job trains there once the engine has taken the runs.
  if (page.linkStep === null) page.linkStep = keys.step ?? 0;
  const target = page.linkStep;
  if (!page.training.keep(waiting, target) && target > 0) newTrainingJob(target, linkJobLabel(target));
}

/** Cancels the sweeps (the lab's and the preset's): the page they were started from is gone. */
function cancelSweeps() {
  page.sweep.cancel();
  page.presetPanel.panel?.sweeps?.cancel();
}

// The engine refused run k's config. From the URL: leave the key that holds the field at
// its default (or, if the field is not one the URL set, every key it set) and try again.
// From an import: the runs go back to what they were.
function runError(k, message, field) {
  if (page.mode.is('fromUrl') && refuseUrlKey(k, message, field)) return;
  if (page.mode.is('importing')) { refuseImport(message, field); return; }
  page.mode.to('refused');
  endTrainingJob();
  const slot = slots()[k];
  if (slot) slot.hasRun = false;
  page.toolbar.setEnabled({ canTrain: false, hasRun: false });
  const prefix = single() ? '' : `Run ${slot?.label}: `;
  const shown = k === page.editing && page.controls.showError(field, message);
  page.status.showError(`${prefix}${shown || !field || message.startsWith(field) ? '' : `${field}: `}${message}`);
  const v = { severity: 'bad', kind: 'invalid', text: `This network cannot be built: ${message}` };
  if (single()) page.status.setVerdict(v); else page.runs.whenCompared((layout) => layout.setVerdict(k, v));
  document.body.dataset.ready = 'true';
}

function refuseUrlKey(k, message, field) {
  const { params } = page.mode.data;
  const refused = refuseLinkKey(page.mode.data, k, message, field, linkContext());
  if (!refused) return false;
  page.notices.add(refused.notices);
  loadUrl(params, refused.drop);
  return true;
}

/** The page's state as the link's fields (url.js writeUrl), at its step if atStep; full: the full lab, not the embed layout. */
function linkState({ atStep, full }) {
  return {
    configs: runConfigs(),
    bases: page.preset ? slots().map((s) => s.base) : undefined,
    step: atStep ? page.step : 0,
    pace: page.limits.pace !== defaultPace() ? page.limits.pace : undefined,
    until: page.limits.until !== defaultUntil() ? page.limits.until : undefined,
    stepaxis: stepAxis() !== 'linear' ? stepAxis() : undefined,
    preset: page.preset?.name,
    group: page.preset ? page.presetGroup : undefined,
    sweep: page.sweep?.isOpen ? sweepText(page.sweep.state) : undefined,
    embed: full ? false : page.pageKeys.embed,
    hide: full ? [] : page.pageKeys.hide,
    maxHeight: full ? 0 : page.pageKeys.maxHeight,
    data: page.dataPanel.urlKeys(runConfigs()[0]),
  };
}

function writeLocation() {
  page.links.write();
  $('full-lab').href = shareLink({ atStep: false });
}

function shareLink(options) {
  return page.links.share(options);
}

// ---- settings -----------------------------------------------------------------------------

/**
 * A new config for the run being edited. When run A changes in a comparison, the other
 * runs keep only their own differences from A (what the learner changed in them).
 */
function applyConfig(next, mode = 'creating', data = null) {
  const k = page.editing;
  const configs = runConfigs();
  const before = configs[0];
  configs[k] = clone(next);
  if (k === 0 && !page.preset) {
    for (let j = 1; j < configs.length; j++) {
      const own = serialize(configs[j], before, page.schema, runPrefix(j));
      configs[j] = deserialize(own, configs[0], page.schema, { prefix: runPrefix(j) }).config;
    }
  }
  commit(configs, mode, data);
}

/** An imported config (importer.js) for the run being edited, over the lab's defaults. */
function importConfig(partial, state = null) {
  slots()[page.editing].importState = state;
  applyConfig(fullConfig(partial, page.defaults, page.schema), 'importing', { configs: slots().map((s) => clone(s.config)) });
}

// The engine refused the imported config: the runs go back to what they were.
function refuseImport(message, field) {
  const { configs } = page.mode.data;
  page.importer.call('refused', field && !message.startsWith(field) ? `${field}: ${message}` : message);
  commit(configs);
}

// ---- custom data (dataPanel.js) ---------------------------------------------------------

// The data panel, in the controls' Data section: a CSV or a drawing the engine accepted
// becomes a new config for the run being edited, as any change in the controls.
function startDataPanel(schema) {
  page.dataPanel = new DataPanel(page.controls.dataSlot, {
    schema,
    describe: (data) => page.runs.session(0).describeData(data),
    apply: (config) => applyConfig(config),
    config: () => slots()[page.editing].config,
  });
}

// The link's data keys (pts=, csv=) give run A its data, or a notice where they cannot.
function linkData(keys, runs) {
  const own = page.dataPanel.fromUrl(keys, runs[0].config, page.defaults);
  runs[0].config = own.config;
  page.notices.add(own.notices);
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
    preset: { row: preset, label: r.label, title: r.title },
  })), { cards: chosen.runs.length > 2 ? cards.filter((c) => c !== 'loss').slice(0, 2) : cards.length ? cards : undefined });
  page.presetPanel.call('show', preset, chosen);
  if (page.presetMenu) page.presetMenu.value = preset.name;
}

function openPreset(name, group) {
  withPresets(true, () => showPresetRuns(name, group));
}

function showPresetRuns(name, group) {
  const preset = page.presets.find((p) => p.name === name);
  if (!preset) return;
  page.sweep.cancel();
  page.editing = 0;
  page.notices.clear();
  showPreset(preset, group);
  page.limits.apply(defaultPace(), defaultUntil());
  commit(runConfigs());
}

function leavePreset() {
  page.sweep.cancel();
  const config = slots()[page.editing].config;
  page.preset = null;
  page.presetPanel.callIfMade('hide');
  if (page.presetMenu) page.presetMenu.value = '';
  page.editing = 0;
  setRuns([{ label: 'A', config }]);
  page.limits.apply(defaultPace(), defaultUntil());
  commit([config]);
}

// ---- actions ------------------------------------------------------------------------------

function act(action) {
  if (!page.player) return;
  const canTrain = page.runs.built && slots().some((s) => !s.diverged);
  switch (action) {
    // Both end a training job: Pause stops it where it is, Step goes on from there by hand.
    case 'play':
      if (!canTrain) return;
      endTrainingJob();
      // Play from below the until step pauses there; from at or past it, plays on.
      if (!page.player.isPlaying) page.limits.played(page.step);
      page.player.toggle();
      return;
    case 'step':
      if (!canTrain) return;
      endTrainingJob();
      page.player.step();
      return;
    case 'reset':
      if (!page.runs.built) return;
      page.player.newRun();
      endTrainingJob();
      slots().forEach((s) => {
        s.diverged = false;
        s.session.reset();
      });
      return;
    case 'initialize':
    case 'reseed': {
      // Every run moves its seeds by the same amount: runs that shared a seed still do.
      const delta = action === 'initialize' ? 1 : 1 + Math.floor(Math.random() * (SEED_MAX - 1));
      const dataDelta = action === 'initialize' ? 0 : 1 + Math.floor(Math.random() * 1e9);
      commit(slots().map(({ config }) => {
        const next = { ...config, seed: ((config.seed ?? 0) + delta) % (SEED_MAX + 1) };
        if (dataDelta) next.data = { ...config.data, seed: ((config.data?.seed ?? 1) + dataDelta) % 4294967296 };
        return next;
      }));
      return;
    }
    default:
      throw new Error(`unknown action ${action}`);
  }
}

/** After a divergence: run k's learning rate ÷ 10, and a new run from the same seed. */
function lowerLearningRate(k) {
  const config = clone(slots()[k].config);
  config.optimizer.lr = lowerLr(config.optimizer.lr);
  page.editing = k;
  applyConfig(config);
}

// ---- drawing ------------------------------------------------------------------------------

// Run k's frame is in its slot and its views (runs.js): the formula, the memory checks,
// the preset's record and the verdict follow it.
function frameDrawn(k, frame, slot) {
  if (frame.reason === 'init' && frame.config && k === page.editing) {
    page.formula.update(frame.snapshot, frame.config);
    page.controls.setResidualNumbers(frame.snapshot.residualInit);
  }
  if (k === 0 && frame.memory) {
    // The engine's memory in run A's worker, for memory checks (tests, bench/soak.mjs).
    document.body.dataset.wasmBytes = String(frame.memory.wasmBytes);
    document.body.dataset.wasmHeap = String(frame.memory.heapInUse);
  }
  if (frame.presetRecord) slot.presetRecord = frame.presetRecord;  // kept by the worker (wasm/presetRunner.mjs)
  // While playing, the verdict follows the run at most every TEXT_EVERY_MS.
  const now = performance.now();
  if (!page.player.isPlaying || slot.settled || !(now - slot.verdictAt < TEXT_EVERY_MS)) {
    slot.verdictAt = now;
    showVerdict(k);
  }
}

// Run k's verdict on its last frame, judged against its initial snapshot; while a long job
// (a link's step=, a preset's run) trains, it says where the job goes instead.
function showVerdict(k) {
  const slot = slots()[k];
  if (!slot?.lastFrame || !page.runs.hasVerdict(k)) return;
  const { snapshot, evaluation } = slot.lastFrame;
  const v = verdict({ snapshot, initial: slot.initFrame?.snapshot, evaluation, testRows: page.runs.viewsOf(k)?.dataset?.test ?? 0, trainingTo: page.training.stopAt });
  if (single()) page.status.setVerdict(v); else page.runs.layout.setVerdict(k, v);
}

// A lab in an iframe tells the lesson around it about its runs (lessons/report.js, a chunk
// loaded only in a frame), in the order its frames were drawn.
let lessonReport = null;
function reportToLesson(frames, slots) {
  if (window.parent === window) return;
  lessonReport ??= import('./lessons/report.js');
  lessonReport.then(({ reportRuns }) => reportRuns(frames, slots, () => shareLink({ atStep: false })));
}

function afterFrames(frames) {
  const slots = page.runs.slots;
  const allRun = page.runs.built;
  page.toolbar.setEnabled({ canTrain: allRun && slots.some((s) => !s.diverged), hasRun: allRun });
  page.step = Math.max(...slots.map((s) => s.step));
  page.divergence.update(slots.map((s) => ({ label: s.label, lr: s.config.optimizer.lr, diverged: s.diverged })));
  if (!single()) {
    page.status.setVerdict({ severity: 'info', kind: 'compare', text: `${slots.length} runs on the same data, side by side: each run's verdict is above its column.` });
  }
  if (page.preset) {
    const results = Object.fromEntries(slots.filter((s) => s.presetRecord).map((s) => [s.label, s.presetRecord]));
    const changed = slots.filter((s) => s.base && serialize(s.config, s.base, page.schema) !== '').map((s) => s.label);
    page.presetPanel.callIfMade('update', results, Math.min(...slots.map((s) => s.step)), { changed });
  }
  page.status.showStep(page.step, page.runs.speed);
  document.body.dataset.step = String(page.step);
  document.body.dataset.settled = String(slots.every((s) => s.settled));
  reportToLesson(frames, slots);
  if (!allRun) return;
  // The engine took the runs. The URL's are written back as the page writes them, and the
  // link's job (if it still waits) starts.
  if (page.mode.is('creating', 'importing')) page.mode.to('idle');
  if (page.mode.is('fromUrl')) {
    writeLocation();
    if (page.training.waiting) {
      page.mode.to('jumping');
      startTraining();
    } else {
      page.mode.to('idle');
    }
  }
  const live = slots.filter((s) => !s.diverged);
  page.training.progress(live.length ? Math.min(...live.map((s) => s.step)) : page.step);
  // The link's job has ended (there, diverged or cancelled) and its last frames are in.
  if (page.mode.is('jumping') && !page.training.job && slots.every((s) => s.settled)) page.mode.to('idle');
  if (!page.mode.is('jumping')) document.body.dataset.ready = 'true';
}
