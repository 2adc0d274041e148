// Entry of qtk's WebAssembly kernels: every kernel family, plus the heap start the engine
// allocates from (it grows memory itself).
export * from './gemm';
export * from './conv';
export * from './qgemm';
export * from './elementwise';
export * from './pool';
export * from './softmax';
export * from './layernorm';
export * from './quantize';
export { setScratch, scratchBytes } from './scratch';

/** First free byte after static data; the engine's allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
