/**
 * The error for a run that quantized no op: why (the reasons nodes stayed float, those
 * the options caused first) and what to try, by flag. Such a run writes no model.
 *
 * Example: `quantized no op, so nothing was written: Conv x3: excluded by user; Gemm x2:
 * op type not selected. Try: fewer --exclude entries; more --op-types`.
 */
import { QtkError, type QuantizeReport } from '@qtk/core';
import { groupFloatNodes } from './floatGroups.js';

/** What to try when a float reason matches the key; those the user's options caused come first. */
const REMEDIES: ReadonlyArray<[RegExp, string]> = [
  [/^excluded by user/, 'fewer or narrower --exclude entries'],
  [/^op type not selected/, 'more --op-types (or none, for every type the mode supports)'],
  [/^mixed precision: kept float/, 'a lower --min-output-sqnr'],
  [/^dynamic mode quantizes/, 'static mode (--calib DATA), which quantizes more op types, or --mode weight-only'],
  [/^weight-only mode quantizes/, 'static mode (--calib DATA) or --mode dynamic'],
  [/^no quantization rule/, "'qtk inspect' to list the model's op types; static mode quantizes the common ones"],
];

/** How many reasons the message lists. */
const REASONS_SHOWN = 4;

/** Throws E_NOTHING_QUANTIZED, saying why and what to try, when `report` quantized no node. */
export function checkSomethingQuantized(report: QuantizeReport): void {
  if (report.quantized.length) return;
  // Reasons the user's options caused come first (REMEDIES order), then the others, most nodes first.
  const rank = (reason: string) => {
    const i = REMEDIES.findIndex(([re]) => re.test(reason));
    return i < 0 ? REMEDIES.length : i;
  };
  const groups = groupFloatNodes(report.float).sort((a, b) => rank(a.reason) - rank(b.reason));
  const why = groups.map((g) => `${g.opType} x${g.n}: ${g.reason}`);
  const reasons = report.float.map((f) => f.reason);
  const tries = REMEDIES.filter(([re]) => reasons.some((r) => re.test(r))).map(([, t]) => t);
  const whyText = why.length ? `${why.slice(0, REASONS_SHOWN).join('; ')}${why.length > REASONS_SHOWN ? `; and ${why.length - REASONS_SHOWN} more reasons` : ''}` : 'the model has no nodes';
  throw new QtkError('E_NOTHING_QUANTIZED', `quantized no op (${report.mode} mode), so no model was written: ${whyText}${tries.length ? `. Try ${tries.join('; or ')}` : ''}`);
}
