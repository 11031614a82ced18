// Types of wasm/presets.mjs ('initscope/presets': the preset table, and what it re-exports
// from presetRunner.mjs, the runner and its records, and presetChecks.mjs, the checks).
// Preset, PresetRun and Expectation are declared in initscope.d.ts beside the config they
// hold; a preset's `pace` is the page's Play speed for it (steps per second, 1-50000 or
// 'max'), and Play pauses at its steps.
import type { Expectation, Lab, Preset, PresetRun, PresetSweep, Run, Divergence, GradientLine, JacobianSpectrum, InitLaw, SweepSpec } from './initscope.js';
import type { SweepCellResult, SweepMeanField, SweepProgress, SweepResult, SweepSummary } from './sweep.mjs';

export const PRESETS: readonly Preset[];
export function getPreset(name: string): Preset | undefined;

/** norm: √Σx² (of dw, the layer's ‖dL/dW‖; of dz, ‖dL/dz‖ on the probe batch). */
interface Moments { mean: number; std: number; rms: number; norm: number; min: number; max: number }

/** Whole-set loss and accuracy and per-layer statistics at one step. */
export interface PresetCheckpoint {
  step: number;
  trainLoss: number | null;
  trainAccuracy: number;
  testLoss: number | null;
  testAccuracy: number;
  /** 100·(1 − testAccuracy); null without a test set. */
  testError: number | null;
  loss: number | null;
  gradNorm: number | null;
  gradientRatio: number | null;
  layers: Array<{
    z: Moments; zVar: number; a: Moments; dz: Moments; w: Moments; dw: Moments;
    saturated: number; dead: number; distinctUnits: number; updateRatio: number | null; lsuvIterations: number;
  }>;
}

export interface PresetRecord {
  label: string;
  title: string;
  /** Steps taken (fewer if the run diverged). */
  steps: number;
  diverged: Divergence | null;
  layers: Array<{ fanIn: number; fanOut: number; activation: string; init: string; initMean: number; initStd: number; initLaw: InitLaw | null }>;
  checkpoints: PresetCheckpoint[];
  /** The checkpoints by step. */
  at: Record<number, PresetCheckpoint>;
  /** The first checkpoint (set by addCheckpoint). */
  init: PresetCheckpoint;
  /** The last checkpoint, set by finishRecord: a record in progress (startRecord) has none yet. */
  final: PresetCheckpoint;
  initialWeights?: { count: number; mean: number; std: number; min: number; max: number };
  /** The gradient line at step 0, when the preset's record asks for it. */
  gradientLine?: GradientLine;
  /** The input-output Jacobian's spectrum at step 0, when the preset's record asks for it. */
  jacobianSpectrum?: JacobianSpectrum;
}

export interface PresetSweepRecord extends SweepSummary {
  label: string;
  title: string;
  kind: 'sweep';
  cells: SweepCellResult[];
  meanField: SweepMeanField;
}

export type PresetResults = Record<string, PresetRecord | PresetSweepRecord>;

export interface PresetLine {
  label: string; step: number; loss: number | null;
  trainLoss: number | null; trainAccuracy: number; testLoss: number | null; testAccuracy: number;
  diverged?: Divergence;
}

export function recordCheckpoint(run: Run): PresetCheckpoint;
/** For a run the caller steps itself: startRecord at step 0, addCheckpoint at each isCheckpoint step, finishRecord at the end. */
export function startRecord(preset: Preset, entry: PresetRun, run: Run): PresetRecord;
export function isCheckpoint(preset: Preset, step: number): boolean;
export function addCheckpoint(record: PresetRecord, run: Run): PresetCheckpoint;
export function finishRecord(record: PresetRecord, diverged?: Divergence | null): PresetRecord;
/**
 * For a caller that steps the run itself, never past the preset's next checkpoint (the
 * page's worker): keeps the record at the run's current step as runPresetRun does (a
 * checkpoint at each checkpoint step and where the run diverged, finished at preset.steps
 * or there) → whether the record changed. A finished record stays as it is.
 */
export function keepRecord(preset: Preset, record: PresetRecord, run: Run, at: { step: number; diverged?: Divergence | null }): boolean;
export function runPresetRun(lab: Lab, preset: Preset, entry: PresetRun, options?: {
  every?: number;
  onLine?: (line: PresetLine) => void;
  onCheckpoint?: (label: string, checkpoint: PresetCheckpoint) => void;
}): PresetRecord;
export function sweepRecord(entry: PresetSweep, result: SweepResult): PresetSweepRecord;
export function runPreset(lab: Lab, preset: Preset, options?: {
  /** Only these run or sweep labels. */
  runs?: string[];
  every?: number;
  onLine?: (line: PresetLine) => void;
  onCheckpoint?: (label: string, checkpoint: PresetCheckpoint) => void;
  onRecord?: (label: string, record: PresetRecord | PresetSweepRecord) => void;
  onSweepProgress?: (label: string, progress: SweepProgress) => void;
  /** Runs a sweep (default: in this thread, in slices); e.g. (spec, o) => runSweep(spec, { workers: 4, ...o }). */
  sweep?: (spec: SweepSpec, options: { onProgress: (p: SweepProgress) => void }) => Promise<SweepResult>;
  /** Aborting it stops the runs (and the default sweeps) between slices of about 50 ms: AbortError. */
  signal?: AbortSignal;
}): Promise<PresetResults>;

export function resolvePath(results: unknown, path: string): unknown;
export interface OutcomeCheck { claim: string; holds: boolean; value: unknown; reference: unknown; detail: string }
/** The run and sweep labels an expectation reads (the first part of each PATH). */
export function expectationLabels(expectation: Expectation): string[];
export function checkExpectation(results: PresetResults, expectation: Expectation): OutcomeCheck;
export function checkOutcome(preset: Preset, results: PresetResults): { holds: boolean; checks: OutcomeCheck[] };
export function comparePublished(preset: Preset, results: PresetResults): Array<{
  run: string; quantity: string; published: number | null; shown: string; ours: unknown; note: string | null;
}>;
