/**
 * Threads of a session: validating the option, the browser fallback to one thread without
 * cross-origin isolation, and starting the threaded kernels, their heap and the pool.
 */
import { QtkError } from '@qtk/core';
import { instantiateThreadsKernels, sharedKernelMemory, threadsKernelModule, type Kernels } from '../kernels.js';
import { WasmHeap } from '../heap.js';
import { attachPool } from './parallel.js';
import { MAX_THREADS, WorkerPool } from './pool.js';
import { threadsAvailable } from './spawn.js';

/** The `intraOpNumThreads` option checked: an integer from 1 to MAX_THREADS (default 1); E_OPTION otherwise. */
export function requestedThreads(n: number | undefined): number {
  if (n === undefined) return 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new QtkError('E_OPTION', `intraOpNumThreads must be an integer from 1 to ${MAX_THREADS}, got ${n}`);
  }
  return n;
}

let warned = false;

/**
 * Threads this environment grants for `requested`: all of them in Node and in cross-origin
 * isolated pages; elsewhere 1, with a console warning the first time.
 */
export function grantedThreads(requested: number): number {
  if (requested <= 1) return 1;
  const a = threadsAvailable();
  if (a.ok) return requested;
  if (!warned) {
    warned = true;
    console.warn(`@qtk/wasm: intraOpNumThreads ${requested} needs shared memory; running on one thread because ${a.why}`);
  }
  return 1;
}

/** Kernels on a fresh shared memory, their heap, and a started pool attached to them. */
export interface ThreadedKernels {
  kernels: Kernels;
  heap: WasmHeap;
  pool: WorkerPool;
}

/** Starts `threads` threads (at least 2): the calling thread's kernels and threads-1 workers. */
export async function startThreads(threads: number): Promise<ThreadedKernels> {
  const module = await threadsKernelModule();
  const memory = sharedKernelMemory(module);
  const kernels = await instantiateThreadsKernels(module, memory);
  const heap = new WasmHeap(kernels);
  const pool = await WorkerPool.create(kernels, module, threads, (bytes) => heap.alloc(bytes));
  attachPool(pool);
  return { kernels, heap, pool };
}
