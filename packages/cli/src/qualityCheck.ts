/**
 * The quality check that ends `qtk quantize`: the quantized model's outputs against the
 * float model's on held-back samples (or the data given), as SQNR and cosine, and a
 * plain-words warning naming the worst layers and what to try when the outputs are
 * poor. Only the model outputs are fetched unless a per-node report is asked for or
 * the outputs are poor (then one batch is compared per node, on strided samples of
 * the activations), so the check costs about two plain runs per sample.
 */
import { compareModels, formatDb, type CompareReport, type Executor, type Feeds, type Model, type QuantMode, type TensorError } from '@qtk/core';

/** Output SQNR below which the result is called poor (unless its argmax agrees, see `isPoor`). */
export const POOR_OUTPUT_SQNR_DB = 20;
/**
 * Argmax agreement at or above which a low-SQNR output is not called poor: class
 * probabilities can lose SQNR in entries that never decide while every prediction
 * stays the same.
 */
export const AGREEING_TOP1 = 0.99;
/** Batches the per-node pass over poor outputs runs on: one ranks the layers well enough, and each fetches every activation of both models. */
const PER_NODE_BATCHES = 1;
/**
 * Elements per activation and sample the per-node pass over poor outputs compares: a
 * strided sample taken inside both models ranks the layers as the whole tensors do,
 * without copying every activation of both models out of the runtime.
 */
const PER_NODE_SAMPLE_LIMIT = 16384;
/** Layers named in the warning. */
const WORST_SHOWN = 3;

/** Options of `checkQuality`. */
export interface QualityCheckOptions {
  /** Compare every quantized node too (for `--report`); otherwise outputs only, then nodes when poor. */
  perNode?: boolean;
  /** Called after each compared batch (the second pass over poor outputs counts again). */
  onBatch?: (done: number, total: number) => void;
  /** The mode the model was quantized in, so that the advice names only flags that mode reads (default static). */
  mode?: QuantMode;
}

/** What the check found, and lines for the user. */
export interface QualityCheck {
  report: CompareReport;
  /** `quality: output 'y': SQNR 35.20 dB, cosine 0.999841 (10 held-back samples)`, one per output. */
  lines: string[];
  /** Warning lines (without the `warning: ` prefix) when an output is poor. */
  warnings: string[];
  /** Lowest output SQNR in dB. */
  worstDb: number;
}

/** Compares `quantized` with `float` on `data` (`what` names the data in the lines). */
export async function checkQuality(float: Model, quantized: Model, executor: Executor, data: readonly Feeds[], what: string, options: QualityCheckOptions = {}): Promise<QualityCheck> {
  const compare = (perNode: boolean, batches: readonly Feeds[], sampleLimit = 0) =>
    compareModels(float, quantized, executor, batches, { outputsOnly: !perNode, sampleLimit, onBatch: (d) => options.onBatch?.(d, batches.length) });
  const report = await compare(!!options.perNode, data);
  const worstDb = Math.min(...report.outputs.map((o) => o.sqnrDb));
  const lines = report.outputs.map((o) => {
    const top1 = o.top1Agreement === undefined ? '' : `, argmax agrees at ${(100 * o.top1Agreement).toFixed(1)}% of positions`;
    return `quality: output '${o.tensor}': SQNR ${formatDb(o.sqnrDb)} dB, cosine ${o.cosine.toFixed(6)}${top1} against the float model (${what})`;
  });
  const warnings: string[] = [];
  const poor = report.outputs.filter(isPoor);
  if (poor.length) {
    const nodes = options.perNode ? report : await compare(true, data.slice(0, PER_NODE_BATCHES), PER_NODE_SAMPLE_LIMIT);
    warnings.push(...poorQualityAdvice(nodes, poor, options.mode));
  }
  return { report, lines, warnings, worstDb };
}

/** An output far from the float model's: SQNR below 20 dB, and its argmax (if it has one) changed at over 1% of positions. */
export function isPoor(o: TensorError): boolean {
  return o.sqnrDb < POOR_OUTPUT_SQNR_DB && !(o.top1Agreement !== undefined && o.top1Agreement >= AGREEING_TOP1);
}

/**
 * The warning for poor outputs: how far they are, the layers that add the most noise and
 * what to try, by flags that `mode` reads (calibration and mixed precision in static mode
 * only; smaller weight blocks in weight-only mode).
 */
export function poorQualityAdvice(report: CompareReport, poor: readonly TensorError[], mode: QuantMode = 'static'): string[] {
  const worst = [...report.nodes].sort((a, b) => a.addedSqnrDb - b.addedSqnrDb || a.order - b.order).slice(0, WORST_SHOWN);
  const how = poor.map((o) => `'${o.tensor}' ${formatDb(o.sqnrDb)} dB${o.top1Agreement === undefined ? '' : `, argmax changed at ${(100 * (1 - o.top1Agreement)).toFixed(1)}% of positions`}`);
  const lines = [
    `the quantized model's outputs are far from the float model's (SQNR below ${POOR_OUTPUT_SQNR_DB} dB: ${how.join('; ')}); ` +
      'check its accuracy on your task: some models keep it at this distance, most lose it',
  ];
  if (worst.length) {
    lines.push(`the layers that add the most noise: ${worst.map((n) => `'${n.node}' (${n.opType}, adds ${formatDb(n.addedSqnrDb)} dB)`).join(', ')}`);
  }
  const exclude = `keeping those layers float (--exclude ${worst[0] ? `'${worst[0].node}'` : 'NAME'})`;
  lines.push(
    mode === 'static'
      ? `to try: another calibration method (--method mse|percentile|entropy), more or more typical calibration data, ${exclude}, or letting qtk choose which to keep float (--min-output-sqnr 30)`
      : mode === 'weight-only' ? `to try: smaller weight blocks (--block-size), or ${exclude}` : `to try: ${exclude}`,
  );
  return lines;
}
