/**
 * onnxruntime's Q/DQ dialect: the ONNX ops where the model's opset has them, onnxruntime's
 * com.microsoft QuantizeLinear/DequantizeLinear otherwise.
 *
 * | default-domain opset | int8/uint8 per-tensor/axis | int16/uint16/int4/uint4 | per-block (block_size) |
 * | --- | --- | --- | --- |
 * | ≥ 21 | ONNX | ONNX | ONNX |
 * | 13 … 20 | ONNX | com.microsoft | opset raised to 21, when safe |
 * | < 13 | com.microsoft | com.microsoft | refused |
 *
 * com.microsoft Q/DQ take int8, uint8, int16, uint16, int4 and uint4 (and int32 for
 * DequantizeLinear), per-tensor or per-axis, but no blocks, so per-block weights need the ONNX
 * ops of opset 21 (see `raiseOpsetForBlocks` in @qtk/core). float8e4m3fn pairs are ONNX ops of
 * opset 19, the model raised there when safe (`raiseOpsetForFloat8`).
 */
import { isFloat8QuantType, type Model, type QdqDialect } from '@qtk/core';
import { defaultDomainOpset, ensureIrForInt4, needsQdqOpset21, QDQ_FULL_OPSET, raiseOpsetForBlocks, raiseOpsetForFloat8, type QdqUse } from '@qtk/core/internal';

/** onnxruntime's contrib operator domain. */
export const MS_DOMAIN = 'com.microsoft';

/** Domain for Q/DQ nodes: the ONNX domain, or onnxruntime's com.microsoft. */
export interface QdqFlavor {
  domain: '' | typeof MS_DOMAIN;
}

/** Adds the com.microsoft opset import (version 1) when missing. */
export function useMicrosoftDomain(model: Model): void {
  if (!model.opsetImports.has(MS_DOMAIN)) model.opsetImports.set(MS_DOMAIN, 1);
}

/**
 * Picks the Q/DQ domain for one use and prepares the model for it: adds the com.microsoft
 * import, raises the opset for blocks, raises the IR version for 4-bit types.
 * Without `use` it answers for int8/uint8 per-tensor/per-axis (the flavour of older callers).
 * Throws E_UNSUPPORTED for blocks the model cannot take (see the module comment).
 */
export function qdqFlavor(model: Model, use: QdqUse = { dtype: 'int8' }): QdqFlavor {
  if (use.dtype === 'int4' || use.dtype === 'uint4') ensureIrForInt4(model);
  if (use.blocked) {
    raiseOpsetForBlocks(model, use.tensor ?? '?');
    return { domain: '' };
  }
  if (isFloat8QuantType(use.dtype)) {
    raiseOpsetForFloat8(model, use.tensor ?? '?');
    return { domain: '' };
  }
  const opset = defaultDomainOpset(model);
  if (opset >= QDQ_FULL_OPSET) return { domain: '' };
  if (opset >= 13 && !needsQdqOpset21(use.dtype)) return { domain: '' };
  useMicrosoftDomain(model);
  return { domain: MS_DOMAIN };
}

/**
 * Decides every Q/DQ pair of a conversion at once: blocked uses first (they may raise the opset,
 * which lets every other use take the ONNX ops), then the rest. Returns the domain per use,
 * in order. Throws as `qdqFlavor`, before the model is changed when a block is refused.
 */
export function planQdqDomains(model: Model, uses: readonly QdqUse[]): QdqFlavor[] {
  const blocked = uses.find((u) => u.blocked);
  if (blocked) raiseOpsetForBlocks(model, blocked.tensor ?? '?');
  const float8 = uses.find((u) => isFloat8QuantType(u.dtype));
  if (float8) raiseOpsetForFloat8(model, float8.tensor ?? '?');
  return uses.map((u) => qdqFlavor(model, u));
}

/** onnxruntime's Q/DQ dialect for the QDQ writer (see the module comment). */
export const ortQdqDialect: QdqDialect = {
  name: 'onnxruntime',
  prepare: (model, uses) => { planQdqDomains(model, uses); },
  domainOf: (model, use) => qdqFlavor(model, use).domain,
};
