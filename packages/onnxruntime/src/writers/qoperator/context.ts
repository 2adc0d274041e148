/**
 * What a QOperator rule sees of the graph: the DequantizeLinear feeding a value, the
 * QuantizeLinear reading a node's output (through a Relu/Clip the output range already
 * covers), constants, declared types, and fresh names for new initializers.
 */
import { attrFloat, type Model, type Node, GraphIndex, Tensor, intRange, type DType, roundHalfToEven } from '@qtk/core';
import { GraphEditor, constantNodeValue } from '@qtk/core/internal';
import { useMicrosoftDomain } from '../qdqDomains.js';
import { isDequantizeNode, isPerTensor, isQuantizeNode, readQuantParams, type QuantParams } from './quantParams.js';

/** A float value computed by DequantizeLinear from an integer value. */
export interface Dequantized {
  node: Node;
  /** The integer value the DequantizeLinear reads. */
  value: string;
  params: QuantParams;
}

/** The QuantizeLinear that turns a node's output back into integers. */
export interface QuantizedOutput {
  node: Node;
  /** The integer value the QuantizeLinear writes (the rewritten node writes it instead). */
  value: string;
  params: QuantParams;
  /** Nodes between the op and the QuantizeLinear that the rewrite drops (a fused Relu/Clip). */
  fused: Node[];
}

/** Graph access shared by the QOperator rules during one conversion. */
export class RewriteContext {
  readonly index: GraphIndex;
  readonly editor: GraphEditor;
  /** Version of the default ONNX domain the model imports. */
  readonly opset: number;

  constructor(readonly model: Model) {
    this.index = new GraphIndex(model.graph);
    this.editor = new GraphEditor(model.graph);
    this.opset = model.opsetImports.get('') ?? model.opsetImports.get('ai.onnx') ?? 0;
  }

  /** The constant tensor behind `value` (initializer or Constant node), if any. */
  constant(value: string): Tensor | undefined {
    const init = this.model.graph.initializers.get(value);
    if (init) return init;
    const p = this.index.producer(value);
    return p ? constantNodeValue(p) : undefined;
  }

  /** The element type of `value` when an initializer or a declaration states it. */
  dtypeOf(value: string): DType | undefined {
    const g = this.model.graph;
    const c = this.constant(value);
    if (c) return c.dtype;
    const info = g.valueInfo.get(value) ?? g.inputs.find((v) => v.name === value) ?? g.outputs.find((v) => v.name === value);
    return info?.type?.kind === 'tensor' ? info.type.dtype : undefined;
  }

  /** The DequantizeLinear producing `value`; a reason when it exists but its parameters are not constant; undefined otherwise. */
  dequantized(value: string): Dequantized | string | undefined {
    const node = value ? this.index.producer(value) : undefined;
    if (!node || !isDequantizeNode(node)) return undefined;
    const params = readQuantParams(node, (v) => this.constant(v), this.dtypeOf(node.inputs[0]!));
    return typeof params === 'string' ? params : { node, value: node.inputs[0]!, params };
  }

  /**
   * The QuantizeLinear that is the only reader of `node.outputs[i]`, possibly through a
   * Relu or Clip whose bounds the quantized range already enforces. Undefined when the
   * output is read as float (other readers, a graph output, no QuantizeLinear); a reason
   * when a Relu/Clip sits between that the range does not cover.
   */
  quantizedOutput(node: Node, i = 0): QuantizedOutput | string | undefined {
    let value = node.outputs[i];
    if (!value) return undefined;
    const fused: Node[] = [];
    let next = this.index.soleConsumer(value);
    if (next && (next.opType === 'Relu' || next.opType === 'Clip') && next.domain === '' && next.inputs[0] === value) {
      fused.push(next);
      value = next.outputs[0]!;
      next = this.index.soleConsumer(value);
    }
    if (!next || !isQuantizeNode(next) || next.inputs[0] !== value) return undefined;
    const params = readQuantParams(next, (v) => this.constant(v));
    if (typeof params === 'string') return params;
    for (const act of fused) {
      const why = this.uncoveredBounds(act, params);
      if (why) return why;
    }
    return { node: next, value: next.outputs[0]!, params, fused };
  }

  /** Why quantizing to `q` does not already apply `act` (a Relu or Clip); undefined when it does. */
  uncoveredBounds(act: Node, q: QuantParams): string | undefined {
    if (!isPerTensor(q)) return `'${act.name}' is followed by per-axis quantization`;
    let lo = 0;
    let hi = Infinity;
    if (act.opType === 'Clip') {
      const bound = (k: number, attr: string, fallback: number): number | undefined => {
        const name = act.inputs[k];
        if (name) {
          const t = this.constant(name);
          return t && t.size === 1 ? t.get(0) : undefined;
        }
        return attrFloat(act, attr, fallback);
      };
      const l = bound(1, 'min', -Infinity);
      const h = bound(2, 'max', Infinity);
      if (l === undefined || h === undefined) return `Clip '${act.name}' has non-constant bounds`;
      lo = l;
      hi = h;
    }
    const [qmin, qmax] = intRange(q.dtype);
    const s = q.scales[0]!;
    const z = q.zeroPoints[0]!;
    const qLo = lo === -Infinity ? -Infinity : roundHalfToEven(lo / s) + z;
    const qHi = hi === Infinity ? Infinity : roundHalfToEven(hi / s) + z;
    if (qLo > qmin || qHi < qmax) return `${act.opType} '${act.name}' clips inside the quantized range of '${act.outputs[0]}'`;
    return undefined;
  }

  /** The zero-point input for `p`: its own, or a new all-zero constant shaped like the scale. */
  zeroPointInput(p: QuantParams): string {
    if (p.zeroPoint) return p.zeroPoint;
    const dims = p.axis === undefined ? [] : [p.scales.length];
    return this.editor.constant(`${p.scale}_zero`, Tensor.zeros(p.dtype, dims));
  }

  /** Adds the com.microsoft opset import the contrib QLinear ops need. */
  useContribDomain(): void {
    useMicrosoftDomain(this.model);
  }
}
