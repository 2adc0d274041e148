/**
 * One line naming the options a quantization ran with, as core resolved them; fields
 * that do not apply (the percentile of another method, a codebook size without a
 * codebook) are left out.
 *
 * Example: `options: mode static, format qdq, method minmax, activations uint8 asymmetric,
 * weights int8 symmetric per-channel`.
 */
import type { ResolvedOptions } from '@qtk/core';

/** The effective options as one `options: ...` line. */
export function formatEffectiveOptions(o: ResolvedOptions): string {
  const parts = [`mode ${o.mode}`, `format ${o.format}`];
  if (o.mode === 'static') {
    let method = `method ${o.method}`;
    if (o.method === 'percentile') method += ` ${o.percentile}`;
    if (o.method === 'moving-average') method += ` (averaging constant ${o.averagingConstant})`;
    parts.push(method, `activations ${o.activationType} ${o.symmetricActivations ? 'symmetric' : 'asymmetric'}`);
  }
  let weights = `weights ${o.weightType} ${o.symmetricWeights ? 'symmetric' : 'asymmetric'} ${o.perChannel ? 'per-channel' : 'per-tensor'}`;
  if (o.blockSize > 0) weights += `, blocks of ${o.blockSize}`;
  if (o.weightScheme !== 'uniform') weights += `, ${o.weightScheme}${o.weightScheme === 'codebook' ? ` of ${o.codebookSize}` : ''} scheme`;
  parts.push(weights);
  if (o.reduceRange) parts.push('reduced range');
  if (!o.preprocess) parts.push('no preprocessing');
  if (o.mode === 'static' && !o.biasCorrection) parts.push('no bias correction');
  if (o.opTypes?.length) parts.push(`op types ${o.opTypes.join(',')}`);
  if (o.exclude?.length) parts.push(`excluding ${o.exclude.join(',')}`);
  if (o.minOutputSqnrDb !== undefined) parts.push(`min output SQNR ${o.minOutputSqnrDb} dB`);
  return `options: ${parts.join(', ')}`;
}
