/**
 * The compiled WebAssembly kernels: their exported functions, and instantiation (each module
 * compiles once per process; each session gets its own instance and memory). Two builds of
 * the same kernels exist: one with a memory of its own (one thread), and one importing a
 * shared memory, which a session with a worker pool instantiates on every thread.
 */
import { QtkError } from '@qtk/core';
import { KERNELS_WASM_BASE64 } from './generated/kernelsWasm.js';

type P = number;

/** Exports of the kernel module (see assembly/*.ts for each kernel's contract). */
export interface Kernels {
  memory: WebAssembly.Memory;
  heapBase(): P;
  /** Moves this instance's kernel scratch to `ptr` (scratchBytes(), owned by this instance alone). */
  setScratch(ptr: P): void;
  /** Bytes of one instance's kernel scratch. */
  scratchBytes(): number;
  sgemm(M: number, N: number, K: number, a: P, b: P, c: P, ldc: number): void;
  biasAct(M: number, N: number, c: P, ldc: number, bias: P, mode: number, lo: number, hi: number): void;
  packA(src: P, M: number, K: number, rs: number, ks: number, dst: P): void;
  packB(src: P, K: number, N: number, rs: number, cs: number, dst: P): void;
  /** `win`: a window params block (src/windowParams.ts) in kernel memory; so for every kernel taking `win`. */
  im2colF32(x: P, C: number, win: P, n0: number, count: number, dst: P): void;
  depthwiseF32(x: P, C: number, w: P, bias: P, mult: number, win: P, y: P, lo: number, hi: number): void;
  qgemm(M: number, N: number, KP: number, a: P, b: P, c: P, ldc: number): void;
  qgemmRequant8(M: number, N: number, KP: number, a: P, b: P, c: P, ldc: number, mult: P, add: P, zp: number, lo: number, hi: number, y: P, ldy: number): void;
  packAQ(src: P, signed: number, zp: number, M: number, K: number, rs: number, ks: number, dst: P): void;
  packBQ(src: P, signed: number, zp: number, K: number, N: number, rs: number, cs: number, dst: P): void;
  padWidenQ(x: P, signed: number, zp: number, C: number, H: number, W: number, pt: number, pl: number, pb: number, pr: number, dst: P): void;
  /** `win` holds the padded plane (Hp x Wp) as H and W. */
  im2colQ(x16: P, C: number, win: P, n0: number, count: number, dst: P): void;
  padWidenPairQ(x: P, signed: number, zp: number, C: number, H: number, W: number, pt: number, pl: number, pb: number, pr: number, dst: P): void;
  /** `win` holds the padded plane (Hp x Wp) as H and W. */
  im2colPairQ(xp: P, C2: number, win: P, n0: number, count: number, dst: P): void;
  requant8(M: number, N: number, c: P, ldc: number, mult: P, add: P, mode: number, zp: number, lo: number, hi: number, y: P, ldy: number): void;
  requantF32(M: number, N: number, c: P, ldc: number, mult: P, add: P, mode: number, lo: number, hi: number, y: P, ldy: number): void;
  binaryF32(op: number, a: P, b: P, out: P, shape: P, astr: P, bstr: P): void;
  unaryF32(op: number, x: P, out: P, n: number, p0: number, p1: number): void;
  channelAffine(x: P, y: P, outer: number, C: number, inner: number, scale: P, bias: P): void;
  maxPoolF32(x: P, planes: number, win: P, y: P): void;
  maxPool8(x: P, signed: number, planes: number, win: P, y: P): void;
  avgPoolF32(x: P, planes: number, win: P, countPad: number, y: P): void;
  globalPoolF32(x: P, planes: number, size: number, mode: number, y: P): void;
  softmaxF32(x: P, y: P, rows: number, cols: number, log: number): void;
  layerNormF32(x: P, y: P, rows: number, cols: number, scale: P, bias: P, eps: number, meanOut: P, invOut: P): void;
  quantizeF32(x: P, y: P, outer: number, C: number, inner: number, scale: P, zp: P, perAxis: number, lo: number, hi: number): void;
  dequantize(x: P, bits: number, signed: number, y: P, outer: number, C: number, inner: number, scale: P, zp: P, perAxis: number): void;
  minMaxF32(x: P, n: number, out: P): void;
  qlinearAdd(a: P, sa: number, za: number, b: P, sb: number, zb: number, bRepeat: number, signed: number, y: P, sy: number, zy: number, n: number, lo: number, hi: number): void;
}

/** Binary op codes of binaryF32. */
export const BinaryOp = { Add: 0, Sub: 1, Mul: 2, Div: 3, Max: 4, Min: 5, Pow: 6 } as const;

/** Unary op codes of unaryF32. */
export const UnaryOp = {
  Relu: 0, Clip: 1, Sigmoid: 2, Tanh: 3, HardSwish: 4, HardSigmoid: 5, Erf: 6, Gelu: 7, Exp: 8, Log: 9,
  Sqrt: 10, Neg: 11, Abs: 12, LeakyRelu: 13, Reciprocal: 14, Floor: 15, Ceil: 16, Softplus: 17, Elu: 18,
  Sin: 19, Cos: 20, Round: 21, Sign: 22,
} as const;

let compiled: Promise<WebAssembly.Module> | undefined;
let compiledThreads: Promise<ThreadsModule> | undefined;

/** The threaded kernel module and the limits of the shared memory it imports. */
export interface ThreadsModule {
  module: WebAssembly.Module;
  initialPages: number;
  maximumPages: number;
}

function decodeBase64(b64: string): Uint8Array {
  if (typeof atob === 'function') {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  throw new QtkError('E_UNSUPPORTED', 'no base64 decoder (atob) in this environment');
}

/** Compiles the kernel module once per process. Throws E_UNSUPPORTED without WebAssembly SIMD. */
export function kernelModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(decodeBase64(KERNELS_WASM_BASE64) as Uint8Array<ArrayBuffer>).catch((e: unknown) => {
    compiled = undefined;
    throw new QtkError('E_UNSUPPORTED', `cannot compile the WebAssembly SIMD kernels: ${(e as Error).message}`, {}, { cause: e });
  });
  return compiled;
}

/**
 * Compiles the threaded kernel module once per process (loaded on first use, so sessions of
 * one thread never carry it). Throws E_UNSUPPORTED without WebAssembly SIMD and threads.
 */
export function threadsKernelModule(): Promise<ThreadsModule> {
  compiledThreads ??= (async () => {
    const g = await import('./generated/kernelsThreadsWasm.js');
    const module = await WebAssembly.compile(decodeBase64(g.KERNELS_THREADS_WASM_BASE64) as Uint8Array<ArrayBuffer>);
    return { module, initialPages: g.THREADS_INITIAL_PAGES, maximumPages: g.THREADS_MAXIMUM_PAGES };
  })().catch((e: unknown) => {
    compiledThreads = undefined;
    throw new QtkError('E_UNSUPPORTED', `cannot compile the WebAssembly threaded kernels: ${(e as Error).message}`, {}, { cause: e });
  });
  return compiledThreads;
}

const abortImport = () => { throw new QtkError('E_EXECUTOR', 'kernel abort'); };

/** A fresh instance of the kernels with its own memory. */
export async function instantiateKernels(): Promise<Kernels> {
  const instance = await WebAssembly.instantiate(await kernelModule(), { env: { abort: abortImport } });
  return instance.exports as unknown as Kernels;
}

/**
 * A fresh shared memory for the threaded kernels: the module's maximum, else the largest of
 * 2 GiB, 1 GiB and 512 MiB that this environment can reserve. Throws E_UNSUPPORTED when
 * none can be made (no SharedArrayBuffer).
 */
export function sharedKernelMemory(m: ThreadsModule): WebAssembly.Memory {
  let last: unknown;
  for (const maximum of [m.maximumPages, 32768, 16384, 8192]) {
    if (maximum > m.maximumPages) continue;
    try {
      return new WebAssembly.Memory({ initial: m.initialPages, maximum, shared: true });
    } catch (e) {
      last = e;
    }
  }
  throw new QtkError('E_UNSUPPORTED', `cannot create a shared WebAssembly memory: ${(last as Error | undefined)?.message}`, {}, { cause: last });
}

/** An instance of the threaded kernels on `memory` (made by sharedKernelMemory). */
export async function instantiateThreadsKernels(m: ThreadsModule, memory: WebAssembly.Memory): Promise<Kernels> {
  const instance = await WebAssembly.instantiate(m.module, { env: { memory, abort: abortImport } });
  // the module imports its memory and does not re-export it: callers read it from here
  return { ...(instance.exports as unknown as Kernels), memory };
}
