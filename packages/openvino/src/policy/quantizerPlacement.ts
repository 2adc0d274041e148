/**
 * Where NNCF puts quantizers (its quantizer propagation solver, MERGE_ALL_IN_ONE): each input of
 * an inputs-quantizable fused unit asks for a quantizer; a value whose every reader asks gets one
 * quantizer after its producer, and when that producer is quantization-agnostic (MaxPool, Flatten,
 * Reshape, ...) the request moves on to the producer's input. A value read also by a float op or
 * by the graph output keeps its quantizers on the asking inputs. A lone quantizer at the one
 * activation input of an elementwise op (its other operand constant) is dropped. Weights of the
 * first op of a unit are quantized when the hardware configuration has weight spaces for it.
 */
import { resolveWeight, type Graph, type GraphIndex, type Node } from '@qtk/core';
import type { HardwareConfig } from '../hwConfig/hwOps.js';
import { ELEMENTWISE_OPS, type QuantizationTrait } from '../hwConfig/onnxOps.js';
import { hasQuantizedWeights, quantizationTrait } from '../hwConfig/traits.js';
import { FlowGraph, type Port } from './flowGraph.js';
import { findFusedUnits, inputPreprocessing, type FusedUnit } from './fusedPatterns.js';

/** An activation quantizer: the value it quantizes and the unit heads whose inputs it serves. */
export interface ActivationQuantizer {
  readonly tensor: string;
  /** First ops of the fused units reading the quantized value (through agnostic ops, too). */
  readonly sinks: readonly Node[];
  /**
   * The inputs NNCF puts this quantizer on when not every reader of `tensor` is quantized
   * (one quantizer per input); empty when it sits right after the producer for every reader.
   */
  readonly ports: readonly Port[];
}

/** A weight quantizer: the constant input `input` of `node`, per channel along `axis` when there is one. */
export interface WeightQuantizer {
  readonly node: Node;
  readonly input: number;
  readonly tensor: string;
  readonly axis: number | undefined;
}

/** What placement decided for one graph. */
export interface Placement {
  readonly activations: readonly ActivationQuantizer[];
  readonly weights: readonly WeightQuantizer[];
  /** Each run-time node's fused unit. */
  readonly units: ReadonlyMap<Node, FusedUnit>;
  /** Why a node's unit runs float or is left as it is, for nodes not quantized. */
  readonly reasons: ReadonlyMap<Node, string>;
}

/** What placement reads besides the graph. */
export interface PlacementConfig {
  readonly hardware: HardwareConfig;
  /** Nodes NNCF leaves float (the ignored scope, and the model type's own rules), with why. */
  readonly ignored: ReadonlyMap<Node, string>;
  /** The known dtype of a value (undefined when unknown: taken as float). */
  dtypeOf(value: string): string | undefined;
}

/** A request for a quantizer at one input, with the unit heads it serves and whether it moved through an agnostic op. */
interface Request {
  readonly port: Port;
  readonly sinks: Set<Node>;
  readonly propagated: boolean;
}

/** The quantizers NNCF places in `graph` under `config` (see the module comment). */
export function placeQuantizers(graph: Graph, index: GraphIndex, config: PlacementConfig): Placement {
  const flow = new FlowGraph(graph, index);
  const units = findFusedUnits(flow);
  const inputUnits = new Set<FusedUnit>();
  for (const input of graph.inputs) {
    if (graph.initializers.has(input.name)) continue;
    const pre = inputPreprocessing(flow, input.name);
    if (!pre || pre.some((n) => units.get(n)!.nodes.length > 1)) continue;
    const unit: FusedUnit = { nodes: pre, head: pre[0]!, tail: pre[pre.length - 1]!, pattern: 'input_processing' };
    for (const n of pre) units.set(n, unit);
    inputUnits.add(unit);
  }
  const reasons = new Map<Node, string>();
  const traitOf = (u: FusedUnit): QuantizationTrait => {
    if (config.ignored.has(u.head) || inputUnits.has(u)) return 'non-quantizable';
    return quantizationTrait(u.head, graph, config.hardware);
  };
  const isFloat = (v: string) => { const t = config.dtypeOf(v); return t === undefined || t === 'float32' || t === 'float16'; };

  // Requests at the inputs of inputs-quantizable units (the head's run-time inputs).
  const requests = new Map<string, Request[]>();
  const ask = (tensor: string, r: Request) => { const l = requests.get(tensor) ?? []; l.push(r); requests.set(tensor, l); };
  const asked = new Map<Node, number>();
  for (const n of flow.nodes) {
    const u = units.get(n)!;
    if (u.head !== n) continue;
    const trait = traitOf(u);
    if (trait !== 'inputs-quantizable') {
      reasons.set(n, config.ignored.get(n) ?? (inputUnits.has(u) ? 'fused with the model input (input preprocessing)' : `${trait} in NNCF's ${config.hardware.device} configuration`));
      continue;
    }
    const ports = n.opType === 'Attention' ? [0, 1] : undefined;
    let count = 0;
    for (const [input, v] of flow.liveInputs(n)) {
      if (ports && !ports.includes(input)) continue;
      if (!isFloat(v)) continue;
      ask(v, { port: { node: n, input }, sinks: new Set([n]), propagated: false });
      count++;
    }
    asked.set(n, count);
  }

  // Requests move up, consumers before producers; a value settles its quantizers when they stop.
  const settled: Array<{ tensor: string; sinks: Set<Node>; ports: Port[]; propagated: boolean }> = [];
  const readPorts = (v: string): Port[] => flow.readers(v).filter((p) => units.get(p.node)!.head === p.node);
  const settle = (v: string) => {
    const rs = requests.get(v);
    if (!rs?.length) return;
    const readers = readPorts(v);
    const all = !flow.isGraphOutput(v) && readers.every((p) => rs.some((r) => r.port.node === p.node && r.port.input === p.input));
    if (!all) {
      for (const r of rs) settled.push({ tensor: v, sinks: r.sinks, ports: [r.port], propagated: r.propagated });
      return;
    }
    const sinks = new Set(rs.flatMap((r) => [...r.sinks]));
    const producer = flow.producer(v);
    const pu = producer && units.get(producer);
    const through = pu && pu.nodes.length === 1 && traitOf(pu) === 'agnostic' ? flow.liveInputs(producer!).filter(([, x]) => isFloat(x)) : [];
    if (through.length === 1 && producer!.outputs.filter((o) => o).length === 1) {
      const [input, x] = through[0]!;
      ask(x, { port: { node: producer!, input }, sinks, propagated: true });
      return;
    }
    settled.push({ tensor: v, sinks, ports: [], propagated: rs.length > 1 || rs.some((r) => r.propagated) });
  };
  for (const n of [...flow.nodes].reverse()) for (const o of n.outputs) if (o) settle(o);
  for (const input of graph.inputs) settle(input.name);

  // NNCF drops a lone, unmoved quantizer at the one activation input of an elementwise op.
  const activations: ActivationQuantizer[] = settled
    .filter((q) => !(q.sinks.size === 1 && !q.propagated && ELEMENTWISE_OPS.has([...q.sinks][0]!.opType) && asked.get([...q.sinks][0]!) === 1))
    .map((q) => ({ tensor: q.tensor, sinks: [...q.sinks], ports: q.ports }));

  const weights: WeightQuantizer[] = [];
  const seen = new Set<string>();
  for (const n of flow.nodes) {
    const u = units.get(n)!;
    if (u.head !== n || config.ignored.has(n) || inputUnits.has(u) || !hasQuantizedWeights(n, graph, config.hardware)) continue;
    const w = weightOf(n, graph);
    if (!w || seen.has(w.tensor)) continue;
    seen.add(w.tensor);
    weights.push({ node: n, ...w });
  }
  return { activations, weights, units, reasons };
}

/** The constant float weight of `node` with its channel axis: Conv's input 1, a constant MatMul/Gemm operand, an embedding table. */
function weightOf(node: Node, graph: Graph): { input: number; tensor: string; axis: number | undefined } | undefined {
  const candidates = node.opType === 'MatMul' || node.opType === 'Gemm' ? [1, 0] : node.opType === 'Gather' ? [0] : [1];
  for (const input of candidates) {
    const tensor = node.inputs[input];
    const t = tensor ? graph.initializers.get(tensor) : undefined;
    if (!t || t.dtype !== 'float32') continue;
    const resolved = resolveWeight(node, t.dims.length);
    const axis = resolved && resolved.input === input ? resolved.channelAxis : undefined;
    return { input, tensor: tensor!, axis };
  }
  return undefined;
}
