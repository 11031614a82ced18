// What a run has shown, kept for export: the engine's minibatch loss history (from the
// latest snapshot), every whole-set evaluation the worker made and at which step, and
// each drawn step's per-layer activation std. Nothing here is computed: it is the
// engine's numbers, gathered.

// Evaluations and trace rows kept (halved, every other, past this): the record spans the
// whole run at a resolution that halves as it grows, so a long run's memory stays flat
// (bench/soak.mjs watches it).
const MAX_ROWS = 4000;
// Minibatch losses kept by the record itself (halved, every other step, past this). The
// engine's own history thins past 2048 entries; the record keeps every entry any frame
// brought, so a run holds every step as long as frames came before the engine thinned.
const MAX_LOSSES = 100000;
const CSV_HEAD = ['step', 'minibatch_loss', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy'];

export class RunRecord {
  constructor() { this.reset(null); }

  /** A new run: its config (the engine's, defaults filled in) and data set. */
  reset(config, dataset = null) {
    this.config = config;
    this.dataset = dataset;
    this.history = { step: [], loss: [] };
    this.losses = { step: [], loss: [] };  // every entry of the engine's histories seen, in step order
    this.evaluations = [];
    this.trace = [];
    this.snapshot = null;
    this.diverged = null;
  }

  /** Back to step 0 with the same weights. */
  restart() {
    this.reset(this.config, this.dataset);
  }

  /** One frame from the worker. */
  add(frame) {
    const { snapshot } = frame;
    this.snapshot = snapshot;
    this.history = snapshot.history;
    this.#keepLosses(snapshot.history);
    this.diverged = snapshot.diverged ?? null;
    if (frame.evaluation && frame.evaluated) {
      const row = { step: frame.step, ...frame.evaluation };
      const last = this.evaluations[this.evaluations.length - 1];
      if (last?.step === frame.step) this.evaluations[this.evaluations.length - 1] = row;
      else this.evaluations.push(row);
    }
    const lastTrace = this.trace[this.trace.length - 1];
    if (lastTrace?.step !== frame.step) this.trace.push({ step: frame.step, aStd: snapshot.layers.map((l) => l.a.std) });
    for (const list of [this.evaluations, this.trace]) {
      if (list.length > MAX_ROWS) {
        const keep = list.filter((_, i) => i % 2 === 0 || i === list.length - 1);
        list.splice(0, list.length, ...keep);
      }
    }
  }

  // The engine's entries past the last step held (those before it were seen already).
  #keepLosses(history) {
    const { step, loss } = this.losses;
    const last = step.length ? step[step.length - 1] : -1;
    for (let i = 0; i < history.step.length; i++) {
      if (history.step[i] <= last) continue;
      step.push(history.step[i]);
      loss.push(history.loss[i]);
    }
    if (step.length > MAX_LOSSES) {
      const keep = (_, i) => i % 2 === 0;
      this.losses = { step: step.filter(keep), loss: loss.filter(keep) };
    }
  }

  /**
   * Which steps' minibatch losses the record holds → { every: the last step up to which it
   * holds every step (−1: none), later: how many steps after it it holds, last: the last
   * step it holds (−1: none) }.
   */
  lossCoverage() {
    const { step } = this.losses;
    let every = -1;
    while (every + 1 < step.length && step[every + 1] === every + 1) every++;
    return { every, later: step.length - (every + 1), last: step.length ? step[step.length - 1] : -1 };
  }

  /**
   * One row per step the engine's history holds (minibatch loss), joined with the
   * evaluations at the steps where there is one (empty cells elsewhere).
   */
  toCsv() {
    return `${CSV_HEAD.join(',')}\n${this.csvRows().map((r) => r.join(',')).join('\n')}\n`;
  }

  /** toCsv's rows, as arrays of cells. */
  csvRows() {
    const byStep = new Map();
    this.losses.step.forEach((s, i) => byStep.set(s, { step: s, loss: this.losses.loss[i] }));
    for (const e of this.evaluations) byStep.set(e.step, { ...(byStep.get(e.step) ?? { step: e.step }), e });
    const cell = (v) => (v === undefined || v === null ? '' : String(v));
    return [...byStep.values()].sort((a, b) => a.step - b.step).map((r) => [
      r.step, cell(r.loss), cell(r.e?.trainLoss), cell(r.e?.testLoss), cell(r.e?.trainAccuracy), cell(r.e?.testAccuracy),
    ]);
  }

  /** Everything as one JSON document. */
  toJson(extra = {}) {
    return JSON.stringify(this.toObject(extra), null, 1);
  }

  /** What toJson writes, as an object. */
  toObject(extra = {}) {
    const s = this.snapshot;
    return {
      ...extra,
      config: this.config,
      step: s?.step ?? 0,
      diverged: this.diverged,
      history: { step: Array.from(this.losses.step), minibatchLoss: Array.from(this.losses.loss) },
      evaluations: this.evaluations,
      activationStd: this.trace,
      layers: s ? s.layers.map((l) => ({
        fanIn: l.fanIn, fanOut: l.fanOut, activation: l.activation, init: l.init, biasInit: l.biasInit,
        initStd: l.initStd, initLaw: l.initLaw, distinctUnits: l.distinctUnits, saturated: l.saturated, dead: l.dead,
        updateRatio: l.updateRatio,
        ...Object.fromEntries(['z', 'a', 'dz', 'w', 'dw'].map((q) => [q, {
          mean: l[q].mean, std: l[q].std, min: l[q].min, max: l[q].max, rms: l[q].rms,
          histogram: { lo: l[q].histogram.lo, hi: l[q].histogram.hi, counts: Array.from(l[q].histogram.counts),
            underflow: l[q].histogram.underflow, overflow: l[q].histogram.overflow },
        }])),
      })) : [],
      theory: s?.theory ?? null,
    };
  }

  /** The data set as the network sees it: x1..xd, y, test (0 train, 1 test). */
  datasetCsv() {
    const d = this.dataset;
    if (!d) return '';
    const dim = d.inputDim;
    const head = [...Array(dim)].map((_, j) => `x${j + 1}`).concat(['y', 'test']).join(',');
    const rows = [];
    for (const [x, y, flag] of [[d.xTrain, d.yTrain, 0], [d.xTest, d.yTest, 1]]) {
      for (let i = 0; i < y.length; i++) rows.push([...x.subarray(i * dim, (i + 1) * dim)].join(',') + `,${y[i]},${flag}`);
    }
    return `${head}\n${rows.join('\n')}\n`;
  }
}

/**
 * Runs compared, as one CSV: a `run` column (the run's label) before RunRecord.toCsv's
 * columns, each run's rows in its order. `runs`: [{ label, record }].
 */
export function runsToCsv(runs) {
  const rows = runs.flatMap(({ label, record }) => record.csvRows().map((r) => [csvText(label), ...r].join(',')));
  return `${['run', ...CSV_HEAD].join(',')}\n${rows.join('\n')}\n`;
}

/** Runs compared, as one JSON document: `extra` and { runs: [{ label, title, ...RunRecord.toObject() }] }. */
export function runsToJson(runs, extra = {}, perRun = []) {
  return JSON.stringify({ ...extra, runs: runs.map(({ label, title, record }, k) => ({ label, title: title ?? null, ...record.toObject(), ...perRun[k] })) }, null, 1);
}

// A label as a CSV field (quoted when it holds a comma or a quote).
const csvText = (text) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

