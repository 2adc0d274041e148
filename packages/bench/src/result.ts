/**
 * The benchmark's result: machine, settings, the runtimes and models it ran, and one
 * cell per model × runtime × precision, measured or failed with the reason. Plain JSON.
 */
import type { MachineInfo } from './machine.js';
import type { PrecisionId } from './precision.js';
import type { Quality } from './quality.js';
import type { RuntimeSettingValue } from './runtime.js';
import type { Summary } from './stats.js';

/** Where a cell failed. */
export type FailedStage = 'model' | 'quantize' | 'runtime' | 'session' | 'run';

/** Samples per second at one batch size, or why that batch could not run. */
export type Throughput =
  | { batch: number; samplesPerSecond: number; latencyMs: Summary }
  | { batch: number; failed: string };

/** A measured cell. */
export interface OkCell {
  status: 'ok';
  model: string;
  runtime: string;
  precision: PrecisionId;
  /** Model size in bytes. */
  bytes: number;
  /** Milliseconds `createSession` took. */
  sessionMs: number;
  /** Batch-1 latency after warm-up, milliseconds. */
  latencyMs: Summary;
  /** Milliseconds of every timed batch-1 run, in run order. */
  samplesMs: number[];
  throughput: Throughput[];
  /** Growth of the process's resident memory across session creation and warm-up, MiB. */
  sessionRssMiB: number;
  /** Largest resident set of the process seen so far when this cell ended, MiB. */
  peakRssMiB: number;
  quality?: Quality;
  /** Why quality figures are missing, when they are. */
  qualityError?: string;
}

/** A cell that could not be measured. */
export interface FailedCell {
  status: 'failed';
  model: string;
  runtime: string;
  precision: PrecisionId;
  stage: FailedStage;
  reason: string;
  /** Model size in bytes, when the model was made. */
  bytes?: number;
}

/** One model × runtime × precision. */
export type Cell = OkCell | FailedCell;

/** A runtime as it ran. */
export interface RuntimeEntry {
  name: string;
  description?: string;
  settings: Record<string, RuntimeSettingValue>;
  version?: string;
  /** Why it could not load, when it could not. */
  failed?: string;
}

/** A model as it ran, with what quantizing it took per precision. */
export interface ModelEntry {
  name: string;
  description?: string;
  /** Input dims at batch 1 (`input: 1x3x224x224`). */
  inputs?: string[];
  variants: Array<{ precision: PrecisionId; bytes?: number; quantizeSeconds?: number; quantized?: number; float?: number; failed?: string }>;
  failed?: string;
}

/** Settings the benchmark ran with. */
export interface BenchSettings {
  iterations: number;
  warmup: number;
  batchSizes: number[];
  /** How variants were ordered. */
  order: 'interleaved round-robin (A B A B ...)';
  precisions: PrecisionId[];
}

/** Everything one benchmark run produced. */
export interface BenchResult {
  schema: 'qtk-bench/1';
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  settings: BenchSettings;
  runtimes: RuntimeEntry[];
  models: ModelEntry[];
  cells: Cell[];
}
