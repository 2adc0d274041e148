/**
 * Layout of a worker pool's control block: a SharedArrayBuffer the session and its workers
 * read as Int32Array (state words and counters) and Float64Array (task slots).
 *
 * One parallel section is a number of units (ranges of output columns, say) that the threads
 * claim one at a time from a shared counter, so a thread that runs late (a busy machine) takes
 * fewer. Each worker's slot holds the kernel calls of every unit, recorded with that worker's
 * scratch: [units, then the slot index of each unit's list, then per unit: call count, then
 * per call: export index, argument count, arguments...]. Every kernel argument (i32, f32,
 * pointer) is exact in a float64.
 *
 * A worker's state word goes IDLE → POSTED (the dispatcher, slot written) → RUNNING (the
 * worker, by compare-exchange) → IDLE (the worker, done), or POSTED → IDLE (the dispatcher,
 * when it ran every unit itself before the worker woke: the worker then never reads the slot).
 * The dispatcher writes a slot only while its worker is IDLE.
 */

/** Int32 index of the next unit to claim (Atomics.add). */
export const NEXT = 0;
/** Int32 index of the count of failed units since the last dispatch. */
export const FAILED = 1;
/** Int32 index of worker 0's state word (worker w at STATE + w). */
export const STATE = 16;
/** A worker's state: waiting for a task. */
export const IDLE = 0;
/** A worker's state: a task is in its slot. */
export const POSTED = 1;
/** A worker's state: running its task. */
export const RUNNING = 2;
/** A worker's state: leave the loop. */
export const STOP = 3;
/** Most workers one control block serves. */
export const MAX_WORKERS = 48;
/** Byte offset of the error message of the first unit that threw (length, then UTF-16 code units as int32). */
export const ERROR_BYTE = 4 * (STATE + MAX_WORKERS);
/** Most characters kept of a worker's error message. */
export const ERROR_CHARS = 256;
/** Byte offset of worker 0's task slot. */
export const TASKS_BYTE = ERROR_BYTE + 4 * (ERROR_CHARS + 2);
/** Float64 entries of one worker's task slot. */
export const TASK_SLOT = 16384;
/** Polls of a state word before a thread blocks in Atomics.wait (some microseconds: short gaps between sections cost no wake-up, and an idle thread stops taking a core from others soon). */
export const SPIN = 2000;

/** Bytes of the control block of a pool of `workers`. */
export function controlBytes(workers: number): number {
  return TASKS_BYTE + 8 * TASK_SLOT * workers;
}
