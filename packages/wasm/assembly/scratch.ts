// Per-instance scratch of the kernels (clipped GEMM tiles, im2col panel tables and tap
// offsets). Instances that share one memory (the worker pool) share its static data, so the
// scratch lives at a base address each instance sets for itself: a global, and globals are
// per instance. Without setScratch an instance uses a static region of its own module, which
// is enough for a single instance per memory.

/** Clipped-tile buffer of the FP32 GEMM (4 x 8 f32). */
export const SCRATCH_SGEMM_TILE: usize = 0;
/** Clipped-tile buffer of the INT8 GEMM (4 x 8 i32). */
export const SCRATCH_QGEMM_TILE: usize = 128;
/** One gathered 8-lane int16 vector of the INT8 im2col. */
export const SCRATCH_LANES: usize = 256;
/** Window origins of one FP32 im2col panel (rows, then columns: 8 i32 each). */
export const SCRATCH_POS: usize = 288;
/** Panel table of the INT8 im2col: 256 panels of 5 i32. */
export const SCRATCH_TABLE: usize = 384;
/** Tap offsets of the INT8 im2col: 8192 i32. */
export const SCRATCH_TAPS: usize = SCRATCH_TABLE + 256 * 20;
/** Bytes of one instance's scratch. */
export const SCRATCH_BYTES: usize = SCRATCH_TAPS + 8192 * 4;

let base: usize = memory.data(<i32>SCRATCH_BYTES, 16);

/** Start of this instance's scratch. */
@inline
export function scratchBase(): usize {
  return base;
}

/** Moves this instance's scratch to `ptr` (SCRATCH_BYTES, 16-byte aligned, owned by it alone). */
export function setScratch(ptr: usize): void {
  base = ptr;
}

/** Bytes an instance's scratch needs (the size setScratch expects). */
export function scratchBytes(): i32 {
  return <i32>SCRATCH_BYTES;
}
