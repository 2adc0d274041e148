/** Default options and the static op handlers of the default (onnxruntime) target. */
import { QtkError } from '../errors/QtkError.js';
import type { OpHandler } from '../annotate/annotation.js';
import { convHandler } from '../annotate/ops/conv.js';
import { matmulHandler } from '../annotate/ops/matmul.js';
import { binaryHandler } from '../annotate/ops/binary.js';
import { averagePoolHandler } from '../annotate/ops/pool.js';
import { passthroughHandler } from '../annotate/ops/passthrough.js';
import type { QuantizeOptions, QuantizeReport } from './types.js';

/** The static handlers used when no backend supplies its own. */
export const DEFAULT_STATIC_HANDLERS: readonly OpHandler[] = [convHandler, matmulHandler, binaryHandler, averagePoolHandler, passthroughHandler];

const MODES = ['static', 'dynamic'];
const TYPES = ['int8', 'uint8'];
const METHODS = ['minmax'];

/** Options with every default filled in (uint8 activations, int8 per-channel weights). */
export function resolveOptions(o: QuantizeOptions): QuantizeReport['options'] {
  const check = (field: keyof QuantizeOptions, value: unknown, allowed: string[]) => {
    if (value !== undefined && !allowed.includes(value as string)) {
      throw new QtkError('E_OPTION', `option ${field}='${String(value)}' is not one of: ${allowed.join(', ')}`, { option: field });
    }
  };
  check('mode', o.mode, MODES);
  check('activationType', o.activationType, TYPES);
  check('weightType', o.weightType, TYPES);
  check('method', o.method, METHODS);
  if (o.version !== undefined && o.version !== 1) throw new QtkError('E_OPTION', `options version ${o.version} is not supported (1)`, { option: 'version' });
  return {
    version: 1,
    mode: o.mode ?? 'static',
    activationType: o.activationType ?? 'uint8',
    weightType: o.weightType ?? 'int8',
    perChannel: o.perChannel ?? true,
    method: o.method ?? 'minmax',
    preprocess: o.preprocess ?? true,
    opTypes: o.opTypes,
    exclude: o.exclude,
  };
}
