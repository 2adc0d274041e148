/**
 * The standard Q/DQ dialect: ONNX QuantizeLinear/DequantizeLinear only. A model whose Q/DQ
 * pairs need opset 21 (blocks, 16-bit and 4-bit types) is raised to 21, and one with float8
 * pairs to 19, when that keeps every op's meaning and refused otherwise; a per-axis or
 * 16/4-bit pair below opset 13 is refused.
 */
import { QtkError } from '../errors/QtkError.js';
import type { QdqDialect } from './qdqDialect.js';
import { isFloat8QuantType } from '../quant/float8.js';
import { defaultDomainOpset, ensureIrForInt4, needsQdqOpset21, raiseOpsetForBlocks, raiseOpsetForFloat8, type QdqUse } from './qdqOps.js';

/** Why `use` needs opset 21, or undefined when the ONNX ops of opset 13 take it. */
function opset21Need(use: QdqUse): string | undefined {
  const t = `'${use.tensor ?? '?'}'`;
  if (use.blocked) return `per-block tensor ${t} needs DequantizeLinear with block_size`;
  return needsQdqOpset21(use.dtype) ? `${use.dtype} tensor ${t} needs ${use.dtype} QuantizeLinear/DequantizeLinear` : undefined;
}

/** ONNX-domain Q/DQ for every pair (see the module comment). */
export const STANDARD_QDQ_DIALECT: QdqDialect = {
  name: 'standard',
  prepare(model, uses) {
    const float8 = uses.find((u) => isFloat8QuantType(u.dtype));
    if (float8) raiseOpsetForFloat8(model, float8.tensor ?? '?');
    const opset = defaultDomainOpset(model);
    const old = opset < 13 ? uses.find((u) => u.perAxis || needsQdqOpset21(u.dtype) || u.blocked) : undefined;
    if (old) {
      throw new QtkError('E_UNSUPPORTED', `tensor '${old.tensor ?? '?'}' needs ONNX QuantizeLinear/DequantizeLinear of opset 13 or later (${old.dtype}${old.perAxis ? ', per axis' : ''}); the model is at opset ${opset}`, { tensor: old.tensor ?? '?' });
    }
    const first = uses.find((u) => opset21Need(u) !== undefined);
    if (first) raiseOpsetForBlocks(model, first.tensor ?? '?', opset21Need(first));
    if (uses.some((u) => u.dtype === 'int4' || u.dtype === 'uint4')) ensureIrForInt4(model);
  },
  domainOf: () => '',
};
