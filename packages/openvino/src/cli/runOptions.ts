/**
 * The OpenVINO backend's options as a front end hands them to its own quantize flow: the
 * placement options, NNCF's calibration settings, and accuracy control when asked for.
 */
import type { BackendDataValue, Feeds } from '@qtk/core';
import type { DropType, RunModel } from '../accuracyControl/types.js';
import type { OpenvinoBackendOptions } from '../policy/backendOptions.js';

/** A metric as the front end chose it: its name for messages, and the function. */
export interface FrontEndMetric {
  /** How messages name it: `--metric accuracy`, `--metric 'cer.mjs'`. */
  readonly label: string;
  /** Checks the metric fits the validation data (say, one label per sample); E_OPTION when not. */
  check(samples: number): void;
  /** NNCF's validation_fn: `run(feeds)` gives a model's outputs, `dataset` the validation feeds. */
  measure(run: RunModel, dataset: readonly Feeds[]): Promise<number>;
}

/** Accuracy control as asked for on the command line. */
export interface FrontEndAccuracyControl {
  /** The validation data (`--validation`), loaded for the model when the run starts. */
  readonly validation: BackendDataValue;
  /** The metric measured on it (`--metric`). */
  readonly metric: FrontEndMetric;
  /** The largest drop accepted (`--max-drop`, default 0.01). */
  readonly maxDrop: number;
  /** How the drop is measured (`--drop-type`, default absolute). */
  readonly dropType: DropType;
}

/** `backendOptions` of the OpenVINO plugin's own flow. */
export interface OpenvinoRunOptions extends OpenvinoBackendOptions {
  /** Calibration samples used, the first ones (default 300). */
  subsetSize?: number;
  /** Default true. */
  fastBiasCorrection?: boolean;
  /** Present when the run controls the metric's drop. */
  accuracyControl?: FrontEndAccuracyControl;
  /** How the front end names an option in messages (`ignoredScope.names` → `--ignored-scope-names`). */
  label?: (name: string) => string;
}
