/** Test helpers that read where Q/DQ landed in a quantized model. */
import { GraphIndex, type Model, type Node, type Tensor } from '@qtk/core';

/** The node named `name`; throws when there is none. */
export function nodeNamed(model: Model, name: string): Node {
  const n = model.graph.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node '${name}' in the model`);
  return n;
}

/** The DequantizeLinear that produces `value`, or undefined when `value` is not dequantized. */
export function dequantizerOf(model: Model, value: string): Node | undefined {
  const p = new GraphIndex(model.graph).producer(value);
  return p?.opType === 'DequantizeLinear' ? p : undefined;
}

/** For each input of `node`: true when a DequantizeLinear produces it. */
export function dequantizedInputs(model: Model, node: Node): boolean[] {
  return node.inputs.map((v) => v !== '' && dequantizerOf(model, v) !== undefined);
}

/** Op type of the producer of each input of `node` ('initializer' or 'input' where no node produces it). */
export function inputProducers(model: Model, node: Node): string[] {
  const index = new GraphIndex(model.graph);
  return node.inputs.map((v) => index.producer(v)?.opType ?? (model.graph.initializers.has(v) ? 'initializer' : 'input'));
}

/** The float value a DequantizeLinear reads (its Q's input), or undefined when it dequantizes a constant. */
export function quantizedSource(model: Model, dq: Node): string | undefined {
  const q = new GraphIndex(model.graph).producer(dq.inputs[0]!);
  return q?.opType === 'QuantizeLinear' ? q.inputs[0] : undefined;
}

/** The int8 initializer, scale and axis of the weight DequantizeLinear feeding input `i` of `node`. */
export function weightDequant(model: Model, node: Node, i: number): { values: Tensor; scale: Tensor; axis: number | undefined } {
  const dq = dequantizerOf(model, node.inputs[i]!);
  if (!dq) throw new Error(`input ${i} of '${node.name}' is not dequantized`);
  const values = model.graph.initializers.get(dq.inputs[0]!);
  if (!values) throw new Error(`'${dq.name}' does not read an initializer`);
  const axis = dq.attributes.find((a) => a.name === 'axis');
  return { values, scale: model.graph.initializers.get(dq.inputs[1]!)!, axis: axis?.value.kind === 'int' ? axis.value.value : undefined };
}

/** Every zero point of the model's Q/DQ nodes, by node name (int32 DequantizeLinear without one left out). */
export function zeroPoints(model: Model): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const n of model.graph.nodes) {
    if (n.opType !== 'QuantizeLinear' && n.opType !== 'DequantizeLinear') continue;
    const z = n.inputs[2] ? model.graph.initializers.get(n.inputs[2]) : undefined;
    if (z) out.set(n.name, z.toNumbers());
  }
  return out;
}
