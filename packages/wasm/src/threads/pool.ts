/**
 * A session's worker pool: N-1 workers running the threaded kernels on the session's shared
 * memory, and the dispatch of parallel kernel sections through a shared control block (no
 * message per dispatch). A section is a number of units; each worker's slot receives the
 * kernel calls of every unit, recorded with that worker's scratch, and the calling thread and
 * the workers claim units from a shared counter until none are left, so a thread the machine
 * runs late takes fewer (protocol.ts).
 */
import { QtkError } from '@qtk/core';
import type { Kernels, ThreadsModule } from '../kernels.js';
import { controlBytes, ERROR_BYTE, FAILED, IDLE, MAX_WORKERS, NEXT, POSTED, SPIN, STATE, STOP } from './protocol.js';
import { spawnWorker, type WorkerHandle } from './spawn.js';
import { TaskOverflow, TaskWriter } from './taskWriter.js';

/** Work of one unit: its kernel calls, made on `k`, with the scratch of `slot` (0 to slots - 1). */
export type UnitBody = (k: Kernels, unit: number, slot: number) => void;

/** Most threads of a pool (the calling thread included). */
export const MAX_THREADS = MAX_WORKERS + 1;

/** True when this thread may block in Atomics.wait (not a browser's main thread). */
function canBlock(i32: Int32Array): boolean {
  try {
    // the value differs, so this returns at once where waiting is allowed and throws where it is not
    Atomics.wait(i32, FAILED, -1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The workers of one session and their dispatch. */
export class WorkerPool {
  private readonly i32: Int32Array;
  private readonly blocking: boolean;
  private closed = false;
  private running = false;

  private constructor(
    /** The calling thread's kernels (slot 0 runs on them). */
    readonly kernels: Kernels,
    control: SharedArrayBuffer,
    private readonly workers: WorkerHandle[],
    private readonly writers: TaskWriter[],
  ) {
    this.i32 = new Int32Array(control);
    this.blocking = canBlock(this.i32);
  }

  /**
   * Starts `threads - 1` workers on the memory of `kernels` (an instance of `module` on a
   * shared memory); `alloc(bytes)` reserves each worker's kernel scratch in that memory.
   */
  static async create(kernels: Kernels, module: ThreadsModule, threads: number, alloc: (bytes: number) => number): Promise<WorkerPool> {
    if (!Number.isInteger(threads) || threads < 2 || threads > MAX_THREADS) {
      throw new QtkError('E_OPTION', `a worker pool has 2 to ${MAX_THREADS} threads, not ${threads}`);
    }
    const n = threads - 1;
    const control = new SharedArrayBuffer(controlBytes(n));
    const names = WebAssembly.Module.exports(module.module).filter((e) => e.kind === 'function').map((e) => e.name);
    const bytes = kernels.scratchBytes();
    const scratch = Array.from({ length: n }, () => alloc(bytes));
    const started = await Promise.allSettled(scratch.map((ptr, index) => spawnWorker({ module: module.module, memory: kernels.memory, control, index, scratch: ptr, names })));
    const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason;
    }
    const writers = workers.map((_, i) => new TaskWriter(control, i, names, kernels.memory));
    return new WorkerPool(kernels, control, workers, writers);
  }

  /** Threads this pool runs on, the calling thread included (1 once terminated). */
  get threads(): number {
    return this.closed ? 1 : this.workers.length + 1;
  }

  /**
   * Runs units 0..units-1 of one parallel section on min(threads, units) threads (slot 0 is
   * the calling thread) and returns when all are done. Units must write disjoint memory;
   * scratch is per slot. A kernel that fails on a worker throws E_EXECUTOR here, after every
   * thread has finished.
   */
  run(units: number, body: UnitBody): void {
    const slots = Math.min(this.threads, units);
    if (slots <= 1) {
      for (let u = 0; u < units; u++) body(this.kernels, u, 0);
      return;
    }
    if (this.running) throw new QtkError('E_EXECUTOR', 'a parallel section started inside another one');
    this.running = true;
    const i32 = this.i32;
    Atomics.store(i32, NEXT, 0);
    Atomics.store(i32, FAILED, 0);
    let posted = 0;
    try {
      for (let w = 0; w < slots - 1; w++) {
        const wr = this.writers[w]!;
        try {
          wr.begin(units);
          for (let u = 0; u < units; u++) {
            wr.unit(u);
            body(wr.kernels, u, w + 1);
          }
        } catch (e) {
          // every worker's task has the same size, so only the first can overflow: run alone
          if (!(e instanceof TaskOverflow)) throw e;
          if (w > 0) throw new QtkError('E_EXECUTOR', e.message);
          for (let u = 0; u < units; u++) body(this.kernels, u, 0);
          return;
        }
        Atomics.store(i32, STATE + w, POSTED);
        Atomics.notify(i32, STATE + w, 1);
        posted++;
      }
      for (;;) {
        const u = Atomics.add(i32, NEXT, 1);
        if (u >= units) break;
        body(this.kernels, u, 0);
      }
    } finally {
      for (let w = 0; w < posted; w++) this.settle(w);
      this.running = false;
    }
    if (Atomics.load(i32, FAILED) !== 0) {
      const at = ERROR_BYTE / 4;
      const len = i32[at]!;
      let msg = '';
      for (let i = 0; i < len; i++) msg += String.fromCharCode(i32[at + 1 + i]!);
      throw new QtkError('E_EXECUTOR', `a kernel failed on a pool worker: ${msg}`);
    }
  }

  /** Returns once worker w is idle: withdraws its task if it has not started, else waits for it. */
  private settle(w: number): void {
    const i32 = this.i32, at = STATE + w;
    if (Atomics.compareExchange(i32, at, POSTED, IDLE) === POSTED) return;
    let spins = 0;
    for (;;) {
      const st = Atomics.load(i32, at);
      if (st === IDLE) return;
      if (this.blocking && ++spins > SPIN) Atomics.wait(i32, at, st);
    }
  }

  /** Stops the workers; later sections run on the calling thread alone. Idempotent. */
  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (let w = 0; w < this.workers.length; w++) {
      Atomics.store(this.i32, STATE + w, STOP);
      Atomics.notify(this.i32, STATE + w);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
