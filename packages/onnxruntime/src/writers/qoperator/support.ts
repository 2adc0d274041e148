/**
 * Element types onnxruntime's CPU kernels accept for the QLinear operators (checked
 * against onnxruntime-node 1.30): activations uint8 or int8; uint8 activations take
 * uint8 or int8 weights, int8 activations take int8 weights only; the output has the
 * activation type. 16-bit types have no QLinear kernels.
 */

/** Activation types the QLinear kernels accept. */
export const QLINEAR_ACTIVATION_TYPES: readonly DType[] = ['uint8', 'int8'];

/** Why a QLinear kernel cannot take activations of `dtype`; undefined when it can. */
export function activationTypeProblem(dtype: DType, what: string): string | undefined {
  return QLINEAR_ACTIVATION_TYPES.includes(dtype) ? undefined : `${what} is ${dtype}; onnxruntime's QLinear kernels take uint8 or int8`;
}

/** Why a QLinear matrix kernel cannot pair activations `x` with weights `w`; undefined when it can. */
export function weightTypeProblem(x: DType, w: DType): string | undefined {
  if (x === 'uint8' && (w === 'uint8' || w === 'int8')) return undefined;
  if (x === 'int8' && w === 'int8') return undefined;
  return `onnxruntime has no QLinear kernel for ${x} activations with ${w} weights`;
}

/** Why a kernel cannot write `y` from input type `x`; undefined when the types match. */
export function outputTypeProblem(x: DType, y: DType): string | undefined {
  return x === y ? undefined : `output type ${y} differs from input type ${x}`;
}import { type DType } from '@qtk/core';

