/**
 * Weight-only quantization: weights become 4-bit or 8-bit codes, activations stay float.
 *
 * Uniform scheme: a WeightOnlyWriter given by the caller (a runtime's own node forms, see
 *   writer.ts) rewrites the nodes it takes; every other node gets a blocked DequantizeLinear
 *   (ONNX opset 21; the model's opset is raised when that keeps every op's meaning, see
 *   qdqOps.ts) in front of the op.
 * Schemes 'log2' and 'codebook' (any writer): uint8 codes plus a float table expanded in
 *   front of the op with standard ops (see ../nonUniform).
 * Blocks run along the reduction axis: K of MatMul/Gemm, input channels of Conv, the row of
 * a Gather table. Nodes that cannot be converted stay float and are listed with the reason.
 * Every graph is converted, If/Loop/Scan bodies included: a body's weight may be its own
 * initializer or one of an enclosing graph; its codes go next to the float weight (shared by
 * every reader), the nodes that use them into the body.
 */
import { QtkError, isQtkError } from '../../errors/QtkError.js';
import { attrInt, type Model, type Node } from '../../ir/graph.js';
import { topologicalSort } from '../../ir/graphIndex.js';
import { graphScopes, scopeConstant, scopeField, type GraphScope } from '../../ir/scopes.js';
import { Tensor } from '../../ir/tensor.js';
import { isExcluded } from '../../annotate/selection.js';
import { biasName, resolveWeight, weightInputIndex } from '../../opContracts/index.js';
import { quantizeTensor } from '../../quant/quantize.js';
import { quantSpec } from '../../spec/quantSpec.js';
import { ModelEditor } from '../modelEditor.js';
import { weightQParams } from '../../plan/qparams.js';
import { defaultDomainOpset, ensureIrForInt4, raiseOpsetForBlocks } from '../qdqOps.js';
import { emitExpansion, encodeNonUniform, type NonUniformScheme } from '../nonUniform/index.js';
import type { WeightOnlyOptions, WeightOnlyResult } from './types.js';
import type { PackedWeight, WeightOnlyWriter, WeightSite } from './writer.js';

export type { WeightOnlyOptions, WeightOnlyResult, WeightOnlyType } from './types.js';
export type { PackedWeight, WeightOnlyWriteContext, WeightOnlyWriter, WeightSite } from './writer.js';
export { blockCodes, dequantizeBlockCodes, type BlockCodes } from './blockCodes.js';

/** Op types weight-only mode quantizes. */
export const WEIGHT_ONLY_OP_TYPES: readonly string[] = ['MatMul', 'Gemm', 'Gather', 'Conv'];
const TYPES = ['int4', 'uint4', 'int8', 'uint8'];
/** Opset the non-uniform expansion needs (Mod, Slice with inputs). */
const EXPANSION_OPSET = 11;

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
}

/** What the conversion of every graph shares: the edit, the packed weights, a refusal of blocks. */
interface Shared {
  model: Model;
  options: WeightOnlyOptions;
  /** The runtime node forms asked first (uniform scheme), if any. */
  writer?: WeightOnlyWriter;
  edit: ModelEditor;
  bits: 4 | 8;
  result: WeightOnlyResult;
  /** Packed weights and blocked codes by owner scope, weight and layout, so readers share them. */
  packs: Map<string, PackedWeight>;
  /** Why blocked DequantizeLinear cannot be written (once refused, refused for the model). */
  blockRefusal?: string;
}

/**
 * Rewrites eligible nodes of every graph of `model` (If/Loop/Scan bodies included) in place, with
 * `writer`'s node forms where it takes a node; returns the quantized nodes and those left float with why.
 */
export function convertWeightOnly(model: Model, options: WeightOnlyOptions, writer?: WeightOnlyWriter): WeightOnlyResult {
  checkOptions(options);
  const shared: Shared = {
    model, options, writer, edit: new ModelEditor(model), bits: options.weightType.endsWith('4') ? 4 : 8, result: { quantized: [], float: [] }, packs: new Map(),
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
          dtype: options.weightType, symmetric: options.symmetric, ...(options.narrowRange ? { narrowRange: true } : {}), observer: { kind: 'minmax' },
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
    if (options.scheme === 'uniform' && sh.writer?.writeNode(node, site, writeContext(scope, sh))) {
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

/** What the writer sees for nodes of `scope`. */
function writeContext(scope: GraphScope, sh: Shared) {
  return {
    model: sh.model, options: sh.options, bits: sh.bits, scope,
    editorOf: (graph: GraphScope['graph']) => sh.edit.editor(graph),
    pack: (key: string, make: () => PackedWeight) => cachedPack(sh, key, make),
  };
}
