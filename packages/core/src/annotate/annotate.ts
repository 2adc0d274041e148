/**
 * Walks the graph in topological order and lets each op's handler mark tensors.
 * Nodes without a handler, excluded by the user or refused by their handler stay
 * float and are listed with the reason. Before that, Convs whose input channels keep them
 * off onnxruntime's fastest integer kernel are widened in place (see convChannels.ts);
 * the few layout nodes this adds belong to their Conv and are not listed.
 */
import type { Graph } from '../ir/graph.js';
import { GraphIndex, topologicalSort } from '../ir/graphIndex.js';
import { quantSpec, PER_TENSOR, type QuantSpec } from '../spec/quantSpec.js';
import type { Annotation, AnnotateContext, OpHandler, TensorRole } from './annotation.js';
import { isFusableActivation } from './fusable.js';
import { isExcluded } from './selection.js';
import { alignConvInputChannels, channelFillers, CONV_CHANNEL_MULTIPLE, usesSymmetricConvKernel } from './convChannels.js';

/** What annotation needs from the user's options. */
export interface AnnotateConfig {
  handlers: readonly OpHandler[];
  activationSpec: QuantSpec;
  weightSpec: QuantSpec;
  perChannel: boolean;
  opTypes?: readonly string[];
  exclude?: readonly string[];
  /**
   * Widen the input of quantized Convs to a multiple of this many channels (default 4, what
   * onnxruntime's symmetric int8 convolution needs on x86); 1 leaves Convs as they are.
   */
  convChannelMultiple?: number;
}

/** Marks what to quantize in `graph`; may widen Conv inputs first (see `convChannelMultiple`). */
export function annotateGraph(graph: Graph, config: AnnotateConfig): Annotation {
  const byOp = new Map<string, OpHandler>();
  for (const h of config.handlers) for (const t of h.opTypes) byOp.set(t, h);
  const multiple = config.convChannelMultiple ?? CONV_CHANNEL_MULTIPLE;
  if (multiple > 1 && byOp.has('Conv') && (!config.opTypes || config.opTypes.includes('Conv')) && usesSymmetricConvKernel(config.activationSpec, config.weightSpec)) {
    alignConvInputChannels(graph, (conv) => !isExcluded(conv, config.exclude), multiple);
  }
  const index = new GraphIndex(graph);
  const fillers = channelFillers(graph, index);
  const ann: Annotation = { tensors: new Map(), quantized: new Set(), fused: new Set(), float: [] };
  const typeOf = (v: string) => {
    const info = graph.valueInfo.get(v) ?? graph.inputs.find((i) => i.name === v) ?? graph.outputs.find((o) => o.name === v);
    return info?.type?.kind === 'tensor' ? info.type : undefined;
  };
  let pending: Array<[string, TensorRole]> = [];
  const ctx: AnnotateContext = {
    index,
    activationSpec: config.activationSpec,
    weightSpec: (axis) =>
      config.perChannel && axis !== undefined ? quantSpec({ ...config.weightSpec, granularity: { kind: 'perAxis', axis } }) : quantSpec({ ...config.weightSpec, granularity: PER_TENSOR }),
    isConstant: (v) => graph.initializers.has(v),
    dtypeOf: (v) => graph.initializers.get(v)?.dtype ?? typeOf(v)?.dtype,
    rankOf: (v) => graph.initializers.get(v)?.dims.length ?? typeOf(v)?.shape?.length,
    markActivation: (v) => pending.push([v, { kind: 'activation', spec: config.activationSpec }]),
    markWeight: (v, axis) => pending.push([v, { kind: 'weight', spec: ctx.weightSpec(axis) }]),
    markBias: (v, input, weight, axis) => pending.push([v, { kind: 'bias', input, weight, axis }]),
    markShared: (out, source) => pending.push([out, { kind: 'shared', source }]),
    isQuantized: (v) => ann.tensors.has(v),
    outputAfterActivation: (node) => {
      const out = node.outputs[0]!;
      const next = index.soleConsumer(out);
      if (next && isFusableActivation(next, graph) && !isExcluded(next, config.exclude)) {
        ann.fused.add(next);
        return next.outputs[0]!;
      }
      return out;
    },
  };
  for (const node of topologicalSort(graph)) {
    if (ann.fused.has(node) || fillers.has(node)) continue;
    const handler = byOp.get(node.opType);
    if (!handler || node.domain !== '') {
      if (!['Constant', 'Shape'].includes(node.opType)) ann.float.push({ name: node.name, opType: node.opType, reason: node.domain ? `custom domain '${node.domain}'` : 'no quantization rule for this op type' });
      continue;
    }
    if (isExcluded(node, config.exclude)) {
      ann.float.push({ name: node.name, opType: node.opType, reason: 'excluded by user' });
      continue;
    }
    if (config.opTypes && !config.opTypes.includes(node.opType)) {
      ann.float.push({ name: node.name, opType: node.opType, reason: 'op type not selected' });
      continue;
    }
    pending = [];
    const fusedBefore = new Set(ann.fused);
    const reason = handler.annotate(node, ctx);
    if (typeof reason === 'string') {
      for (const f of ann.fused) if (!fusedBefore.has(f)) ann.fused.delete(f);
      ann.float.push({ name: node.name, opType: node.opType, reason });
      continue;
    }
    for (const [v, role] of pending) if (!ann.tensors.has(v) || role.kind === 'weight' || role.kind === 'bias') ann.tensors.set(v, role);
    ann.quantized.add(node);
  }
  return ann;
}
