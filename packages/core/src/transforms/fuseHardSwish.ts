/**
 * Rebuilds HardSigmoid/HardSwish that exporters spelled out in elementwise ops:
 * `Clip(x + 3, 0, 6) / 6` (or `* (1/6)`) becomes `HardSigmoid(x, alpha=1/6, beta=0.5)`,
 * and `x * Clip(x + 3, 0, 6) / 6` becomes `Mul(x, HardSigmoid(x))`. Same values (up to
 * float rounding), fewer tensors: quantization then rounds the activation once instead
 * of at every step, and the `x * Clip(x + 3, 0, 6)` product (up to 6x the input range)
 * never needs a range of its own.
 */
import { attrFloat, getAttr, type Graph, type Model, type Node } from '../ir/graph.js';
import { GraphIndex, uniqueName, usedNames } from '../ir/graphIndex.js';
import { constantInitializers } from './graphUtil.js';
import type { Tensor } from '../ir/tensor.js';

const isDefault = (n: Node) => n.domain === '' || n.domain === 'ai.onnx';

/** The single float value of a constant, or undefined. */
function scalarOf(constants: Map<string, Tensor>, name: string | undefined): number | undefined {
  const t = name ? constants.get(name) : undefined;
  if (!t || t.size !== 1 || (t.dtype !== 'float32' && t.dtype !== 'float64' && t.dtype !== 'float16')) return undefined;
  return t.get(0);
}

/** Clip bounds from inputs (opset 11+) or attributes (before). */
function clipBounds(n: Node, constants: Map<string, Tensor>): [number, number] | undefined {
  if (n.inputs.length > 1) {
    const lo = n.inputs[1] ? scalarOf(constants, n.inputs[1]) : -Infinity;
    const hi = n.inputs[2] ? scalarOf(constants, n.inputs[2]) : Infinity;
    return lo === undefined || hi === undefined ? undefined : [lo, hi];
  }
  return [getAttr(n, 'min') ? attrFloat(n, 'min', 0) : -Infinity, getAttr(n, 'max') ? attrFloat(n, 'max', 0) : Infinity];
}

const near = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

interface Matcher {
  index: GraphIndex;
  constants: Map<string, Tensor>;
  graph: Graph;
}

/** The non-constant operand of a binary node whose other operand is the scalar `value`. */
function operandBeside(n: Node, value: number, m: Matcher): string | undefined {
  const [a, b] = n.inputs;
  if (near(scalarOf(m.constants, b), value) && a && !m.constants.has(a)) return a;
  if (n.opType !== 'Div' && near(scalarOf(m.constants, a), value) && b && !m.constants.has(b)) return b;
  return undefined;
}

/** The producer of `v` when `v` feeds only `reader` (so the producer can be removed). */
function privateProducer(v: string, reader: Node, m: Matcher): Node | undefined {
  const p = m.index.producer(v);
  if (!p || !isDefault(p) || m.index.isGraphOutput(v)) return undefined;
  const readers = m.index.consumers(v);
  return readers.length === 1 && readers[0] === reader ? p : undefined;
}

/** For `c = Clip(x + 3, 0, 6)` read only by `reader`: x, and the Add and Clip nodes. */
function relu6Plus3(c: string, reader: Node, m: Matcher): { x: string; nodes: Node[] } | undefined {
  const clip = privateProducer(c, reader, m);
  if (clip?.opType !== 'Clip') return undefined;
  const bounds = clipBounds(clip, m.constants);
  if (!bounds || bounds[0] !== 0 || bounds[1] !== 6) return undefined;
  const add = privateProducer(clip.inputs[0]!, clip, m);
  if (add?.opType !== 'Add') return undefined;
  const x = operandBeside(add, 3, m);
  return x ? { x, nodes: [add, clip] } : undefined;
}

/**
 * Rewrites every spelled-out HardSigmoid/HardSwish of the main graph (see the file
 * comment). Mutates `model`; returns how many patterns were replaced.
 * Example: `Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(·, 6) → y` becomes
 * `HardSigmoid(x) → Mul(x, ·) → y`.
 */
export function fuseHardSwish(model: Model): number {
  const g = model.graph;
  const m: Matcher = { index: new GraphIndex(g), constants: constantInitializers(g), graph: g };
  const taken = usedNames(g);
  const removed = new Set<Node>();
  const replaced = new Map<Node, Node[]>();
  let count = 0;
  for (const scale of g.nodes) {
    if (!isDefault(scale) || removed.has(scale)) continue;
    const inner = scale.opType === 'Div' ? operandBeside(scale, 6, m) : scale.opType === 'Mul' ? operandBeside(scale, 1 / 6, m) : undefined;
    if (!inner) continue;
    const y = scale.outputs[0]!;
    const hsig = (x: string, out: string): Node => ({
      name: uniqueName(g, `${scale.name}_HardSigmoid`, taken), opType: 'HardSigmoid', domain: '', inputs: [x], outputs: [out],
      attributes: [{ name: 'alpha', value: { kind: 'float', value: 1 / 6 } }, { name: 'beta', value: { kind: 'float', value: 0.5 } }],
    });
    // HardSigmoid: Clip(x + 3, 0, 6) / 6
    const direct = relu6Plus3(inner, scale, m);
    if (direct) {
      for (const n of direct.nodes) removed.add(n);
      replaced.set(scale, [hsig(direct.x, y)]);
      count++;
      continue;
    }
    // HardSwish: (x * Clip(x + 3, 0, 6)) / 6
    const mul = privateProducer(inner, scale, m);
    if (mul?.opType !== 'Mul') continue;
    const [p, q] = mul.inputs as [string, string];
    for (const [c, x] of [[q, p], [p, q]] as const) {
      const r = relu6Plus3(c, mul, m);
      if (!r || r.x !== x) continue;
      const h = uniqueName(g, `${x}_hardsigmoid`, taken);
      for (const n of [...r.nodes, mul]) removed.add(n);
      replaced.set(scale, [hsig(x, h), { name: mul.name, opType: 'Mul', domain: '', inputs: [x, h], outputs: [y], attributes: [] }]);
      g.valueInfo.delete(inner);
      count++;
      break;
    }
  }
  if (!count) return 0;
  g.nodes = g.nodes.flatMap((n) => (removed.has(n) ? [] : replaced.get(n) ?? [n]));
  return count;
}
