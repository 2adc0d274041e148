/**
 * One line naming the options a quantization ran with, as core resolved them; fields
 * that do not apply to the mode, method or weight scheme (core's OPTION_SCOPES: the
 * percentile of another method, the format in dynamic mode) are left out.
 *
 * Example: `options: mode static, format qdq, method minmax, activations uint8 asymmetric,
 * weights int8 symmetric per-channel`.
 */
import { inapplicableOptions, type OptionFields, type ResolvedOptions } from '@qtk/core';

/** The effective options as one `options: ...` line. */
export function formatEffectiveOptions(o: ResolvedOptions): string {
  const off = new Set(inapplicableOptions(o, o).map((x) => x.option));
  // A field the mode does not read is absent from the resolved options.
  const on = (field: keyof OptionFields) => field in o && !off.has(field);
  const parts = [`mode ${o.mode}`];
  if (on('format')) parts.push(`format ${o.format}`);
  if (on('method')) {
    let method = `method ${o.method}`;
    if (on('percentile')) method += ` ${o.percentile}`;
    if (on('averagingConstant')) method += ` (averaging constant ${o.averagingConstant})`;
    parts.push(method, `activations ${o.activationType} ${o.symmetricActivations ? 'symmetric' : 'asymmetric'}`);
  }
  let weights = `weights ${o.weightType}`;
  if (on('symmetricWeights')) weights += ` ${o.symmetricWeights ? 'symmetric' : 'asymmetric'}`;
  if (on('perChannel')) weights += ` ${o.perChannel ? 'per-channel' : 'per-tensor'}`;
  if (on('blockSize') && (o.blockSize ?? 0) > 0) weights += `, blocks of ${o.blockSize}`;
  if (on('weightScheme') && o.weightScheme !== 'uniform') weights += `, ${o.weightScheme}${on('codebookSize') ? ` of ${o.codebookSize}` : ''} scheme`;
  parts.push(weights);
  if (on('reduceRange') && o.reduceRange) parts.push('reduced range');
  if (!o.preprocess) parts.push('no preprocessing');
  if (o.mode === 'static' && !o.biasCorrection) parts.push('no bias correction');
  if (o.opTypes?.length) parts.push(`op types ${o.opTypes.join(',')}`);
  if (o.exclude?.length) parts.push(`excluding ${o.exclude.join(',')}`);
  if (on('minOutputSqnrDb') && o.minOutputSqnrDb !== undefined) parts.push(`min output SQNR ${o.minOutputSqnrDb} dB`);
  return `options: ${parts.join(', ')}`;
}
