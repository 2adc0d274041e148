/**
 * Records kernel calls into one worker's task slot instead of running them: an object with
 * the kernels' function names whose methods append (export index, arguments) to the current
 * unit of the slot (layout in protocol.ts).
 */
import type { Kernels } from '../kernels.js';
import { TASK_SLOT, TASKS_BYTE } from './protocol.js';

/** Thrown while recording when a task does not fit its slot (the dispatcher then runs the section alone). */
export class TaskOverflow extends Error {}

/** Writes the task of one worker. */
export class TaskWriter {
  /** Kernel-shaped recorder: calling a function appends the call to the current unit. */
  readonly kernels: Kernels;
  private readonly f64: Float64Array;
  private readonly slot: number;
  private at = 0;
  /** Slot index of the current unit's call count. */
  private head = 0;

  /**
   * `names` are the kernel function exports (a call is stored as its index in `names`);
   * `memory` is the session's shared memory, which the recorder reports as its own.
   */
  constructor(control: SharedArrayBuffer, worker: number, names: readonly string[], memory: WebAssembly.Memory) {
    this.f64 = new Float64Array(control);
    this.slot = TASKS_BYTE / 8 + worker * TASK_SLOT;
    const rec: Record<string, unknown> = { memory };
    names.forEach((name, index) => {
      rec[name] = (...args: number[]) => this.push(index, name, args);
    });
    this.kernels = rec as unknown as Kernels;
  }

  /** Starts a task of `units` units; throws TaskOverflow beyond TASK_SLOT / 4. */
  begin(units: number): void {
    if (units + 1 > TASK_SLOT / 4) throw new TaskOverflow(`a worker task holds at most ${TASK_SLOT / 4} units, not ${units}`);
    this.f64[this.slot] = units;
    this.at = this.slot + 1 + units;
  }

  /** Starts unit `u`: the calls made until the next unit belong to it. */
  unit(u: number): void {
    this.f64[this.slot + 1 + u] = this.at;
    this.head = this.at;
    this.f64[this.head] = 0;
    this.at++;
  }

  private push(index: number, name: string, args: number[]): undefined {
    const n = args.length;
    if (this.at + 2 + n > this.slot + TASK_SLOT) throw new TaskOverflow(`a worker task holds at most ${TASK_SLOT} values: too many kernel calls (at ${name})`);
    const f = this.f64;
    f[this.at] = index;
    f[this.at + 1] = n;
    for (let i = 0; i < n; i++) f[this.at + 2 + i] = Number(args[i]);
    this.at += 2 + n;
    f[this.head]++;
    return undefined;
  }
}
