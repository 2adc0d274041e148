/**
 * A `--metric` module for `qtk quantize --backend openvino`: 1 − CER (greedy CTC) of the
 * model over the validation feeds, which must be the first eval lines in order (feeds i
 * is eval line i). Imported by the CLI when it runs under tsx (ov-accuracy-ocr-cli.ts).
 */
import type { Tensor } from '@qtk/core';
import { decode, edit, evalLabels } from './ocr-lines.js';

const labels = evalLabels();

/** NNCF's validation_fn: higher is better. */
export default async function oneMinusCer(run: (feeds: Record<string, Tensor>) => Promise<Record<string, Tensor>>, dataset: readonly Record<string, Tensor>[]): Promise<number> {
  let errors = 0, chars = 0;
  for (const [i, feeds] of dataset.entries()) {
    const out = await run(feeds);
    errors += edit(decode(out[Object.keys(out)[0]!]!), labels[i]!);
    chars += [...labels[i]!].length;
  }
  return 1 - errors / chars;
}
