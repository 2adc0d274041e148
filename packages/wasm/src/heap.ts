/**
 * Linear-memory allocation of one kernel instance: a bump allocator over the module's
 * memory that grows it on demand, with marks to release temporaries, and typed views.
 * With a worker pool the memory is shared: growing it here grows it for every instance on
 * it, and views are made from `memory.buffer` at each call, so they always cover the pages
 * grown so far.
 */
import { QtkError } from '@qtk/core';
import type { Kernels } from './kernels.js';

const PAGE = 65536;
const ALIGN = 16;

/** Byte allocator over a kernel instance's memory; offsets are 16-byte aligned. */
export class WasmHeap {
  private top: number;

  constructor(readonly kernels: Kernels) {
    this.top = align(kernels.heapBase());
  }

  /** Reserves `bytes` and returns the offset; grows memory as needed. */
  alloc(bytes: number): number {
    const off = this.top;
    const end = align(off + Math.max(bytes, 0));
    const mem = this.kernels.memory;
    if (end > mem.buffer.byteLength) {
      const need = Math.ceil((end - mem.buffer.byteLength) / PAGE);
      try {
        mem.grow(need);
      } catch (e) {
        throw new QtkError('E_EXECUTOR', `cannot grow WebAssembly memory to ${end} bytes`, {}, { cause: e });
      }
    }
    this.top = end;
    return off;
  }

  /** Current end of allocations (pass to `release` to drop everything allocated after). */
  mark(): number {
    return this.top;
  }

  /** Frees everything allocated since `mark`. */
  release(mark: number): void {
    this.top = mark;
  }

  /** Allocates and fills with a copy of `data`. */
  put(data: ArrayBufferView): number {
    const off = this.alloc(data.byteLength);
    this.bytes(off, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return off;
  }

  /** A byte view (invalidated when memory grows; a shared memory's view just stops short of the new pages). */
  bytes(off: number, n: number): Uint8Array {
    return new Uint8Array(this.kernels.memory.buffer, off, n);
  }

  /** A float32 view of `n` elements at byte offset `off`. */
  f32(off: number, n: number): Float32Array {
    return new Float32Array(this.kernels.memory.buffer, off, n);
  }

  /** An int32 view of `n` elements at byte offset `off`. */
  i32(off: number, n: number): Int32Array {
    return new Int32Array(this.kernels.memory.buffer, off, n);
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
