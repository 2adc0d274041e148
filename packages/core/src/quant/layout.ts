/**
 * How quantization parameters spread over a tensor: one (scale, zero point) for the whole
 * tensor, one per index along an axis, or one per block of consecutive elements along an axis.
 * Example: x of dims [4, 6] with `{ axis: 1, blockSize: 4 }` takes scales of dims [4, 2].
 */
import { QtkError } from '../errors/QtkError.js';

/** Layout of quantization parameters over a tensor: per-tensor (axis undefined), per-axis, or per-block along axis. */
export interface QLayout {
  /** Axis the parameters vary along (negative counts from the end); undefined for per-tensor. */
  axis?: number;
  /** Block length along `axis` (ONNX opset 21 blocked quantization); undefined or 0 for per-axis. */
  blockSize?: number;
}

/**
 * A layout resolved against concrete dims: the tensor is viewed as `[outer, axisLen, inner]`.
 * Per-tensor: `outer = 1, axisLen = 1, inner = size`. Per-axis: one parameter per `axisLen` index.
 * Per-block: parameters of dims `[outer, blocks, inner]`, element `(o, a, i)` uses `(o, floor(a / blockSize), i)`.
 */
export interface ResolvedQLayout {
  kind: 'perTensor' | 'perAxis' | 'perBlock';
  outer: number;
  axisLen: number;
  inner: number;
  /** Block length (perBlock only; else axisLen). */
  blockSize: number;
  /** Blocks along the axis: `ceil(axisLen / blockSize)` (perBlock only; else 1). */
  blocks: number;
  /** Number of (scale, zero point) pairs the layout needs. */
  paramCount: number;
  /** Dims the scale tensor has: `[]` per-tensor, `[axisLen]` per-axis, dims with the axis divided per-block. */
  paramDims: number[];
}

/**
 * Resolves `layout` against tensor `dims`, normalising a negative axis.
 * `resolveQLayout([2, 3], { axis: -1 })` is per-axis with `paramCount` 3.
 * Throws E_SHAPE for an axis outside the rank, E_OPTION for a bad block size.
 */
export function resolveQLayout(dims: readonly number[], layout: QLayout = {}): ResolvedQLayout {
  let size = 1;
  for (const d of dims) size *= d;
  const { axis, blockSize } = layout;
  if (axis === undefined) {
    if (blockSize) throw new QtkError('E_OPTION', `blockSize ${blockSize} needs an axis to block along`, { option: 'blockSize' });
    return { kind: 'perTensor', outer: 1, axisLen: 1, inner: size, blockSize: 1, blocks: 1, paramCount: 1, paramDims: [] };
  }
  const rank = dims.length;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new QtkError('E_SHAPE', `quantization axis ${axis} is outside a tensor of rank ${rank} (dims [${dims.join(',')}]); expected -${rank}..${rank - 1}`);
  }
  const ax = axis < 0 ? axis + rank : axis;
  let outer = 1;
  for (let i = 0; i < ax; i++) outer *= dims[i]!;
  let inner = 1;
  for (let i = ax + 1; i < rank; i++) inner *= dims[i]!;
  const axisLen = dims[ax]!;
  if (blockSize === undefined || blockSize === 0) {
    return { kind: 'perAxis', outer, axisLen, inner, blockSize: axisLen, blocks: 1, paramCount: axisLen, paramDims: [axisLen] };
  }
  if (!Number.isInteger(blockSize) || blockSize < 0) {
    throw new QtkError('E_OPTION', `blockSize must be a positive integer, got ${blockSize}`, { option: 'blockSize' });
  }
  const blocks = Math.ceil(axisLen / blockSize);
  const paramDims = dims.slice();
  paramDims[ax] = blocks;
  return { kind: 'perBlock', outer, axisLen, inner, blockSize, blocks, paramCount: outer * blocks * inner, paramDims };
}

/**
 * Visits the tensor in contiguous spans `[start, end)` of flat element indices that share a
 * parameter pattern: `stride` 0 means every element uses parameter `p`; `stride` 1 means
 * element `start + k` uses parameter `p + k`. Spans are as long as the layout allows, so
 * kernels run tight loops (per-tensor is one span; per-axis on the last axis is one span per row).
 */
export function forEachSpan(
  plan: ResolvedQLayout,
  visit: (start: number, end: number, p: number, stride: 0 | 1) => void,
): void {
  const { kind, outer, axisLen, inner, blockSize, blocks } = plan;
  if (kind === 'perTensor') {
    visit(0, inner, 0, 0);
    return;
  }
  if (kind === 'perAxis') {
    if (inner === 1) {
      for (let o = 0; o < outer; o++) visit(o * axisLen, (o + 1) * axisLen, 0, 1);
      return;
    }
    for (let o = 0, start = 0; o < outer; o++) {
      for (let a = 0; a < axisLen; a++, start += inner) visit(start, start + inner, a, 0);
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let b = 0; b < blocks; b++) {
      const a0 = b * blockSize;
      const a1 = Math.min(a0 + blockSize, axisLen);
      const p = (o * blocks + b) * inner;
      if (inner === 1) {
        visit(o * axisLen + a0, o * axisLen + a1, p, 0);
        continue;
      }
      for (let a = a0; a < a1; a++) {
        const start = (o * axisLen + a) * inner;
        visit(start, start + inner, p, 1);
      }
    }
  }
}
