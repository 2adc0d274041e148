/**
 * Test helper: the quantizers of a quantized graph described by structure, so that graphs
 * whose node names differ (NNCF's torchvision exports and @qtk/models' builders) compare.
 * Each compute node gets a structural key: its op type with the keys of the nodes it reads
 * (forward) and of the nodes reading it (backward), interned to small numbers in a table both
 * graphs share. A weight quantizer is named by the key of the op reading the weight; an
 * activation quantizer by the key of the value's producer (or the model input) and the keys
 * of the ops reading the dequantized value. Q/DQ pairs and Constant nodes are not compute nodes.
 */
import type { Model } from '@qtk/core';

/** A data-flow graph of compute nodes with its quantizers, from a .dot file or an ONNX model. */
export interface QuantizedFlow {
  /** Compute nodes: name → op type ('input' for a model input). */
  readonly ops: ReadonlyMap<string, string>;
  /** Data edges between compute nodes (Q/DQ pairs removed). */
  readonly edges: ReadonlyArray<readonly [from: string, to: string]>;
  /** Compute nodes whose value is a model output. */
  readonly outputs: ReadonlySet<string>;
  /** Weight quantizers by the compute node reading the weight. */
  readonly weights: readonly string[];
  /** Activation quantizers: the producing compute node and the compute nodes reading the dequantized value. */
  readonly activations: ReadonlyArray<{ readonly producer: string; readonly readers: readonly string[] }>;
}

/**
 * Parses a quantized-graph .dot file as NNCF's tests write it: nodes `"<id> <name>" [id=.., type=T]`,
 * edges `"a" -> "b" [label=...]`; QuantizeLinear → DequantizeLinear pairs are quantizers (a
 * QuantizeLinear without a producer quantizes a weight), Constant nodes are dropped.
 */
export function parseNncfDot(text: string): QuantizedFlow {
  const types = new Map<string, string>();
  const edges: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const edge = /^"([^"]+)" -> "([^"]+)"/.exec(line);
    if (edge) { edges.push([edge[1]!, edge[2]!]); continue; }
    const node = /^"([^"]+)" \[id=\d+,.*type=([A-Za-z_]+)\];$/.exec(line);
    if (node) types.set(node[1]!, node[2]!);
  }
  const preds = (n: string) => edges.filter(([, b]) => b === n).map(([a]) => a);
  const succs = (n: string) => edges.filter(([a]) => a === n).map(([, b]) => b);
  const ops = new Map<string, string>();
  for (const [n, t] of types) {
    if (t === 'nncf_model_input') ops.set(n, 'input');
    else if (!['QuantizeLinear', 'DequantizeLinear', 'Constant', 'nncf_model_output'].includes(t)) ops.set(n, t);
  }
  /** The compute node whose value reaches `n`'s input through Q/DQ pairs. */
  const source = (n: string): string | undefined => {
    const t = types.get(n);
    if (t === 'QuantizeLinear' || t === 'DequantizeLinear') { const p = preds(n); return p.length ? source(p[0]!) : undefined; }
    return ops.has(n) ? n : undefined;
  };
  const flowEdges: Array<[string, string]> = [];
  const outputs = new Set<string>();
  for (const [a, b] of edges) {
    if (types.get(b) === 'nncf_model_output') { const s = source(a); if (s) outputs.add(s); continue; }
    if (!ops.has(b)) continue;
    const s = source(a);
    if (s) flowEdges.push([s, b]);
  }
  const weights: string[] = [];
  const activations: Array<{ producer: string; readers: string[] }> = [];
  for (const [n, t] of types) {
    if (t !== 'QuantizeLinear') continue;
    const dq = succs(n).find((m) => types.get(m) === 'DequantizeLinear');
    if (!dq) continue;
    const readers = succs(dq).filter((m) => ops.has(m));
    const p = preds(n);
    if (!p.length) weights.push(...readers);
    else activations.push({ producer: source(p[0]!)!, readers });
  }
  return { ops, edges: flowEdges, outputs, weights, activations };
}

/**
 * The data flow of a QDQ ONNX model as qtk writes it: DequantizeLinear of an initializer is a
 * weight quantizer (a constant), QuantizeLinear → DequantizeLinear of a computed value an
 * activation quantizer; the compute nodes read through them.
 */
export function modelFlow(model: Model): QuantizedFlow {
  const g = model.graph;
  const producer = new Map<string, string>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) producer.set(o, n.name);
  const byName = new Map(g.nodes.map((n) => [n.name, n] as const));
  const ops = new Map<string, string>();
  for (const i of g.inputs) if (!g.initializers.has(i.name)) ops.set(`input:${i.name}`, 'input');
  const isQdq = (t: string) => t === 'QuantizeLinear' || t === 'DequantizeLinear';
  for (const n of g.nodes) if (!isQdq(n.opType) && n.opType !== 'Constant') ops.set(n.name, n.opType);
  /** The compute node (or model input) whose value `v` is, through Q/DQ pairs; undefined for constants. */
  const source = (v: string): string | undefined => {
    const p = producer.get(v);
    if (p === undefined) return ops.has(`input:${v}`) ? `input:${v}` : undefined;
    const n = byName.get(p)!;
    if (isQdq(n.opType)) return source(n.inputs[0]!);
    return ops.has(p) ? p : undefined;
  };
  const edges: Array<[string, string]> = [];
  const weights: string[] = [];
  const activations: Array<{ producer: string; readers: string[] }> = [];
  for (const n of g.nodes) {
    if (!ops.has(n.name)) continue;
    for (const v of n.inputs) {
      if (!v) continue;
      const s = source(v);
      if (s) edges.push([s, n.name]);
    }
  }
  for (const n of g.nodes) {
    if (n.opType !== 'DequantizeLinear') continue;
    const readers = g.nodes.filter((m) => ops.has(m.name) && m.inputs.includes(n.outputs[0]!)).map((m) => m.name);
    const q = producer.get(n.inputs[0]!);
    const qNode = q === undefined ? undefined : byName.get(q);
    if (!qNode || qNode.opType !== 'QuantizeLinear') { weights.push(...readers); continue; }
    const s = source(qNode.inputs[0]!);
    if (s) activations.push({ producer: s, readers });
  }
  const outputs = new Set<string>();
  for (const o of g.outputs) { const s = source(o.name); if (s) outputs.add(s); }
  return { ops, edges, outputs, weights, activations };
}

/** Interns structural descriptions as small numbers; share one between the graphs compared. */
export class KeyTable {
  private readonly ids = new Map<string, number>();
  /** The number of `text`, given on first sight. */
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) { id = this.ids.size; this.ids.set(text, id); }
    return id;
  }
}

/** The structural key of every compute node of `flow` (forward and backward), as `f<id>b<id>`. */
export function structuralKeys(flow: QuantizedFlow, table: KeyTable): Map<string, string> {
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const n of flow.ops.keys()) { preds.set(n, []); succs.set(n, []); }
  for (const [a, b] of flow.edges) { preds.get(b)!.push(a); succs.get(a)!.push(b); }
  const memo = (next: Map<string, string[]>, tag: string, extra: (n: string) => string) => {
    const keys = new Map<string, number>();
    const key = (n: string): number => {
      const k = keys.get(n);
      if (k !== undefined) return k;
      const parts = next.get(n)!.map(key).sort((x, y) => x - y);
      const id = table.id(`${tag}:${flow.ops.get(n)}${extra(n)}(${parts.join(',')})`);
      keys.set(n, id);
      return id;
    };
    return key;
  };
  const fwd = memo(preds, 'f', () => '');
  const bwd = memo(succs, 'b', (n) => (flow.outputs.has(n) ? '+out' : ''));
  return new Map([...flow.ops.keys()].map((n) => [n, `f${fwd(n)}b${bwd(n)}`]));
}

/** A quantizer named by structure, with the node names it stands for in its own graph. */
export interface QuantizerSignature {
  readonly signature: string;
  readonly names: string;
}

/** The quantizers of `flow` as structural signatures (weights first, then activations). */
export function quantizerSignatures(flow: QuantizedFlow, keys: ReadonlyMap<string, string>): QuantizerSignature[] {
  const op = (n: string) => `${flow.ops.get(n)}#${keys.get(n)}`;
  return [
    ...flow.weights.map((n) => ({ signature: `weight of ${op(n)}`, names: `weight of ${n}` })),
    ...flow.activations.map((a) => ({
      signature: `output of ${op(a.producer)} read by ${a.readers.map(op).sort().join(' & ')}`,
      names: `output of ${a.producer} read by ${a.readers.join(' & ')}`,
    })),
  ];
}

/** What two sets of signatures share and where they differ (each list names the quantizers by their graph's names). */
export function compareSignatures(reference: readonly QuantizerSignature[], ours: readonly QuantizerSignature[]): { matched: number; onlyReference: string[]; onlyOurs: string[] } {
  const left = new Map<string, QuantizerSignature[]>();
  for (const s of reference) left.set(s.signature, [...(left.get(s.signature) ?? []), s]);
  let matched = 0;
  const onlyOurs: string[] = [];
  for (const s of ours) {
    const l = left.get(s.signature);
    if (l?.length) { l.pop(); matched++; } else onlyOurs.push(s.names);
  }
  const onlyReference = [...left.values()].flat().map((s) => s.names);
  return { matched, onlyReference, onlyOurs };
}
