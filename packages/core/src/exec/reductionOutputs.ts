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
 *
 * Derived samples: when a sampled value is made by an element-wise node (see
 * `derivedSampleOps`) whose every non-constant input is a sampled value of the same
 * static shape and stride, its sample is that node applied to the input samples (the
 * same positions, so the same numbers) instead of another Reshape + Slice of the whole
 * value. Fewer whole-size readers keep a runtime's fused and blocked-layout kernels
 * intact: on PP-OCRv4 rec each extra reader of a convolution output made onnxruntime
 * convert it out of its NCHWc layout.
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
  /** The value's static shape, when known: samples of equal-shaped values may be derived from each other. */
  shape?: readonly number[];
}

/** Output names of one value's reductions. */
export interface ReductionNames {
  min?: string;
  max?: string;
  sample?: string;
  stride?: number;
  /** True when the sample is computed from the samples of the producer's inputs (see the module comment). */
  derived?: boolean;
}

/**
 * Element-wise ONNX ops (default domain) whose output at a position depends only on
 * their inputs at that position (and on attributes), so a node applied to samples of
 * its inputs gives the sample of its output.
 */
export const derivedSampleOps: ReadonlySet<string> = new Set([
  'Abs', 'Add', 'Ceil', 'Clip', 'Cos', 'Div', 'Elu', 'Erf', 'Exp', 'Floor', 'Gelu', 'HardSigmoid', 'HardSwish',
  'Identity', 'LeakyRelu', 'Log', 'Max', 'Min', 'Mul', 'Neg', 'Reciprocal', 'Relu', 'Round', 'Selu', 'Sigmoid',
  'Sign', 'Sin', 'Softplus', 'Softsign', 'Sqrt', 'Sub', 'Tanh', 'ThresholdedRelu',
]);

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

/** Sampled values whose samples can be computed from their producer's input samples, with that producer. */
function derivableSamples(model: Model, requests: ReadonlyMap<string, ReductionRequest>): Map<string, Node> {
  const g = model.graph;
  const out = new Map<string, Node>();
  const sameSample = (a: ReductionRequest, b: ReductionRequest | undefined) =>
    !!b && (b.stride ?? 1) === (a.stride ?? 1) && !!a.shape && !!b.shape && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape![i]);
  for (const n of g.nodes) {
    if (n.domain !== '' || !derivedSampleOps.has(n.opType) || n.outputs.length !== 1) continue;
    const req = requests.get(n.outputs[0]!);
    if (!req || (req.stride ?? 1) <= 1 || !req.shape) continue;
    const ok = n.inputs.some((i) => i && requests.has(i)) && n.inputs.every((i) => {
      if (!i) return true;
      const init = g.initializers.get(i);
      if (init) return init.size === 1;
      return sameSample(req, requests.get(i));
    });
    if (ok) out.set(n.outputs[0]!, n);
  }
  return out;
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
  const derivable = derivableSamples(model, requests);
  // Requests in the order their values are made, so that a derived sample's inputs come first.
  const order = new Map<string, number>();
  g.nodes.forEach((n, i) => { for (const o of n.outputs) order.set(o, i); });
  const sorted = [...requests].sort((a, b) => (order.get(a[0]) ?? -1) - (order.get(b[0]) ?? -1));
  for (const [v, req] of sorted) {
    const list: Node[] = [];
    after.set(v, list);
    const r: ReductionNames = {};
    if (req.extremes) {
      r.min = node(list, 'ReduceMin', [v], `${v}_qtk_min`, keepdims0);
      r.max = node(list, 'ReduceMax', [v], `${v}_qtk_max`, keepdims0);
    }
    const stride = req.stride ?? 1;
    const producer = derivable.get(v);
    if (stride > 1 && producer) {
      const inputs = producer.inputs.map((i) => names.get(i)?.sample ?? i);
      r.sample = node(list, producer.opType, inputs, `${v}_qtk_sample`, producer.attributes);
      r.stride = stride;
      r.derived = true;
    } else if (stride > 1) {
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
