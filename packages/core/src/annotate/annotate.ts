/**
 * Walks the graph in topological order and lets a backend's placement policy mark the
 * tensors of each node. Nodes of op types the policy does not cover, excluded by the user or
 * refused by the policy stay float and are listed with the reason. Nodes that the backend's
 * graph preparation added (`helperNodes`) belong to another node and are not listed.
 */
import type { Graph, Node } from '../ir/graph.js';
import { GraphIndex, topologicalSort } from '../ir/graphIndex.js';
import { quantSpec, PER_TENSOR, type QuantSpec } from '../spec/quantSpec.js';
import type { Annotation, AnnotateContext, TensorRole } from './annotation.js';
import type { PlacementPolicy } from '../backend/backend.js';
import { isFusableActivation } from './fusable.js';
import { isExcluded } from './selection.js';

/** What annotation needs from the user's options. */
export interface AnnotateConfig {
  /** Where to quantize (a backend's `policy`). */
  policy: PlacementPolicy;
  activationSpec: QuantSpec;
  weightSpec: QuantSpec;
  perChannel: boolean;
  opTypes?: readonly string[];
  exclude?: readonly string[];
  /** Nodes that belong to another node (added by the backend's graph preparation): neither annotated nor listed. */
  helperNodes?: (graph: Graph, index: GraphIndex) => ReadonlySet<Node>;
  /** The user's `backendOptions`, handed to the policy as `ctx.backendOptions`. */
  backendOptions?: object;
}

/** Marks what to quantize in `graph` by `config.policy`; the graph is not changed. */
export function annotateGraph(graph: Graph, config: AnnotateConfig): Annotation {
  const covered = new Set(config.policy.opTypes);
  const index = new GraphIndex(graph);
  const fillers = config.helperNodes?.(graph, index) ?? new Set<Node>();
  const ann: Annotation = { tensors: new Map(), quantized: new Set(), fused: new Set(), float: [] };
  const typeOf = (v: string) => {
    const info = graph.valueInfo.get(v) ?? graph.inputs.find((i) => i.name === v) ?? graph.outputs.find((o) => o.name === v);
    return info?.type?.kind === 'tensor' ? info.type : undefined;
  };
  let pending: Array<[string, TensorRole]> = [];
  const ctx: AnnotateContext = {
    index,
    ...(config.backendOptions !== undefined && { backendOptions: config.backendOptions }),
    activationSpec: config.activationSpec,
    weightSpec: (axis) =>
      config.perChannel && axis !== undefined ? quantSpec({ ...config.weightSpec, granularity: { kind: 'perAxis', axis } }) : quantSpec({ ...config.weightSpec, granularity: PER_TENSOR }),
    isConstant: (v) => graph.initializers.has(v),
    dtypeOf: (v) => graph.initializers.get(v)?.dtype ?? typeOf(v)?.dtype,
    rankOf: (v) => graph.initializers.get(v)?.dims.length ?? typeOf(v)?.shape?.length,
    markActivation: (v, readers) => pending.push([v, { kind: 'activation', spec: config.activationSpec, ...(readers && { readers: new Set(readers) }) }]),
    markWeight: (v, axis, options) => pending.push([v, { kind: 'weight', spec: options?.halfRange ? quantSpec({ ...ctx.weightSpec(axis), reduceRange: true }) : ctx.weightSpec(axis) }]),
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
    if (!covered.has(node.opType) || node.domain !== '') {
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
    const reason = config.policy.place(node, ctx);
    if (typeof reason === 'string') {
      for (const f of ann.fused) if (!fusedBefore.has(f)) ann.fused.delete(f);
      ann.float.push({ name: node.name, opType: node.opType, reason });
      continue;
    }
    for (const [v, role] of pending) {
      const old = ann.tensors.get(v);
      if (old?.kind === 'activation' && role.kind === 'activation') {
        // Marks for some readers add up; a mark for every reader covers them all.
        if (old.readers) ann.tensors.set(v, role.readers ? { ...old, readers: new Set([...old.readers, ...role.readers]) } : { kind: 'activation', spec: old.spec });
      } else if (!old || role.kind === 'weight' || role.kind === 'bias') ann.tensors.set(v, role);
    }
    ann.quantized.add(node);
  }
  return ann;
}
