// Types of wasm/sweep.mjs (sweeps: a grid over one or two settings, a fresh network per
// cell). The spec's types (SweepSpec, SweepAxis, SweepSuccess) live in initscope.d.ts.
import type { Config, InitscopeError, Lab, SweepParam, SweepSpec, SweepSuccess, Divergence } from './initscope.js';

export const SWEEP_PARAMS: SweepParam[];
/** How σ²_w = fan_in·E[w²] grows with an init axis's value v: as v (init.scale) or v² (init.gain). */
export function initPower(param: 'init.scale' | 'init.gain'): 1 | 2;
/** Why init.scale or init.gain does not apply to the initializer `name` (a learner-facing sentence), or null; rows: lab.schema().initializers. */
export function initAxisRefusal(param: 'init.scale' | 'init.gain', name: string, rows: Array<{ name: string; varianceScaling: object | null; gainParam: string | null }>): string | null;
export const DEFAULT_SUCCESS: { metric: 'trainAccuracy'; atLeast: 0.95 };

/** A spec with every axis's values listed and the defaults filled in. */
export interface NormalizedSweep {
  name: string;
  base: Config;
  x: NormalizedAxis;
  y: NormalizedAxis | null;
  steps: number;
  success: SweepSuccess;
  checkEvery?: number;
  stopOnSuccess?: boolean;
  keepInitialWeights?: true;
}

export interface NormalizedAxis {
  param: SweepParam;
  values: number[];
  layer?: number;
  index?: number;
  /**
   * init.scale and init.gain, filled by checkSweep from the engine's table: the base init
   * as what the value multiplies (a variance scaling as its variance_scaling spelling, or
   * an initializer with a gain) and the param multiplied: a cell's init is `init` with
   * sets = init[sets] × value (init.scale), × value² (init.gain on a scale) or × value
   * (init.gain on a gain).
   */
  init?: { name: string; [param: string]: string | number };
  sets?: 'scale' | 'gain';
}

/** One grid point: everything runCell needs (it can be posted to a worker). */
export interface SweepCell {
  /** Index in grid order (y-major). */
  i: number;
  xi: number;
  yi: number;
  x: number;
  y: number | null;
  config: Config;
  /** Initial weights to set after initialization (weight and bias axes). */
  set: Array<{ axis: 'x' | 'y'; kind: 'W' | 'b'; layer: number; index: number; value: number }>;
  steps: number;
  success: SweepSuccess;
  checkEvery?: number;
  stopOnSuccess?: boolean;
  /** The result carries initialWeights. */
  keepInitialWeights?: true;
}

/** A layer's weights as plain numbers: W row-major (fan_in, fan_out), as Run.weights() orders them. */
export interface PlainLayerWeights {
  shape: [number, number];
  W: number[];
  b: number[];
}

export interface SweepCellResult {
  i: number;
  xi: number;
  yi: number;
  x: number;
  y: number | null;
  /** Steps taken (fewer after a divergence or with stopOnSuccess). */
  steps: number;
  /** Final loss over the whole training set; null once diverged. */
  loss: number | null;
  trainAccuracy: number;
  testAccuracy: number;
  /**
   * How far training moved the weights: the final snapshot's weightChange, ‖W − W₀‖_F /
   * ‖W₀‖_F over every layer's weights as one vector; null once diverged or when the
   * weights start at zero. Small values: lazy training (Chizat, Oyallon and Bach 2019).
   */
  weightChange: number | null;
  success: boolean;
  /** The first multiple of checkEvery where success held; null: never, or no checkEvery. */
  stepsToSuccess: number | null;
  diverged: Divergence | null;
  /** With keepInitialWeights: the weights the cell started from (the seed's, with the swept values set). */
  initialWeights?: PlainLayerWeights[];
}

/** Where an axis is init.scale or init.gain: the mean-field order/chaos boundary. */
export type SweepMeanField =
  | { applies: false; reason: string }
  | {
      applies: true;
      axis: 'x' | 'y';
      param: 'init.scale' | 'init.gain';
      activation: string | { name: string; alpha?: number };
      sigmaB2: number;
      /** σ²_w where χ₁ = 1. */
      sigmaW2Boundary: number | null;
      /** The layer whose fan_in maps the swept value to σ²_w. */
      layer: number;
      /** The boundary in the swept parameter's units, per value of the other axis when it changes the mapping (width, depth), else one entry with other null. */
      boundary: Array<{ other: number | null; value: number | null }>;
      points: Array<{
        value: number; other: number | null; sigmaW2: number | null; qStar: number | null; chi1: number | null;
        phase: string | null; depthScale: number | null; gradientDepthScale: number | null;
      }>;
    };

export interface SweepResult {
  spec: NormalizedSweep;
  /** In grid order, the same whatever the number of workers. */
  cells: SweepCellResult[];
  meanField: SweepMeanField;
}

export interface SweepSummary {
  count: number;
  successes: number;
  successRate: number;
  /**
   * Per x: bestStepsToSuccess and bestY (the y that took them), and lowestLoss, the lowest
   * final training loss over the cells that did not diverge, and lowestLossY, its y (with
   * an lr axis: the best learning rate at that x); null when there is none.
   */
  byX: Array<{ x: number; count: number; successes: number; successRate: number; bestStepsToSuccess: number | null; bestY: number | null; lowestLoss: number | null; lowestLossY: number | null }>;
}

export interface SweepProgress { done: number; total: number; cell: SweepCellResult }

/** @throws InitscopeError naming the field: "x.param", "y.values[3]", "success.lossBelow"... */
export function validateSweep(spec: SweepSpec | string): NormalizedSweep;
/** With an init.scale or init.gain axis, `spec` must come from checkSweep (else InitscopeError "x.param"). */
export function cellConfig(spec: NormalizedSweep, xValue: number, yValue: number | null): { config: Config; set: SweepCell['set'] };
/** With an init.scale or init.gain axis, `spec` must come from checkSweep (else InitscopeError "x.param"). */
export function expandSweep(spec: SweepSpec | NormalizedSweep): SweepCell[];
export function runCell(lab: Lab, cell: SweepCell): SweepCellResult;
/** The weights a cell starts from (what a keepInitialWeights sweep's results carry), without training it. */
export function cellInitialWeights(lab: Lab, cell: SweepCell): PlainLayerWeights[];
/**
 * The spec against the engine, with what the init axes multiply filled in (NormalizedAxis
 * init, sets): errors name "base.…", "x.values[i]", "x.layer", "x.index", and "x.param"
 * when the base init is not one an init axis applies to (the message names it).
 */
export function checkSweep(lab: Lab, spec: SweepSpec | NormalizedSweep): NormalizedSweep;
export function sweepMeanField(lab: Lab, spec: SweepSpec | NormalizedSweep): SweepMeanField;
export function runSweepHere(lab: Lab, spec: SweepSpec, options?: { onProgress?: (p: SweepProgress) => void; signal?: AbortSignal }): SweepResult;
/** runSweepHere's cells, in slices of about sliceMs (default 50) ms of training with the thread handed back between them: an aborted signal stops it within a slice (AbortError). */
/** Drains a generator of training slices (yielding after each run.step() of at most budget() steps) in slices of about sliceMs ms, handing the thread back between them. */
export function runInSlices<T>(makeSlices: (budget: () => number) => Generator<number, T, void>, options?: { signal?: AbortSignal; sliceMs?: number }): Promise<T>;
export function runSweepInThread(lab: Lab, spec: SweepSpec, options?: { onProgress?: (p: SweepProgress) => void; signal?: AbortSignal; sliceMs?: number }): Promise<SweepResult>;
/** Node: worker_threads by default; a browser must pass createWorker (a wasm/sweep-worker.mjs module worker). */
export function runSweep(spec: SweepSpec, options?: {
  workers?: number;
  createWorker?: () => unknown;
  onProgress?: (p: SweepProgress) => void;
  /** Once a worker has checked the spec: checkSweep's answer, what the cells are made from. */
  onChecked?: (spec: NormalizedSweep) => void;
  signal?: AbortSignal;
  /** Where each worker loads initscope.wasm from (default: as loadInitscope() does). */
  wasmUrl?: string | URL;
  /** The bytes of initscope.wasm, copied to every worker: nothing is read or fetched. */
  wasmBinary?: ArrayBuffer | ArrayBufferView;
}): Promise<SweepResult>;
export function axisLabel(axis: { param: SweepParam; layer?: number; index?: number } | null): string;
export function sweepToCsv(result: { spec: NormalizedSweep; cells: SweepCellResult[] }): string;
export function summarizeSweep(result: { spec: NormalizedSweep; cells: SweepCellResult[] }): SweepSummary;
export type { InitscopeError };
