/**
 * Folds constant elementwise scaling and shifting that follows a Conv into the Conv:
 * `Conv → Mul(c) → Add(d)` (also Sub and Div by a constant, in any number and order)
 * becomes one Conv with weights `W * c` and bias `b * c + d`, when each constant is a
 * scalar or one value per output channel. Exporters leave such chains behind for
 * learnable affine layers (PP-LCNetV3's "learnable affine blocks", layer scales); left
 * in place, quantization would round the tensor again after every step.
 */
import type { Model, Node } from '../ir/graph.js';
import { usedNames } from '../ir/graphIndex.js';
import type { Tensor } from '../ir/tensor.js';
import { foldChannelAffine, type ChannelAffine } from './foldBatchNorm.js';
import { constantInitializers, dropUnread } from './graphUtil.js';
import { LiveIndex } from './liveIndex.js';

const isDefault = (n: Node) => n.domain === '' || n.domain === 'ai.onnx';

/** Per-channel values of `t` for an output of rank `rank` with `c` channels on axis 1, or undefined. */
function perChannel(t: Tensor, c: number, rank: number): number[] | undefined {
  if (t.dtype !== 'float32') return undefined;
  const v = t.toNumbers();
  if (t.size === 1 && t.dims.length <= rank) return Array(c).fill(v[0]);
  if (t.size !== c || t.dims.length > rank) return undefined;
  const aligned = [...Array(rank - t.dims.length).fill(1), ...t.dims];
  return aligned.every((d, i) => (i === 1 ? d === c : d === 1)) ? v : undefined;
}

/** The affine map of `op` when it applies a per-channel constant to `x`, else undefined. */
function affineOf(op: Node, x: string, constants: Map<string, Tensor>, c: number, rank: number): ChannelAffine | undefined {
  if (!isDefault(op) || op.inputs.length !== 2) return undefined;
  const [a, b] = op.inputs as [string, string];
  const other = a === x ? b : b === x ? a : undefined;
  if (other === undefined || other === x) return undefined;
  const t = constants.get(other);
  const k = t ? perChannel(t, c, rank) : undefined;
  if (!k) return undefined;
  const f = new Float64Array(c).fill(1), shift = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    switch (op.opType) {
      case 'Mul': f[i] = k[i]!; break;
      case 'Add': shift[i] = k[i]!; break;
      case 'Sub': if (a === x) shift[i] = -k[i]!; else { f[i] = -1; shift[i] = k[i]!; } break;
      case 'Div': if (a !== x || k[i] === 0) return undefined; f[i] = 1 / k[i]!; break;
      default: return undefined;
    }
  }
  return { f, shift };
}

/**
 * Folds every constant per-channel Mul/Add/Sub/Div chain after a Conv of the main graph
 * (the Conv's output read only by that node, weights and bias float32 constants).
 * Mutates `model`; returns how many elementwise nodes were removed.
 * Example: `Conv(x, W, b) → Mul(·, 1.38) → Add(·, 0.59) → y` becomes `Conv(x, W', b') → y`.
 */
export function foldConvAffine(model: Model): number {
  const g = model.graph;
  const constants = constantInitializers(g);
  const taken = usedNames(g);
  const removed = new Set<Node>();
  const touched = new Set<string>();
  const index = new LiveIndex(g);
  for (const conv of g.nodes) {
    if (conv.opType !== 'Conv' || !isDefault(conv) || removed.has(conv)) continue;
    const w = constants.get(conv.inputs[1] ?? '');
    if (!w || w.dtype !== 'float32') continue;
    for (;;) {
      const y = conv.outputs[0]!;
      const next = index.soleConsumer(y);
      if (!next || removed.has(next)) break;
      const affine = affineOf(next, y, constants, w.dims[0]!, w.dims.length);
      if (!affine) break;
      const before = [...conv.inputs];
      if (!foldChannelAffine(g, conv, affine, index, constants, taken)) break;
      index.inputsChanged(conv, before);
      for (const i of [...before.slice(1, 3), ...next.inputs]) if (i) touched.add(i);
      for (const i of conv.inputs.slice(1, 3)) constants.set(i, g.initializers.get(i)!);
      g.valueInfo.delete(y);
      index.removeNode(next);
      conv.outputs[0] = next.outputs[0]!;
      index.outputRenamed(conv, y, conv.outputs[0]);
      removed.add(next);
    }
  }
  if (!removed.size) return 0;
  g.nodes = g.nodes.filter((n) => !removed.has(n));
  dropUnread(g, touched);
  return removed.size;
}
