/**
 * The option pairs NNCF refuses for a quantization scheme, and the overflow fix a scheme gets
 * by default. NNCF's FP8 mode (here: float8 activations or weights) takes neither preset
 * 'mixed', nor a target device other than CPU/ANY, nor an overflow fix; an overflow fix needs
 * 8-bit activations and int8 weights (NNCF turns it off for other schemes).
 */
import { QtkError, type QuantSpec } from '@qtk/core';
import type { OpenvinoBackendOptions, ResolvedOpenvinoOptions } from '../policy/backendOptions.js';
import type { OverflowFix } from './overflowFix.js';

const isFloat8 = (spec: QuantSpec) => spec.dtype.startsWith('float8');
const is8Bit = (spec: QuantSpec) => spec.dtype === 'int8' || spec.dtype === 'uint8';

/** E_OPTION naming `field` with `why`. */
function refuse(field: string, value: unknown, why: string): never {
  const option = `backendOptions.${field}`;
  throw new QtkError('E_OPTION', `option ${option}=${JSON.stringify(value)} ${why}`, { option });
}

/**
 * Checks the backend options against the activation and weight specs core resolved, and
 * returns the overflow fix to apply: the given one, else 'first_layer_only' for int8 weights
 * with 8-bit activations and 'disable' otherwise. E_OPTION (NNCF's ParameterNotSupportedError)
 * for float8 with an explicit preset 'mixed', a target device GPU or NPU, or an overflow fix
 * other than 'disable'; and for an overflow fix other than 'disable' on weights that are not int8.
 */
export function overflowFixFor(given: OpenvinoBackendOptions | undefined, resolved: ResolvedOpenvinoOptions, activation: QuantSpec, weight: QuantSpec): OverflowFix {
  const fp8 = isFloat8(activation) || isFloat8(weight);
  if (fp8) {
    const what = `is not supported with float8 quantization (NNCF's FP8 mode)`;
    if (given?.preset === 'mixed') refuse('preset', 'mixed', `${what}: use 'performance'`);
    if (resolved.targetDevice === 'GPU' || resolved.targetDevice === 'NPU') refuse('targetDevice', resolved.targetDevice, `${what}: use 'CPU' or 'ANY'`);
  }
  const fix = resolved.overflowFix;
  if (fix !== undefined && fix !== 'disable' && (fp8 || weight.dtype !== 'int8')) {
    refuse('overflowFix', fix, `needs int8 weights (the fix halves the int8 weight range), not ${weight.dtype}: use 'disable'`);
  }
  return fix ?? (weight.dtype === 'int8' && is8Bit(activation) ? 'first_layer_only' : 'disable');
}
