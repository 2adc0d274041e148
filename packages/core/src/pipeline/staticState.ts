/**
 * What static quantization keeps between its phases: the state `prepareStatic` gives after
 * calibration, and one conversion of it by `convertStatic` (read by the mixed-precision search).
 */
import type { Model } from '../ir/graph.js';
import type { QuantSpec } from '../spec/quantSpec.js';
import type { QuantPlan } from '../plan/quantPlan.js';
import type { BackendPlugin } from '../backend/backend.js';
import type { QuantWriters } from '../convert/writers.js';
import type { QuantizedUnit } from './mixedPrecision.js';
import type { ObservedQParams, ObservedRange } from '../observers/observer.js';
import type { Feeds, FloatNode, QuantizeReport, QuantizeWarning, ResolvedStaticOptions } from './types.js';

/** What static quantization knows after calibration; conversions never change it. */
export interface StaticState {
  /** The preprocessed float model (each conversion works on a copy). */
  readonly model: Model;
  /** The backend the model is quantized for (its policy places Q/DQ in every conversion). */
  readonly backend: BackendPlugin;
  /** The writers every conversion of this state uses: the backend's, with the context's in their place. */
  readonly writers: QuantWriters;
  readonly options: ResolvedStaticOptions;
  /** value_info the input model declared; the rest was inferred and is dropped on output. */
  readonly declaredInfo: ReadonlySet<string>;
  readonly activationSpec: QuantSpec;
  readonly weightSpec: QuantSpec;
  /** Observed range of each float activation tensor. */
  readonly ranges: ReadonlyMap<string, ObservedRange>;
  /** Scale and zero point each observer chose for the activation spec (its own grid search may differ from the range). */
  readonly qparams: ReadonlyMap<string, ObservedQParams>;
  /** Observed tensors that turned out not to be float32, with their dtype. */
  readonly nonFloat: ReadonlyMap<string, string>;
  /** Channel means of quantized Conv and Gemm inputs, for bias correction (empty when it is off). */
  readonly channelMeans: ReadonlyMap<string, Float32Array>;
  readonly calibration: NonNullable<QuantizeReport['calibration']>;
  /** The first calibration batches, kept when `prepareStatic` was asked to (else empty). */
  readonly keptBatches: readonly Feeds[];
  /** What `opTypes` or `exclude` selected nothing of (see `checkSelection`). */
  readonly warnings: readonly QuantizeWarning[];
}

/** A model from `convertStatic`, with what the report says about it. */
export interface StaticConversion {
  model: Model;
  /** The plan the model was written from. */
  plan: QuantPlan;
  quantized: QuantizeReport['quantized'];
  float: FloatNode[];
  zeroRange: string[];
  /** Nodes that run quantized (fused activations not listed), each with its fused activation. */
  units: QuantizedUnit[];
}
