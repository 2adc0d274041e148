/**
 * The options, progress and report of `quantizeWithAccuracyControl`.
 */
import type { FloatNode, QuantizedNode, Tensor } from '@qtk/core';
import type { Dataset } from '../dataset.js';
import type { OpenVinoQuantizeContext, OpenVinoQuantizeOptions } from '../quantize.js';

/** Runs the model under test on one item's feeds and gives its outputs by name. */
export type RunModel = (feeds: Readonly<Record<string, Tensor>>) => Promise<Record<string, Tensor>>;

/**
 * The caller's metric, higher is better: runs `run` on (some of) `dataset`'s items and
 * returns a number (accuracy, 1 - CER, ...). It is called once per model evaluated.
 */
export type ValidateFn<T = any> = (run: RunModel, dataset: Dataset<T>) => number | Promise<number>;

/** How the drop is measured: `absolute` (initial − current) or `relative` ((initial − current) / |initial|). */
export type DropType = 'absolute' | 'relative';

/** How the search walks the ranked list. */
export type SearchStrategy = 'bisect' | 'sequential';

/** Options of `quantizeWithAccuracyControl`: `quantize`'s and the accuracy bound. */
export interface AccuracyControlOptions extends OpenVinoQuantizeOptions {
  /** The largest drop of the metric accepted (default 0.01). */
  maxDrop?: number;
  /** Default `absolute`. */
  dropType?: DropType;
  /**
   * Validation items the ranking compares the float and quantized models on, the first
   * ones (default 16): ranking needs every quantized node's output, so it uses a few.
   */
  rankingSubsetSize?: number;
  /**
   * `bisect` (default): try 1, 2, 4, ... of the worst-ranked nodes reverted, then bisect
   * between the last that failed and the first that passed (the metric is taken to get no
   * worse as nodes are reverted; the model returned is always one that was measured).
   * `sequential`: revert one more node per step, as NNCF does.
   */
  search?: SearchStrategy;
  /**
   * Evaluations spent after the search giving back to quantization reverted entries that
   * were not needed (halves of the list, then quarters, ...; each kept only when the metric
   * stays within `maxDrop`). Default 16; 0 turns it off.
   */
  refineSteps?: number;
}

/** Where the algorithm is. */
export interface AccuracyProgress {
  stage: 'calibrate' | 'validate' | 'rank' | 'search' | 'refine' | 'done';
  /** Models evaluated with the metric so far. */
  evaluations: number;
  /** Nodes reverted to float in the model just measured (search stage). */
  reverted?: number;
  /** The metric of the model just measured. */
  metric?: number;
  /** Its drop against the float model. */
  drop?: number;
  /** The same, in words. */
  detail: string;
}

/** The context of `quantizeWithAccuracyControl`: `quantize`'s, with its own progress. */
export interface AccuracyControlContext extends Omit<OpenVinoQuantizeContext, 'onProgress'> {
  onProgress?: (p: AccuracyProgress) => void;
}

/** One model the search measured. */
export interface AccuracyStep {
  /** `search`: a prefix of the ranked list; `refine`: the search's result with entries given back. */
  stage: 'search' | 'refine';
  /** How many ranked entries were reverted (each with its group). */
  reverted: number;
  /** Nodes kept float for it (the groups together). */
  floatNodes: number;
  metric: number;
  drop: number;
  withinMaxDrop: boolean;
}

/**
 * A quantized node, or an activation quantizer (`opType` 'QuantizeLinear', `name` the value
 * it quantizes), with the noise it adds on the ranking subset (NSR, linear) and the nodes
 * reverted for it.
 */
export interface RankedNode {
  name: string;
  opType: string;
  addedNsr: number;
  /** A node: itself and the quantized nodes that read its output; a quantizer: the quantized nodes that read it. */
  group: string[];
}

/** What accuracy control did. */
export interface AccuracyControlReport {
  maxDrop: number;
  dropType: DropType;
  /** The metric of the float model. */
  initialMetric: number;
  /** The metric of the fully quantized model. */
  quantizedMetric: number;
  /** The metric of the model returned. */
  finalMetric: number;
  /** The drop of the model returned. */
  drop: number;
  /** True when the model returned is within `maxDrop`. */
  reached: boolean;
  /** Nodes reverted to float: the groups of the worst-ranked nodes, worst first. */
  reverted: Array<{ name: string; opType: string }>;
  /** The quantized nodes in rank order, worst first (empty when no search was needed). */
  ranking: RankedNode[];
  /** Each model measured during the search, in order. */
  steps: AccuracyStep[];
  /** Models evaluated with the metric (float, fully quantized, search and refinement steps). */
  evaluations: number;
  /** Conv, ConvTranspose, MatMul and Gemm nodes of the model, and how many of them run quantized. */
  computeOps: { quantized: number; total: number };
  /** What the model returned quantizes and keeps float. */
  quantized: QuantizedNode[];
  float: FloatNode[];
  samples: { calibration: number; validation: number; ranking: number };
  seconds: number;
  /** Why the bound was not reached, when it was not. */
  note?: string;
}
