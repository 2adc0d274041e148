/**
 * Input-channel alignment of quantized 2-D convolutions. onnxruntime's fastest x86 integer
 * convolution (MLAS's symmetric kernel behind QLinearConv, int8 weights with zero point 0)
 * takes only input channel counts that are a multiple of 4; a Conv over 3 channels (an RGB
 * image) falls back to an im2col + GEMM path that makes the first layer of ResNet18 or
 * MobileNetV2 two to three times slower than it needs to be.
 *
 * Alignment widens such a Conv's input to the next multiple: the input is concatenated
 * (Concat on axis 1) with a copy of its first channels (a Gather on axis 1), and the weight
 * gets zero filters for the new channels. The output is unchanged exactly: the extra
 * channels only ever meet zero weights. Gather and Concat are used rather than Pad so that
 * every runtime that runs the quantized graph (qtk's own engine included) runs them too, at
 * any opset. On ResNet18 the first Conv takes about 0.65 ms instead of 1.0-1.3 ms in
 * onnxruntime-node at 2 threads; Gather and Concat add about 0.1 ms.
 *
 * The rewrite happens once, on the float graph that is calibrated; later annotations of a
 * copy recognize the helper nodes (`channelFillers`) and neither quantize nor report them.
 */
import { attrInt, channelGroups, GraphIndex, Tensor, weightName, type Graph, type GraphPreparation, type Node, type QuantSpec } from '@qtk/core';
import { uniqueName, usedNames } from '@qtk/core/internal';

/** The input-channel multiple onnxruntime's symmetric integer convolution kernels need on x86. */
export const CONV_CHANNEL_MULTIPLE = 4;

/**
 * The fewest output channels for which alignment pays off: onnxruntime packs filters in
 * groups of 16 and its AVX2 and AVX-VNNI kernels want a multiple of 8 output channels.
 */
const MIN_OUTPUT_CHANNELS = 16;
const OUTPUT_CHANNEL_ALIGNMENT = 8;

/**
 * Widening adds work in proportion to the added channels; it is done only while that is at
 * most a third (3 → 4, 6 or 7 → 8, 9 → 12 ...): the faster kernel more than repays that, but
 * not the double or quadruple work of 2 → 4 or 1 → 4 channels.
 */
const MAX_EXTRA_WORK = 3;

/**
 * True when the weight and activation specs reach onnxruntime's symmetric convolution:
 * symmetric int8 weights (zero point 0) and 8-bit activations.
 */
export function usesSymmetricConvKernel(activationSpec: QuantSpec, weightSpec: QuantSpec): boolean {
  return weightSpec.dtype === 'int8' && weightSpec.symmetric && (activationSpec.dtype === 'uint8' || activationSpec.dtype === 'int8');
}

/** The Conv's constant 4-D float weight when the node is a plain 2-D, one-group Conv. */
function convWeight(graph: Graph, node: Node): Tensor | undefined {
  if (node.opType !== 'Conv' || node.domain !== '' || channelGroups(node) !== 1) return undefined;
  const name = weightName(node);
  const w = name ? graph.initializers.get(name) : undefined;
  return w && w.dtype === 'float32' && w.dims.length === 4 ? w : undefined;
}

/** True when input channels `from` and up of every filter of `w` are zero. */
function zeroFrom(w: Tensor, from: number): boolean {
  const [o, channels, kh, kw] = w.dims as [number, number, number, number];
  const k = kh * kw;
  const d = w.data as Float32Array;
  for (let f = 0; f < o; f++) for (let i = (f * channels + from) * k; i < (f + 1) * channels * k; i++) if (d[i] !== 0) return false;
  return true;
}

/** The channel count a Gather picks on axis 1 of its input by constant 1-D indices, or undefined. */
function gatheredChannels(graph: Graph, node: Node): number | undefined {
  if (node.opType !== 'Gather' || node.domain !== '') return undefined;
  const axis = attrInt(node, 'axis', 0);
  const indices = node.inputs[1] ? graph.initializers.get(node.inputs[1]) : undefined;
  return (axis === 1 || axis === -3) && indices?.dims.length === 1 && indices.size > 0 ? indices.size : undefined;
}

/**
 * The Gather and Concat nodes that alignment added in front of a Conv: a Concat on axis 1 of
 * the Conv's data input `x` and copies of x (whole, or some of its channels by a Gather)
 * whose only reader is a Conv that gives every copied channel a zero weight. Such nodes
 * move values only to multiply them by zero, so they belong to that Conv.
 */
export function channelFillers(graph: Graph, index: GraphIndex = new GraphIndex(graph)): Set<Node> {
  const out = new Set<Node>();
  for (const conv of graph.nodes) {
    const w = convWeight(graph, conv);
    const widened = conv.inputs[0];
    const cat = widened ? index.producer(widened) : undefined;
    if (!w || !cat || cat.opType !== 'Concat' || cat.domain !== '' || index.soleConsumer(widened!) !== conv) continue;
    const axis = attrInt(cat, 'axis');
    const x = cat.inputs[0];
    if ((axis !== 1 && axis !== -3) || !x || cat.inputs.length < 2) continue;
    let copies = 0;
    let gathered = 0;
    const gathers: Node[] = [];
    for (const v of cat.inputs.slice(1)) {
      if (v === x) { copies++; continue; }
      const s = index.producer(v);
      const n = s && s.inputs[0] === x && index.soleConsumer(v) === cat ? gatheredChannels(graph, s) : undefined;
      if (n === undefined) { gathered = -1; break; }
      gathered += n;
      gathers.push(s!);
    }
    if (gathered < 0) continue;
    // the weight's input channels are c (1 + copies) + gathered, c being those of x
    const c = (w.dims[1]! - gathered) / (1 + copies);
    if (!Number.isInteger(c) || c <= 0 || !zeroFrom(w, c)) continue;
    out.add(cat);
    for (const s of gathers) out.add(s);
  }
  return out;
}

/**
 * Widens, in place, the input of each Conv that `accept` allows and that needs it to the next
 * multiple of `multiple` channels. A Conv needs it when its input channels are not a multiple
 * of `multiple` and widening adds at most a third more, it has at least 16 output channels in
 * a multiple of 8, one group, a 2-D kernel, a constant float weight and a float data input
 * that is not a constant. Returns the Convs it widened.
 */
export function alignConvInputChannels(graph: Graph, accept: (conv: Node) => boolean, multiple = CONV_CHANNEL_MULTIPLE): Node[] {
  if (multiple <= 1) return [];
  const index = new GraphIndex(graph);
  const taken = usedNames(graph);
  const fresh = (base: string) => uniqueName(graph, base, taken);
  const typeOf = (v: string) => {
    const info = graph.valueInfo.get(v) ?? graph.inputs.find((i) => i.name === v);
    return info?.type?.kind === 'tensor' ? info.type : undefined;
  };
  const widened: Node[] = [];
  const before = new Map<Node, Node[]>();
  for (const conv of graph.nodes) {
    const w = convWeight(graph, conv);
    const x = conv.inputs[0];
    if (!w || !x || graph.initializers.has(x)) continue;
    const [o, c] = w.dims as [number, number];
    const extra = (multiple - (c % multiple)) % multiple;
    if (extra === 0 || extra * MAX_EXTRA_WORK > c || o < MIN_OUTPUT_CHANNELS || o % OUTPUT_CHANNEL_ALIGNMENT !== 0) continue;
    const xt = typeOf(x);
    if ((xt && xt.dtype !== 'float32') || (xt?.shape && xt.shape.length !== 4) || !accept(conv)) continue;
    // Other readers of the weight keep the original; this Conv gets its own widened copy.
    const original = weightName(conv)!;
    const wName = index.consumers(original).length === 1 ? original : fresh(`${original}_aligned`);
    graph.initializers.set(wName, widenWeight(w, c + extra));
    // extra < c: the first `extra` channels of x fill the gap
    const indices = fresh(`${conv.name}/ChannelFill_indices`);
    graph.initializers.set(indices, Tensor.int64(Array.from({ length: extra }, (_, i) => i)));
    const copied = fresh(`${x}_first${extra}`);
    const gather: Node = { name: fresh(`${conv.name}/ChannelFill_Gather`), opType: 'Gather', domain: '', inputs: [x, indices], outputs: [copied], attributes: [{ name: 'axis', value: { kind: 'int', value: 1 } }] };
    const xw = fresh(`${x}_aligned${c + extra}`);
    const concat: Node = { name: fresh(`${conv.name}/ChannelFill_Concat`), opType: 'Concat', domain: '', inputs: [x, copied], outputs: [xw], attributes: [{ name: 'axis', value: { kind: 'int', value: 1 } }] };
    if (xt?.shape) graph.valueInfo.set(xw, { name: xw, type: { kind: 'tensor', dtype: 'float32', shape: [xt.shape[0]!, c + extra, xt.shape[2]!, xt.shape[3]!] } });
    conv.inputs = [xw, wName, ...conv.inputs.slice(2)];
    before.set(conv, [gather, concat]);
    widened.push(conv);
  }
  if (before.size) graph.nodes = graph.nodes.flatMap((n) => [...(before.get(n) ?? []), n]);
  return widened;
}

/** `w` [O, C, kh, kw] with zero filters appended up to `channels` input channels. */
function widenWeight(w: Tensor, channels: number): Tensor {
  const [o, c, kh, kw] = w.dims as [number, number, number, number];
  const k = kh * kw;
  const src = w.data as Float32Array;
  const dst = new Float32Array(o * channels * k);
  for (let f = 0; f < o; f++) dst.set(src.subarray(f * c * k, (f + 1) * c * k), f * channels * k);
  return new Tensor('float32', dst, [o, channels, kh, kw]);
}

/**
 * The graph preparation of the onnxruntime backend: widens the input of each Conv that will
 * be quantized (not excluded, op type selected) to a multiple of 4 channels when the specs
 * reach the symmetric kernel; the added Gather and Concat nodes belong to their Conv.
 */
export const convChannelPreparation: GraphPreparation = {
  apply(graph, ctx) {
    if (!usesSymmetricConvKernel(ctx.activationSpec, ctx.weightSpec)) return;
    alignConvInputChannels(graph, (conv) => !ctx.isSkipped(conv));
  },
  addedNodes: (graph, index) => channelFillers(graph, index),
};
