/**
 * Weight-only quantization: weights become 4-bit or 8-bit codes, activations stay float.
 *
 * Uniform scheme, target 'onnxruntime' (default):
 *   MatMul with a constant 2-D weight, Gemm (transA=0, alpha=beta=1, constant 1-D bias)
 *     → com.microsoft MatMulNBits
 *   Gather (axis 0) of a constant 2-D table → com.microsoft GatherBlockQuantized
 *   Conv, and whatever the above cannot take → blocked DequantizeLinear in front of the op
 * Uniform scheme, target 'standard': blocked DequantizeLinear (ONNX opset 21; the model's
 *   opset is raised when that keeps every op's meaning, see qdqOps.ts) in front of every op.
 * Schemes 'log2' and 'codebook' (either target): uint8 codes plus a float table expanded in
 *   front of the op with standard ops (see ../nonUniform).
 * Blocks run along the reduction axis: K of MatMul/Gemm, input channels of Conv, the row of
 * a Gather table. Nodes that cannot be converted stay float and are listed with the reason.
 * Every graph is converted, If/Loop/Scan bodies included: a body's weight may be its own
 * initializer or one of an enclosing graph; its codes go next to the float weight (shared by
 * every reader), the nodes that use them into the body.
 */
import { QtkError, isQtkError } from '../../errors/QtkError.js';
import { attrInt, type Attribute, type Model, type Node } from '../../ir/graph.js';
import { topologicalSort } from '../../ir/graphIndex.js';
import { graphScopes, scopeConstant, scopeField, type GraphScope, type ScopedConstant } from '../../ir/scopes.js';
import { Tensor } from '../../ir/tensor.js';
import { isExcluded } from '../../annotate/selection.js';
import { biasName, linearFormProblem, resolveWeight, weightInputIndex } from '../../opContracts/index.js';
import { quantizeTensor } from '../../quant/quantize.js';
import { quantSpec } from '../../spec/quantSpec.js';
import { ModelEditor } from '../modelEditor.js';
import { weightQParams } from '../qdq.js';
import { defaultDomainOpset, ensureIrForInt4, raiseOpsetForBlocks, useMicrosoftDomain } from '../qdqOps.js';
import { emitExpansion, encodeNonUniform, type NonUniformScheme } from '../nonUniform/index.js';
import { matMulNBitsAttributes, packMatMulNBits } from './matMulNBits.js';
import { packGatherBlockQuantized } from './gatherBlockQuantized.js';
import type { WeightOnlyOptions, WeightOnlyResult } from './types.js';

export type { WeightOnlyOptions, WeightOnlyResult, WeightOnlyType } from './types.js';
export { packMatMulNBits, matMulNBitsAttributes, type MatMulNBitsWeight } from './matMulNBits.js';
export { packGatherBlockQuantized, type GatherBlockQuantizedWeight } from './gatherBlockQuantized.js';
export { blockCodes, dequantizeBlockCodes, type BlockCodes } from './blockCodes.js';

/** Op types weight-only mode quantizes. */
export const WEIGHT_ONLY_OP_TYPES: readonly string[] = ['MatMul', 'Gemm', 'Gather', 'Conv'];
const TYPES = ['int4', 'uint4', 'int8', 'uint8'];
/** Opset the non-uniform expansion needs (Mod, Slice with inputs). */
const EXPANSION_OPSET = 11;

/** Where a node keeps its weight, and the axes blocks and channels run along. */
interface WeightSite {
  input: number;
  /** Reduction axis (blocks run along it). */
  blockAxis: number;
  /** Output-channel axis (log2 scales vary along it). */
  channelAxis: number;
  /** The float weight and the scope whose initializer it is. */
  weight: ScopedConstant;
}

/** The weight input of a supported node (seen from `scope`) and its axes, or a reason it has none. */
function siteOf(node: Node, scope: GraphScope): WeightSite | string {
  const input = weightInputIndex(node);
  if (input === undefined) return `op type ${node.opType} has no weight-only rule`;
  const weight = scopeConstant(scope, node.inputs[input] ?? '');
  if (!weight) return node.opType === 'Gather' ? 'data is not a constant' : 'weight is not a constant';
  const w = weight.tensor;
  if (w.dtype !== 'float32') return `weight is ${w.dtype}`;
  const rank = w.dims.length;
  if (node.opType === 'MatMul' && rank !== 2) return `weight of rank ${rank} (needs 2)`;
  if (node.opType === 'Conv' && rank < 3) return `Conv weight of rank ${rank}`;
  if (node.opType === 'Gather' && rank < 1) return 'scalar data';
  const { channelAxis, reductionAxis } = resolveWeight(node, rank)!;
  if (channelAxis === undefined || reductionAxis === undefined) return `weight of rank ${rank} has no channel or reduction axis for ${node.opType}`;
  return { input, blockAxis: reductionAxis, channelAxis, weight };
}

/** Checks the options; throws E_OPTION naming the bad field. */
function checkOptions(o: WeightOnlyOptions): void {
  if (!TYPES.includes(o.weightType)) throw new QtkError('E_OPTION', `weight-only weightType '${String(o.weightType)}' is not one of: ${TYPES.join(', ')}`, { option: 'weightType' });
  if (o.scheme === 'uniform' && !(o.blockSize >= 16 && (o.blockSize & (o.blockSize - 1)) === 0)) {
    throw new QtkError('E_OPTION', `weight-only blockSize ${o.blockSize} must be a power of two ≥ 16`, { option: 'blockSize' });
  }
  if (!['uniform', 'log2', 'codebook'].includes(o.scheme)) throw new QtkError('E_OPTION', `weight scheme '${String(o.scheme)}' is not one of: uniform, log2, codebook`, { option: 'weightScheme' });
  if (o.scheme === 'codebook' && o.codebookSize !== 16 && o.codebookSize !== 256) {
    throw new QtkError('E_OPTION', `codebookSize ${String(o.codebookSize)} must be 16 or 256`, { option: 'codebookSize' });
  }
  if (o.target !== undefined && o.target !== 'onnxruntime' && o.target !== 'standard') {
    throw new QtkError('E_OPTION', `weight-only target '${String(o.target)}' is not one of: onnxruntime, standard`, { option: 'target' });
  }
}

/** What the conversion of every graph shares: the edit, the packed weights, a refusal of blocks. */
interface Shared {
  model: Model;
  options: WeightOnlyOptions;
  edit: ModelEditor;
  bits: 4 | 8;
  result: WeightOnlyResult;
  /** Packed weights and blocked codes by owner scope, weight and layout, so readers share them. */
  packs: Map<string, PackedWeight>;
  /** Why blocked DequantizeLinear cannot be written (once refused, refused for the model). */
  blockRefusal?: string;
}

/** Rewrites eligible nodes of every graph of `model` (If/Loop/Scan bodies included) in place; returns the quantized nodes and those left float with why. */
export function convertWeightOnly(model: Model, options: WeightOnlyOptions): WeightOnlyResult {
  checkOptions(options);
  const shared: Shared = {
    model, options, edit: new ModelEditor(model), bits: options.weightType.endsWith('4') ? 4 : 8, result: { quantized: [], float: [] }, packs: new Map(),
  };
  for (const scope of graphScopes(model)) convertGraph(scope, shared);
  shared.edit.finish();
  return shared.result;
}

/** Packs once per key: nodes reading one weight share its initializers. */
function cachedPack(sh: Shared, key: string, pack: () => PackedWeight): PackedWeight {
  let p = sh.packs.get(key);
  if (!p) { p = pack(); sh.packs.set(key, p); }
  return p;
}

/**
 * Converts the nodes of one graph. New weights go to the scope owning the float weight;
 * nodes standing for a weight (blocked DQ, expansion) go to the front of this graph.
 */
function convertGraph(scope: GraphScope, sh: Shared): void {
  const { model, options, bits, result } = sh;
  const ed = sh.edit.editor(scope.graph);
  const target = options.target ?? 'onnxruntime';
  const ops = options.opTypes ?? WEIGHT_ONLY_OP_TYPES;
  /** Float value standing for a weight (blocked DQ or expansion), by weight name and axes. */
  const frontEnds = new Map<string, string>();

  const frontEnd = (name: string, site: WeightSite): string => {
    const key = `${name}|${site.blockAxis}|${site.channelAxis}`;
    const known = frontEnds.get(key);
    if (known) return known;
    const w = site.weight.tensor;
    let out: string;
    if (options.scheme === 'uniform') {
      raiseOpsetForBlocks(model, name);
      if (bits === 4) ensureIrForInt4(model);
      const owner = sh.edit.editor(site.weight.owner.graph);
      const codes = cachedPack(sh, `${site.weight.owner.path ?? ''}|blocks|${key}`, () => {
        const spec = quantSpec({
          dtype: options.weightType, symmetric: options.symmetric, observer: { kind: 'minmax' },
          granularity: { kind: 'perBlock', axis: site.blockAxis, blockSize: options.blockSize },
        });
        const qp = weightQParams(w, spec, name);
        const zp = Tensor.zeros(qp.dtype, qp.paramDims!);
        for (let i = 0; i < qp.zeroPoint.length; i++) zp.set(i, qp.zeroPoint[i]!);
        return {
          attributes: [], names: [
            owner.constant(`${name}_quantized`, quantizeTensor(w, qp.scale, qp.zeroPoint, qp.dtype, { axis: qp.axis, blockSize: qp.blockSize })),
            owner.constant(`${name}_scale`, new Tensor('float32', Float32Array.from(qp.scale), qp.paramDims!)),
            owner.constant(`${name}_zero_point`, zp),
          ],
        };
      });
      out = ed.name(`${name}_DequantizeLinear_Output`);
      ed.node(null, 'DequantizeLinear', codes.names, [out], [
        { name: 'axis', value: { kind: 'int', value: site.blockAxis } },
        { name: 'block_size', value: { kind: 'int', value: options.blockSize } },
      ]);
    } else {
      const scheme: NonUniformScheme = options.scheme === 'codebook'
        ? { kind: 'codebook', entries: options.codebookSize }
        : { kind: 'log2', bits, axis: site.channelAxis };
      out = emitExpansion(ed, null, name, encodeNonUniform(w, scheme, name));
    }
    frontEnds.set(key, out);
    return out;
  };

  for (const node of topologicalSort(scope.graph)) {
    if (node.domain !== '' || !WEIGHT_ONLY_OP_TYPES.includes(node.opType)) continue;
    const skip = (reason: string) => result.float.push({ name: node.name, opType: node.opType, reason, ...scopeField(scope) });
    if (isExcluded(node, options.exclude)) { skip('excluded by user'); continue; }
    if (!ops.includes(node.opType)) { skip('op type not selected'); continue; }
    const site = siteOf(node, scope);
    if (typeof site === 'string') { skip(site); continue; }
    const wName = node.inputs[site.input]!;
    if (options.scheme !== 'uniform' && defaultDomainOpset(model) < EXPANSION_OPSET) {
      skip(`opset ${defaultDomainOpset(model)} lacks the ops that expand codes (needs ${EXPANSION_OPSET})`);
      continue;
    }
    if (options.scheme === 'uniform' && target === 'onnxruntime' && runtimeNode(node, scope, site, sh)) {
      sh.edit.remove(node);
      sh.edit.release([wName, biasName(node) ?? '']);
      result.quantized.push({ name: node.name, opType: node.opType, ...scopeField(scope) });
      continue;
    }
    if (options.scheme === 'uniform' && sh.blockRefusal) { skip(sh.blockRefusal); continue; }
    try {
      node.inputs[site.input] = frontEnd(wName, site);
    } catch (e) {
      if (!isQtkError(e, 'E_UNSUPPORTED')) throw e;
      sh.blockRefusal = e.message;
      skip(e.message);
      continue;
    }
    sh.edit.release([wName]);
    result.quantized.push({ name: node.name, opType: node.opType, ...scopeField(scope) });
  }
}

/** Initializer names and attributes of a packed weight, shared by every node that reads it. */
interface PackedWeight {
  names: string[];
  attributes: Attribute[];
}

/**
 * MatMulNBits / GatherBlockQuantized in place of `node` (of `scope`) when it fits (true); false
 * when it does not. Packed weights go to the scope owning the float weight, once per weight.
 */
function runtimeNode(node: Node, scope: GraphScope, site: WeightSite, sh: Shared): boolean {
  const { model, options: o, bits } = sh;
  const ed = sh.edit.editor(scope.graph);
  const owner = sh.edit.editor(site.weight.owner.graph);
  const w = site.weight.tensor;
  const wName = node.inputs[site.input]!;
  const key = (kind: string) => `${site.weight.owner.path ?? ''}|${kind}|${wName}`;
  if (node.opType === 'MatMul' || node.opType === 'Gemm') {
    if (linearFormProblem(node)) return false;
    let bias = '';
    const c = biasName(node);
    if (c) {
      const cs = scopeConstant(scope, c);
      const ct = cs?.tensor;
      const n = w.dims[site.channelAxis]!;
      if (!cs || !ct || ct.dtype !== 'float32' || ct.size !== n || ct.dims.length > 2) return false;
      bias = ct.dims.length === 1 ? c : sh.edit.editor(cs.owner.graph).constant(`${c}_1d`, new Tensor('float32', ct.data, [n]));
    }
    if (w.dims.length !== 2) return false;
    // MatMulNBits reads W [K, N], or [N, K] when the channels (N) come first (Gemm transB=1).
    const transposed = site.channelAxis === 0;
    const packed = cachedPack(sh, key(`MatMulNBits|${transposed}`), () => {
      const p = packMatMulNBits(w, bits, o.blockSize, o.symmetric, wName, transposed);
      return {
        attributes: matMulNBitsAttributes(p),
        names: [owner.constant(`${wName}_MatMulNBits_B`, p.B), owner.constant(`${wName}_MatMulNBits_scales`, p.scales), p.zeroPoints ? owner.constant(`${wName}_MatMulNBits_zero_points`, p.zeroPoints) : ''],
      };
    });
    const inputs = [node.inputs[0]!, ...packed.names];
    if (bias) inputs.push('', bias);
    while (inputs[inputs.length - 1] === '') inputs.pop();
    useMicrosoftDomain(model);
    ed.node(node, 'MatMulNBits', inputs, node.outputs.slice(), packed.attributes, 'com.microsoft', `${node.name}_MatMulNBits`);
    return true;
  }
  if (node.opType === 'Gather') {
    if (w.dims.length !== 2 || attrInt(node, 'axis', 0) !== 0) return false;
    const packed = cachedPack(sh, key('GatherBlockQuantized'), () => {
      const p = packGatherBlockQuantized(w, o.weightType, o.blockSize, o.symmetric, wName);
      return {
        attributes: p.attributes,
        names: [owner.constant(`${wName}_quantized`, p.data), owner.constant(`${wName}_scales`, p.scales), p.zeroPoints ? owner.constant(`${wName}_zero_points`, p.zeroPoints) : ''],
      };
    });
    if (bits === 4) ensureIrForInt4(model);
    const [data, scales, zeroPoints] = packed.names as [string, string, string];
    const inputs = [data, node.inputs[1]!, scales];
    if (zeroPoints) inputs.push(zeroPoints);
    useMicrosoftDomain(model);
    ed.node(node, 'GatherBlockQuantized', inputs, node.outputs.slice(), packed.attributes, 'com.microsoft', `${node.name}_GatherBlockQuantized`);
    return true;
  }
  return false;
}
