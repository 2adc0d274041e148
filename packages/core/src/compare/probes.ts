/**
 * Which tensors a comparison fetches. Quantization keeps node output names, so a node
 * of the candidate is matched to the reference by the name of its first output. The
 * compared candidate value is the one its consumers read: when the output passes
 * through QuantizeLinear → DequantizeLinear, the DequantizeLinear output.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Model, Node } from '../ir/graph.js';
import { GraphIndex, topologicalSort } from '../ir/graphIndex.js';

/** A reference tensor and the candidate tensor compared with it. */
export interface TensorPair {
  reference: string;
  candidate: string;
}

/** What is compared for one node of the candidate. */
export interface NodeProbe {
  node: string;
  opType: string;
  /** Position in the candidate's topological order, Q/DQ nodes not counted. */
  order: number;
  /** The node's first output, as its consumers read it. */
  output: TensorPair;
  /**
   * The activations the node reads, as their producers output them. A graph input is
   * paired with itself (exact): quantizing it is charged to the node that reads it.
   */
  inputs: TensorPair[];
}

/** Everything one comparison fetches. */
export interface ProbePlan {
  nodes: NodeProbe[];
  /** Graph outputs, matched by name. */
  outputs: TensorPair[];
  /** Candidate nodes touched by quantization whose output the reference lacks. */
  unmatched: Array<{ node: string; opType: string; tensor: string }>;
}

const QDQ_OPS = new Set(['QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear']);

/**
 * The value consumers of `v` read: the output of DequantizeLinear(QuantizeLinear(v))
 * when `v` is quantized there, else `v` itself.
 */
function readValue(index: GraphIndex, v: string): string {
  for (const q of index.consumers(v)) {
    if (q.opType !== 'QuantizeLinear' || q.inputs[0] !== v) continue;
    const dq = index.consumers(q.outputs[0]!).find((d) => d.opType === 'DequantizeLinear');
    if (dq) return dq.outputs[0]!;
  }
  return v;
}

/** Values the reference computes or takes: graph inputs and node outputs. */
function referenceValues(m: Model): Set<string> {
  const g = m.graph;
  const names = new Set<string>(g.inputs.filter((v) => !g.initializers.has(v.name)).map((v) => v.name));
  for (const n of g.nodes) for (const o of n.outputs) if (o) names.add(o);
  return names;
}

/**
 * Pairs the candidate's quantization-touched nodes and graph outputs with the reference.
 * A node counts when it is no Q/DQ op and reads other tensors than the reference node
 * of the same output (a DequantizeLinear output, say), has another op type, or has its
 * output quantized. Throws E_GRAPH when a reference output is missing from the candidate.
 */
export function planProbes(reference: Model, candidate: Model): ProbePlan {
  const refValues = referenceValues(reference);
  const refIndex = new GraphIndex(reference.graph);
  const cg = candidate.graph;
  const index = new GraphIndex(cg);
  const graphInputs = new Set(cg.inputs.map((v) => v.name));

  const candidateOutputs = new Set(cg.outputs.map((o) => o.name));
  const outputs: TensorPair[] = [];
  for (const o of reference.graph.outputs) {
    if (!candidateOutputs.has(o.name)) {
      throw new QtkError('E_GRAPH', `the candidate model has no output '${o.name}' (its outputs: ${[...candidateOutputs].join(', ')})`, { tensor: o.name });
    }
    outputs.push({ reference: o.name, candidate: o.name });
  }

  const asRead = (v: string) => readValue(index, v);
  const refAsRead = (v: string) => readValue(refIndex, v);
  /** The float value behind DequantizeLinear(QuantizeLinear(x)), or undefined for constants. */
  const sourceOf = (v: string): string | undefined => {
    const dq = index.producer(v);
    if (dq?.opType !== 'DequantizeLinear') return v;
    const qv = dq.inputs[0]!;
    if (cg.initializers.has(qv)) return undefined;
    const q = index.producer(qv);
    return q?.opType === 'QuantizeLinear' ? q.inputs[0] : undefined;
  };
  const touched = (n: Node): boolean => {
    const out = n.outputs[0]!;
    if (asRead(out) !== out) return true;
    const ref = refIndex.producer(out);
    if (!ref || ref.opType !== n.opType) return true;
    return ref.inputs.length !== n.inputs.length || ref.inputs.some((r, i) => r !== n.inputs[i]);
  };

  const nodes: NodeProbe[] = [];
  const unmatched: ProbePlan['unmatched'] = [];
  let order = 0;
  for (const n of topologicalSort(cg)) {
    if (QDQ_OPS.has(n.opType) || !n.outputs[0]) continue;
    const position = order++;
    if (!touched(n)) continue;
    const out = n.outputs[0];
    if (!refValues.has(out)) {
      unmatched.push({ node: n.name, opType: n.opType, tensor: out });
      continue;
    }
    const inputs: TensorPair[] = [];
    for (const i of n.inputs) {
      if (!i || cg.initializers.has(i)) continue;
      const src = sourceOf(i);
      if (src === undefined || !refValues.has(src)) continue;
      inputs.push(graphInputs.has(src) ? { reference: src, candidate: src } : { reference: refAsRead(src), candidate: i });
    }
    nodes.push({ node: n.name, opType: n.opType, order: position, output: { reference: refAsRead(out), candidate: asRead(out) }, inputs });
  }
  return { nodes, outputs, unmatched };
}
