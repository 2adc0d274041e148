/**
 * Graph questions TensorRT's placement rules ask: which Conv an elementwise epilogue belongs
 * to, how far a value lies from a common ancestor, what a value's static shape is.
 */
import type { GraphIndex, Node } from '@qtk/core';

/** Convolutions whose output TensorRT fuses later ops into (epilogue fusion). */
const CONV_OPS: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose']);

/** True when some input of `node` is an initializer. */
export function hasConstantInput(index: GraphIndex, node: Node): boolean {
  return node.inputs.some((v) => v !== '' && index.isConstant(v));
}

/**
 * The ops TensorRT folds into a convolution's epilogue between the Conv and a later op:
 * BatchNormalization, and Add or Mul of a constant (a bias or a per-channel scale).
 */
function isEpilogueStep(index: GraphIndex, node: Node): boolean {
  if (node.domain !== '') return false;
  if (node.opType === 'BatchNormalization') return true;
  return (node.opType === 'Add' || node.opType === 'Mul') && hasConstantInput(index, node);
}

/**
 * The Conv or ConvTranspose whose output reaches `value` through epilogue steps only
 * (BatchNormalization, bias Add, constant Mul; `throughRelu` also lets one Relu pass), each
 * tensor on the way read by one node only, so that the convolution can take the reader of
 * `value` into its epilogue. Undefined when `value` is not such an output.
 * Example: in Conv → BatchNormalization → Add(residual), the Add input from the BN has the Conv.
 */
export function convEpilogueSource(index: GraphIndex, value: string, throughRelu = false): Node | undefined {
  if (index.consumers(value).length !== 1) return undefined;
  let v = value;
  let reluSeen = !throughRelu;
  for (;;) {
    const p = index.producer(v);
    if (!p || p.domain !== '') return undefined;
    if (CONV_OPS.has(p.opType)) return p;
    if (p.opType === 'Relu' && !reluSeen) reluSeen = true;
    else if (!isEpilogueStep(index, p)) return undefined;
    const dataInput = p.inputs.find((i) => i !== '' && !index.isConstant(i));
    if (!dataInput || index.consumers(dataInput).length !== 1) return undefined;
    v = dataInput;
  }
}

/** Smallest number of nodes from `start` back to each of its ancestors (`start` itself at 0). */
export function ancestorDistances(index: GraphIndex, start: Node): Map<Node, number> {
  const dist = new Map<Node, number>([[start, 0]]);
  const queue: Node[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i]!;
    const d = dist.get(n)!;
    for (const v of n.inputs) {
      const p = v ? index.producer(v) : undefined;
      if (p && !dist.has(p)) {
        dist.set(p, d + 1);
        queue.push(p);
      }
    }
  }
  return dist;
}

/**
 * Distances from the producers of `a` and `b` to their lowest common ancestor (the shared
 * ancestor nearest to both); undefined when they share none.
 */
export function distancesToCommonAncestor(index: GraphIndex, a: Node, b: Node): { da: number; db: number; ancestor: Node } | undefined {
  const fromA = ancestorDistances(index, a);
  const fromB = ancestorDistances(index, b);
  let best: { da: number; db: number; ancestor: Node } | undefined;
  for (const [n, da] of fromA) {
    const db = fromB.get(n);
    if (db !== undefined && (!best || da + db < best.da + best.db)) best = { da, db, ancestor: n };
  }
  return best;
}

/** The static shape of `value`: an initializer's dims, or its declared type with `undefined` for every unknown dim. */
export function staticShape(index: GraphIndex, value: string): Array<number | undefined> | undefined {
  const g = index.graph;
  const t = g.initializers.get(value);
  if (t) return [...t.dims];
  const info = g.valueInfo.get(value) ?? g.inputs.find((i) => i.name === value) ?? g.outputs.find((o) => o.name === value);
  if (info?.type?.kind !== 'tensor' || !info.type.shape) return undefined;
  return info.type.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : undefined));
}
