/**
 * Whole-model agreement with onnxruntime-node: running both engines on the same model and
 * feeds, float error relative to the reference's largest magnitude, and distances in
 * quantization steps between 8-bit tensors.
 */
import { cloneModel, encodeModel, Tensor as CoreTensor, type Model } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { InferenceSession, fromCoreTensor, toCoreTensor } from '../index.js';

/** Feeds of a model run. */
export type CoreFeeds = Record<string, CoreTensor>;

/** Runs `m` once in onnxruntime-node (default options) and releases the session. */
export async function ortRun(m: Model, feeds: CoreFeeds): Promise<Record<string, CoreTensor>> {
  const s = await ortNode.createSession(m);
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}

/** Runs `m` once in a new engine session. */
export async function wasmRun(m: Model, feeds: CoreFeeds): Promise<Record<string, CoreTensor>> {
  const s = await InferenceSession.create(encodeModel(m).model);
  const out = await s.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, fromCoreTensor(v, k)])));
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, toCoreTensor(v)]));
}

/** max |a - b| / max |b|. */
export function relToMax(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    m = Math.max(m, Math.abs(b[i]!));
  }
  return d / m;
}

/** max |a - b|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** Argmax of each row of `k` values. */
export function argmaxRows(d: ArrayLike<number>, k: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < d.length / k; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (d[r * k + j]! > d[r * k + best]!) best = j;
    out.push(best);
  }
  return out;
}

/** Distance in steps between two 8-bit tensors: the largest, and the share of elements more than one step apart. */
export interface StepStats {
  max: number;
  overOne: number;
  differing: number;
}

/** Step distance between two 8-bit code arrays. */
export function stepStats(a: ArrayLike<number>, b: ArrayLike<number>): StepStats {
  let max = 0, over = 0, diff = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    max = Math.max(max, d);
    if (d > 1) over++;
    if (d > 0) diff++;
  }
  return { max, overOne: over / b.length, differing: diff / b.length };
}

const producer = (m: Model, t: string) => m.graph.nodes.find((n) => n.outputs.includes(t));

/** True when node output 0 is an 8-bit tensor (QuantizeLinear, QLinear*, QGemm with an output scale). */
function quantizedOutput(m: Model, t: string): boolean {
  const n = producer(m, t);
  if (!n) return false;
  if (n.opType === 'QuantizeLinear' || n.opType.startsWith('QLinear')) return n.outputs[0] === t;
  return n.opType === 'QGemm' && n.inputs.length > 7 && !!n.inputs[7];
}

/**
 * The last 8-bit tensor on the path from the model's first output back along first inputs
 * (the input of the final DequantizeLinear in QDQ form).
 */
export function lastQuantized(m: Model): string {
  let t = m.graph.outputs[0]!.name;
  for (let guard = 0; guard < 64; guard++) {
    if (quantizedOutput(m, t)) return t;
    const n = producer(m, t);
    if (!n) break;
    t = n.inputs[0]!;
  }
  throw new Error('no 8-bit tensor before the output');
}

/** A copy of `m` that also outputs `tensor`. */
export function withOutput(m: Model, tensor: string): Model {
  const c = cloneModel(m);
  if (!c.graph.outputs.some((o) => o.name === tensor)) c.graph.outputs.push({ name: tensor });
  return c;
}

/**
 * Largest change of the float output of a model ending in Gemm (QDQ: DQ inputs) or QGemm
 * with a float output, when each of its 8-bit inputs moves by one step:
 * s_in * max_n sum_k |W[n,k]| (W dequantized, stored [N, K]).
 */
export function oneStepBoundOfLastGemm(q: Model): number {
  const g = q.graph;
  const last = producer(q, g.outputs[0]!.name)!;
  const init = (name: string) => {
    const t = g.initializers.get(name);
    if (!t) throw new Error(`'${name}' is not an initializer`);
    return t;
  };
  let sIn: number, w: CoreTensor, ws: CoreTensor, wz: CoreTensor | undefined;
  if (last.opType === 'QGemm') {
    sIn = init(last.inputs[1]!).get(0);
    w = init(last.inputs[3]!);
    ws = init(last.inputs[4]!);
    wz = last.inputs[5] ? init(last.inputs[5]) : undefined;
  } else {
    const xdq = producer(q, last.inputs[0]!)!, wdq = producer(q, last.inputs[1]!)!;
    sIn = init(xdq.inputs[1]!).get(0);
    w = init(wdq.inputs[0]!);
    ws = init(wdq.inputs[1]!);
    wz = wdq.inputs[2] ? init(wdq.inputs[2]) : undefined;
  }
  const [N, K] = w.dims as [number, number];
  let worst = 0;
  for (let n = 0; n < N; n++) {
    const c = ws.size === 1 ? 0 : n;
    const z = wz ? wz.get(wz.size === 1 ? 0 : n) : 0;
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.abs((w.get(n * K + k) - z) * ws.get(c));
    worst = Math.max(worst, s);
  }
  return sIn * worst;
}
