/**
 * Source of a pool worker, as a self-contained script (no imports, so it starts the same way
 * from a Node `eval` worker and from a browser Blob URL, under any bundler or test runner).
 * The worker instantiates the threaded kernels on the session's shared memory, moves its
 * scratch to its own region, reports ready, then loops: wait for its state word to say
 * POSTED, claim it (RUNNING), run the units it claims from the shared counter, go IDLE and
 * wake the dispatcher. Protocol in protocol.ts.
 */
import { ERROR_BYTE, ERROR_CHARS, FAILED, IDLE, NEXT, POSTED, RUNNING, SPIN, STATE, STOP, TASK_SLOT, TASKS_BYTE } from './protocol.js';

/** What a worker receives once: the threaded module, the shared memory, the control block and its place. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  /** This worker's index (its state word and slot). */
  index: number;
  /** Byte offset of this worker's kernel scratch in the shared memory. */
  scratch: number;
  /** Kernel export names; a task names a kernel by its index here. */
  names: string[];
}

/** The worker script. */
export const WORKER_SOURCE = `'use strict';
function serve(init, ready) {
  const memory = init.memory;
  const instance = new WebAssembly.Instance(init.module, { env: { memory, abort() { throw new Error('kernel abort'); } } });
  const ex = instance.exports;
  ex.setScratch(init.scratch);
  const fns = init.names.map((n) => ex[n]);
  const i32 = new Int32Array(init.control);
  const f64 = new Float64Array(init.control);
  const at = ${STATE} + init.index;
  const slot = ${TASKS_BYTE / 8} + init.index * ${TASK_SLOT};
  const args = [];
  ready();
  for (;;) {
    let spins = 0;
    let st = Atomics.load(i32, at);
    while (st !== ${POSTED} && st !== ${STOP}) {
      if (++spins > ${SPIN}) Atomics.wait(i32, at, st);
      st = Atomics.load(i32, at);
    }
    if (st === ${STOP}) return;
    if (Atomics.compareExchange(i32, at, ${POSTED}, ${RUNNING}) !== ${POSTED}) continue;
    const units = f64[slot];
    for (;;) {
      const u = Atomics.add(i32, ${NEXT}, 1);
      if (u >= units) break;
      try {
        let p = f64[slot + 1 + u];
        const calls = f64[p++];
        for (let c = 0; c < calls; c++) {
          const fn = fns[f64[p]];
          const n = f64[p + 1];
          p += 2;
          args.length = n;
          for (let i = 0; i < n; i++) args[i] = f64[p + i];
          p += n;
          fn.apply(null, args);
        }
      } catch (e) {
        if (Atomics.add(i32, ${FAILED}, 1) === 0) {
          const msg = String(e && e.message || e).slice(0, ${ERROR_CHARS});
          const m = ${ERROR_BYTE / 4};
          i32[m] = msg.length;
          for (let i = 0; i < msg.length; i++) i32[m + 1 + i] = msg.charCodeAt(i);
        }
      }
    }
    Atomics.store(i32, at, ${IDLE});
    Atomics.notify(i32, at);
  }
}
if (typeof require === 'function' && typeof process === 'object' && process.versions && process.versions.node) {
  const wt = require('worker_threads');
  serve(wt.workerData, () => wt.parentPort.postMessage('ready'));
} else {
  self.onmessage = (ev) => {
    self.onmessage = null;
    serve(ev.data, () => self.postMessage('ready'));
  };
}
`;
