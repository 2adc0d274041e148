/**
 * The OpenVINO backend's placement policy: NNCF's placement (fused patterns, hardware
 * configuration, quantizer propagation) computed once per annotated graph, then handed out
 * node by node: the first op of a fused unit marks the unit's weight and the activation
 * quantizers it reads, the other ops of a quantized unit run fused with it. A quantizer NNCF
 * puts on some inputs of a value only (the other readers float) is marked for those readers.
 */
import { type AnnotateContext, type GraphIndex, type Node, type PlacementPolicy } from '@qtk/core';
import { HARDWARE_CONFIGS } from '../hwConfig/hwOps.js';
import { ELEMENTWISE_OPS, PLACEMENT_OP_TYPES } from '../hwConfig/onnxOps.js';
import { ignoredNodes } from '../ignoredScope/ignoredScope.js';
import { overflowFixWeights } from '../overflowFix/overflowFix.js';
import { overflowFixFor } from '../overflowFix/scheme.js';
import { resolveOpenvinoOptions, type OpenvinoBackendOptions } from './backendOptions.js';
import { FlowGraph } from './flowGraph.js';
import { placeQuantizers, type Placement } from './quantizerPlacement.js';
import { transformerFloatNodes } from './transformerRules.js';

/** A placement with what each unit head marks. */
interface HeadMarks {
  readonly placement: Placement;
  /** Per unit head: the values it reads quantized, and the readers of each when not every reader is quantized. */
  readonly activations: ReadonlyMap<Node, ReadonlyArray<{ tensor: string; readers?: readonly Node[]; unifiedWith?: string }>>;
  readonly weights: ReadonlyMap<Node, { tensor: string; axis: number | undefined; halfRange: boolean }>;
}

/** Placements by the graph index annotation made (one per annotated copy of the model). */
const PLACEMENTS = new WeakMap<GraphIndex, HeadMarks>();

/** NNCF's placement for the graph of `ctx.index` under the user's backend options (computed on first use). */
export function placementFor(ctx: AnnotateContext<OpenvinoBackendOptions>): Placement {
  return marksFor(ctx).placement;
}

function marksFor(ctx: AnnotateContext<OpenvinoBackendOptions>): HeadMarks {
  const cached = PLACEMENTS.get(ctx.index);
  if (cached) return cached;
  const options = resolveOpenvinoOptions(ctx.backendOptions);
  const overflowFix = overflowFixFor(ctx.backendOptions, options, ctx.activationSpec, ctx.weightSpec(undefined));
  const graph = ctx.index.graph;
  const ignored = new Map<Node, string>();
  if (options.modelType === 'transformer') for (const [n, why] of transformerFloatNodes(new FlowGraph(graph, ctx.index))) ignored.set(n, why);
  // The user's ignored scope wins over the model type's rules (as in NNCF).
  for (const [n, why] of ignoredNodes(graph, options.ignoredScope)) ignored.set(n, why);
  const placement = placeQuantizers(graph, ctx.index, { hardware: HARDWARE_CONFIGS[options.targetDevice], ignored, dtypeOf: (v) => ctx.dtypeOf(v) });
  const activations = new Map<Node, Array<{ tensor: string; readers?: readonly Node[]; unifiedWith?: string }>>();
  const add = (s: Node, mark: { tensor: string; readers?: readonly Node[]; unifiedWith?: string }) => activations.set(s, [...(activations.get(s) ?? []), mark]);
  // A Concat's output is calibrated for the scale its inputs share, and read by no Q/DQ (no readers).
  for (const u of placement.unified) for (const s of u.sinks) add(s, { tensor: u.output, readers: [] });
  for (const q of placement.activations) {
    const mark = { tensor: q.tensor, ...(q.ports.length && { readers: q.ports.map((p) => p.node) }), ...(q.unifiedWith !== undefined && { unifiedWith: q.unifiedWith }) };
    for (const s of q.sinks) add(s, mark);
  }
  const halved = overflowFixWeights(graph, ctx.index, placement.weights, overflowFix);
  const weights = new Map(placement.weights.map((w) => [w.node, { tensor: w.tensor, axis: w.axis, halfRange: halved.has(w) }] as const));
  const marks = { placement, activations, weights };
  PLACEMENTS.set(ctx.index, marks);
  return marks;
}

/** The placement policy of the OpenVINO backend (see the module comment). */
export const openvinoPolicy: PlacementPolicy<OpenvinoBackendOptions> = {
  opTypes: PLACEMENT_OP_TYPES,
  place(node: Node, ctx: AnnotateContext<OpenvinoBackendOptions>): string | void {
    const marks = marksFor(ctx);
    const unit = marks.placement.units.get(node);
    if (!unit) return 'computed from constants only';
    const head = unit.head;
    const acts = marks.activations.get(head) ?? [];
    const weight = marks.weights.get(head);
    if (!acts.length && !weight) {
      if (node !== head) return `fused with '${head.name}' (${unit.pattern}), which stays float`;
      const reason = marks.placement.reasons.get(head);
      if (reason) return reason;
      return ELEMENTWISE_OPS.has(head.opType)
        ? 'elementwise op with one activation input: NNCF places no quantizer for it'
        : 'no float activation input to quantize';
    }
    if (node !== head) return undefined;
    for (const a of acts) {
      if (a.unifiedWith !== undefined) ctx.markShared(a.tensor, a.unifiedWith);
      else ctx.markActivation(a.tensor, a.readers);
    }
    if (weight) ctx.markWeight(weight.tensor, weight.axis, weight.halfRange ? { halfRange: true } : undefined);
    return undefined;
  },
};
