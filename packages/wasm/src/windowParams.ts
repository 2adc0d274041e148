/**
 * The window params block that the convolution and pooling kernels read instead of a
 * long list of numbers: 16 int32 (64 bytes) in kernel memory, written once per node at
 * plan time (assembly/window.ts reads the same layout).
 * Example: a 3x3 stride-2 window over 56x56 with pads 1 is
 * `windowParamsBlock({ H: 56, W: 56, kh: 3, kw: 3, sh: 2, sw: 2, dh: 1, dw: 1, pt: 1, pl: 1, pb: 1, pr: 1, OH: 28, OW: 28 })`.
 */

/** Fields of the block, in memory order (int32 each; 2 unused slots follow). */
export const WINDOW_PARAMS_FIELDS = ['H', 'W', 'kh', 'kw', 'sh', 'sw', 'dh', 'dw', 'pt', 'pl', 'pb', 'pr', 'OH', 'OW'] as const;

/** Bytes of one block. */
export const WINDOW_PARAMS_BYTES = 64;

/** A 2-D window: input plane, kernel, strides, dilations, pads and output plane. */
export type WindowParams = Readonly<Record<(typeof WINDOW_PARAMS_FIELDS)[number], number>>;

/** The block's int32 values for `p` (copy them into kernel memory, e.g. with `heap.put`). */
export function windowParamsBlock(p: WindowParams): Int32Array {
  const block = new Int32Array(WINDOW_PARAMS_BYTES / 4);
  WINDOW_PARAMS_FIELDS.forEach((f, i) => { block[i] = p[f]; });
  return block;
}
