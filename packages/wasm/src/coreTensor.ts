/**
 * Conversions between the engine's Tensor and @qtk/core's Tensor. Both take
 * `(type, data, dims)` and share typed storage, so either way is free of copies:
 * `fromCoreTensor(new CoreTensor('float32', x, [1, 3]))` holds the same Float32Array `x`.
 */
import { QtkError, Tensor as CoreTensor } from '@qtk/core';
import { Tensor, isTensorType, type TensorData } from './tensor.js';

/** The engine's tensor over a core tensor's storage (no copy); E_DTYPE for element types the engine lacks. */
export function fromCoreTensor(t: CoreTensor, name?: string): Tensor {
  if (!isTensorType(t.dtype)) throw new QtkError('E_DTYPE', `@qtk/wasm has no ${t.dtype} tensors${name ? ` (tensor '${name}')` : ''}`, { tensor: name });
  return new Tensor(t.dtype, t.data as TensorData, t.dims);
}

/** A core tensor over the engine tensor's storage (no copy). */
export function toCoreTensor(t: Tensor): CoreTensor {
  return new CoreTensor(t.type, t.data, t.dims);
}
