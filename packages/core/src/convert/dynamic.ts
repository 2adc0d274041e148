/**
 * Dynamic quantization: weights become integers ahead of time, activations are
 * quantized at run time by DynamicQuantizeLinear (uint8):
 *   MatMul/Gemm: MatMulInteger(x:u8, w:weightType) → Cast → Mul(x_scale × w_scale[n]) (+ bias)
 *   Conv:        ConvInteger(x:u8, w) → Cast → Mul(x_scale × w_scale[m]) (+ bias)
 * ConvInteger takes scalar zero points only, so Conv weights are symmetric with per-channel
 * scales applied after; their type is `weightType` unless a DynamicWriter names the one type
 * its runtime's ConvInteger takes (uint8 around 128 for onnxruntime).
 * Every graph is converted, If/Loop/Scan bodies included; a body's weight may be its own
 * initializer or one of an enclosing graph, and its integer form goes next to the float one.
 */
import type { Model, Node } from '../ir/graph.js';
import { GraphIndex, topologicalSort } from '../ir/graphIndex.js';
import { graphScopes, scopeConstant, scopeField, type GraphScope } from '../ir/scopes.js';
import { Tensor } from '../ir/tensor.js';
import { computeQParams } from '../quant/qparams.js';
import { quantizeTensor } from '../quant/quantize.js';
import { channelMinMax } from '../observers/minmax.js';
import type { OnePassResult } from '../pipeline/types.js';
import { ModelEditor } from './modelEditor.js';
import { defaultDomainOpset } from './qdqOps.js';
import { transpose2d } from '../transforms/tensorOps.js';
import { isExcluded } from '../annotate/selection.js';
import { biasName, linearFormProblem, resolveWeight, weightName } from '../opContracts/index.js';

/** Op types dynamic mode quantizes. */
export const DYNAMIC_OP_TYPES: readonly string[] = ['MatMul', 'Gemm', 'Conv'];

/** Options of the dynamic conversion. */
export interface DynamicOptions {
  perChannel: boolean;
  weightType: 'int8' | 'uint8';
  opTypes?: readonly string[];
  exclude?: readonly string[];
}

/** A runtime's choices for the integer forms of dynamic mode. */
export interface DynamicWriter {
  /** Short name shown in reports. */
  readonly name: string;
  /** The one weight type the runtime's ConvInteger takes, when it takes only one. */
  readonly convIntegerWeightType?: 'int8' | 'uint8';
}

/**
 * Rewrites eligible MatMul, Gemm and Conv nodes of every graph in place, with `writer`'s
 * ConvInteger weight type when it names one; returns quantized and float nodes.
 */
export function convertDynamic(model: Model, options: DynamicOptions, writer?: DynamicWriter): OnePassResult {
  const edit = new ModelEditor(model);
  const result: OnePassResult = { quantized: [], float: [] };
  const opset = defaultDomainOpset(model);
  for (const scope of graphScopes(model)) convertGraph(scope, edit, options, opset, result, writer?.convIntegerWeightType);
  edit.finish();
  return result;
}

/** Converts the nodes of one graph; new weights go to the scope owning the float weight. */
function convertGraph(scope: GraphScope, edit: ModelEditor, options: DynamicOptions, opset: number, result: OnePassResult, convWeightType?: 'int8' | 'uint8'): void {
  const g = scope.graph;
  const index = new GraphIndex(g);
  const ed = edit.editor(g);
  const dynQ = new Map<string, { q: string; s: string; z: string }>();

  const quantizeInput = (x: string): { q: string; s: string; z: string } => {
    let r = dynQ.get(x);
    if (!r) {
      r = { q: ed.name(`${x}_quantized`), s: ed.name(`${x}_scale`), z: ed.name(`${x}_zero_point`) };
      ed.node(index.producer(x) ?? null, 'DynamicQuantizeLinear', [x], [r.q, r.s, r.z]);
      dynQ.set(x, r);
    }
    return r;
  };

  for (const node of topologicalSort(g)) {
    const supported = DYNAMIC_OP_TYPES.includes(node.opType) && node.domain === '';
    if (!supported) continue;
    const why = reject(node, scope, options, opset);
    if (why) { result.float.push({ name: node.name, opType: node.opType, reason: why, ...scopeField(scope) }); continue; }
    const wName = weightName(node)!;
    const weight = scopeConstant(scope, wName)!;
    const wEd = edit.editor(weight.owner.graph);
    const w = weight.tensor;
    const isConv = node.opType === 'Conv';
    const layout = resolveWeight(node, w.dims.length)!;
    // Weight in the layout the integer op takes: [K, N] for MatMulInteger (channels on axis 1), the Conv layout for ConvInteger.
    const wMat = !isConv && layout.reductionAxis !== 0 ? transpose2d(w) : w;
    const axis = options.perChannel ? (isConv ? layout.channelAxis : 1) : undefined;
    const { min, max } = channelMinMax(wMat, axis);
    const wType = isConv ? convWeightType ?? options.weightType : options.weightType;
    const { scale, zeroPoint } = computeQParams(min, max, { dtype: wType, symmetric: true });
    const zp = new Int32Array(scale.length).fill(zeroPoint[0]!);
    const wq = wEd.constant(`${wName}_quantized`, quantizeTensor(wMat, scale, zp, wType, { axis }));
    const wz = wEd.constant(`${wName}_zero_point`, Tensor.scalar(wType, zeroPoint[0]!));
    const x = quantizeInput(node.inputs[0]!);
    const out = node.outputs[0]!;
    const acc = ed.name(`${out}_int32`);
    if (isConv) {
      const attrs = node.attributes.filter((a) => ['kernel_shape', 'pads', 'strides', 'dilations', 'group', 'auto_pad'].includes(a.name));
      ed.node(node, 'ConvInteger', [x.q, wq, x.z, wz], [acc], attrs, '', `${node.name}_quant`);
    } else {
      ed.node(node, 'MatMulInteger', [x.q, wq, x.z, wz], [acc], [], '', `${node.name}_quant`);
    }
    const accF = ed.name(`${out}_float`);
    ed.node(node, 'Cast', [acc], [accF], [{ name: 'to', value: { kind: 'int', value: 1 } }]);
    const shape = isConv ? [1, scale.length, ...Array(wMat.dims.length - 2).fill(1)] : [scale.length];
    const ws = wEd.constant(`${wName}_scale`, new Tensor('float32', Float32Array.from(scale), scale.length > 1 ? shape : []));
    const sxw = ed.name(`${out}_scale`);
    ed.node(node, 'Mul', [x.s, ws], [sxw]);
    const bias = biasName(node);
    const scaledOut = bias ? ed.name(`${out}_scaled`) : out;
    ed.node(node, 'Mul', [accF, sxw], [scaledOut]);
    if (bias) {
      const b = scopeConstant(scope, bias);
      const bName = isConv && b
        ? edit.editor(b.owner.graph).constant(`${bias}_reshaped`, new Tensor(b.tensor.dtype, b.tensor.data, [1, b.tensor.size, ...Array(wMat.dims.length - 2).fill(1)]))
        : bias;
      ed.node(node, 'Add', [scaledOut, bName], [out]);
    }
    edit.remove(node);
    edit.release(node.inputs.slice(1));
    result.quantized.push({ name: node.name, opType: node.opType, ...scopeField(scope) });
  }
}

function reject(node: Node, scope: GraphScope, o: DynamicOptions, opset: number): string | undefined {
  const constant = (name: string | undefined) => (name ? scopeConstant(scope, name)?.tensor : undefined);
  if (isExcluded(node, o.exclude)) return 'excluded by user';
  if (o.opTypes && !o.opTypes.includes(node.opType)) return 'op type not selected';
  if (opset < 11) return `opset ${opset} has no DynamicQuantizeLinear (needs 11)`;
  const w = constant(weightName(node));
  if (!w) return 'weight is not a constant';
  if (w.dtype !== 'float32') return `weight is ${w.dtype}`;
  if (node.opType === 'MatMul' && w.dims.length !== 2) return `weight of rank ${w.dims.length} (needs 2)`;
  const form = linearFormProblem(node);
  if (form) return form;
  if (node.opType === 'Conv' && w.dims.length !== 3 && w.dims.length !== 4) return `Conv of rank ${w.dims.length} (ConvInteger is used for 1-D and 2-D Conv)`;
  const b = biasName(node);
  if (b && !constant(b)) return 'bias is not a constant';
  return undefined;
}
