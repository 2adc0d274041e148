/**
 * Statistics computed inside the model, so that a runtime returns a few numbers per
 * observed value instead of the whole activation (what NNCF calls reducers). For each
 * requested value `v` the model gains outputs:
 *   - with `extremes`, `v` reduced to its smallest and largest element (ReduceMin and
 *     ReduceMax over all axes);
 *   - with `stride` > 1, every `stride`-th element of `v` flattened, starting at
 *     element `phase mod stride` (Reshape to one axis, then Slice with that step; see
 *     `sampleStride`). `phase` is a model input (int64, shape [1]) the caller feeds a
 *     different value each run, so that over runs every element position is sampled
 *     equally often, even where a value's outliers sit at fixed positions.
 * Copying extremes or a sample out of the runtime instead of the whole value is what
 * makes calibration of large models fast and keeps its memory flat.
 */
import type { Model, Node, ValueInfo } from '../ir/graph.js';
import { uniqueName, usedNames } from '../ir/graphIndex.js';
import { Tensor } from '../ir/tensor.js';

/** What to reduce a value to. */
export interface ReductionRequest {
  /** Output the smallest and largest element. */
  extremes?: boolean;
  /** Output every `stride`-th element (an integer > 1; 1 or absent: no sample). */
  stride?: number;
}

/** Output names of one value's reductions. */
export interface ReductionNames {
  min?: string;
  max?: string;
  sample?: string;
  stride?: number;
}

/** Smallest default-domain opset with Slice steps (and ReduceMin/Max without axes). */
export const REDUCTION_MIN_OPSET = 10;

/**
 * The stride that keeps at most `limit` of the `count` elements of a value with shape
 * `dims`: 1 while `count <= limit`, else the smallest stride that does and shares no
 * factor with any dimension. A stride sharing a factor with a dimension would alias
 * with it: on a channels-last [1, 40, 120] value a stride of 3 only ever reads the
 * channels 0, 3, 6, ..., and a rare outlier channel between them would never be seen.
 * A stride coprime to every dimension visits every index of every axis.
 */
export function sampleStride(count: number, limit: number, dims: readonly number[] = []): number {
  if (!(limit >= 1) || count <= limit) return 1;
  let s = Math.ceil(count / limit);
  while (dims.some((d) => d > 1 && gcd(s, d) !== 1)) s++;
  return s;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * A shallow copy of `model` with reduction outputs for each requested value (see the
 * module comment), and their names. Values must be float tensors; the caller checks
 * types. Node and initializer objects of `model` are shared, not copied.
 */
export function withReductionOutputs(model: Model, requests: ReadonlyMap<string, ReductionRequest>): {
  model: Model;
  names: Map<string, ReductionNames>;
  /** The int64 [1] input that sets where samples start; undefined when nothing is sampled. */
  phase?: string;
} {
  const g = model.graph;
  const taken = usedNames(g);
  const initializers = new Map(g.initializers);
  const constants = new Map<string, string>();
  const constant = (key: string, t: () => Tensor) => {
    let n = constants.get(key);
    if (!n) { n = uniqueName(g, `qtk_reduce_${key}`, taken); initializers.set(n, t()); constants.set(key, n); }
    return n;
  };
  /** Appends a one-output node to `list`; returns its output. */
  const node = (list: Node[], opType: string, inputs: string[], base: string, attributes: Node['attributes'] = []) => {
    const out = uniqueName(g, base, taken);
    list.push({ name: uniqueName(g, `${base}_node`, taken), opType, domain: '', inputs, outputs: [out], attributes });
    return out;
  };
  const keepdims0: Node['attributes'] = [{ name: 'keepdims', value: { kind: 'int', value: 0 } }];
  // The phase's Mod nodes (one per stride) run first; each value's reduction nodes follow
  // its producer, so that a runtime executing in list order can free the value once its
  // readers ran instead of holding every observed value until the end of the run.
  const first: Node[] = [];
  const after = new Map<string, Node[]>();
  const outputs: ValueInfo[] = [];
  const names = new Map<string, ReductionNames>();
  let phase: string | undefined;
  const starts = new Map<number, string>();
  const startFor = (stride: number) => {
    let st = starts.get(stride);
    if (!st) {
      phase ??= uniqueName(g, 'qtk_sample_phase', taken);
      st = node(first, 'Mod', [phase, constant(`step${stride}`, () => Tensor.int64([stride]))], `qtk_sample_start${stride}`);
      starts.set(stride, st);
    }
    return st;
  };
  for (const [v, req] of requests) {
    const list: Node[] = [];
    after.set(v, list);
    const r: ReductionNames = {};
    if (req.extremes) {
      r.min = node(list, 'ReduceMin', [v], `${v}_qtk_min`, keepdims0);
      r.max = node(list, 'ReduceMax', [v], `${v}_qtk_max`, keepdims0);
    }
    const stride = req.stride ?? 1;
    if (stride > 1) {
      const flat = node(list, 'Reshape', [v, constant('flat', () => Tensor.int64([-1]))], `${v}_qtk_flat`);
      r.sample = node(list, 'Slice', [
        flat, startFor(stride), constant('end', () => Tensor.int64([Number.MAX_SAFE_INTEGER])),
        constant('axis', () => Tensor.int64([0])), constant(`step${stride}`, () => Tensor.int64([stride])),
      ], `${v}_qtk_sample`);
      r.stride = stride;
    }
    names.set(v, r);
    for (const o of [r.min, r.max, r.sample]) if (o) outputs.push({ name: o });
  }
  const inputs = phase ? [...g.inputs, { name: phase, type: { kind: 'tensor' as const, dtype: 'int64' as const, shape: [1] } }] : g.inputs;
  // Values no node produces (graph inputs) are reduced right after the Mod nodes.
  const produced = new Set(g.nodes.flatMap((n) => n.outputs));
  const ordered: Node[] = [...first];
  for (const [v, list] of after) if (!produced.has(v)) ordered.push(...list);
  for (const n of g.nodes) {
    ordered.push(n);
    for (const o of n.outputs) ordered.push(...(after.get(o) ?? []));
  }
  return {
    model: { ...model, graph: { ...g, nodes: ordered, initializers, inputs, outputs: [...g.outputs, ...outputs] } },
    names,
    ...(phase && { phase }),
  };
}
