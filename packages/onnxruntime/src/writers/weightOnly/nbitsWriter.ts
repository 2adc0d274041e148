/**
 * onnxruntime's weight-only node forms (uniform scheme):
 *   MatMul with a constant 2-D weight, Gemm (transA=0, alpha=beta=1, constant 1-D bias)
 *     → com.microsoft MatMulNBits
 *   Gather (axis 0) of a constant 2-D table → com.microsoft GatherBlockQuantized
 * Conv, and whatever these cannot take, is left to core's blocked DequantizeLinear form.
 */
import { attrInt, biasName, linearFormProblem, Tensor, type Node, type WeightOnlyWriteContext, type WeightOnlyWriter, type WeightSite } from '@qtk/core';
import { ensureIrForInt4, scopeConstant } from '@qtk/core/internal';
import { MS_DOMAIN, useMicrosoftDomain } from '../qdqDomains.js';
import { matMulNBitsAttributes, packMatMulNBits } from './matMulNBits.js';
import { packGatherBlockQuantized } from './gatherBlockQuantized.js';

/**
 * MatMulNBits / GatherBlockQuantized in place of `node` (of `scope`) when it fits (true); false
 * when it does not. Packed weights go to the scope owning the float weight, once per weight.
 */
function writeNode(node: Node, site: WeightSite, ctx: WeightOnlyWriteContext): boolean {
  const { model, options: o, bits, scope } = ctx;
  const ed = ctx.editorOf(scope.graph);
  const owner = ctx.editorOf(site.weight.owner.graph);
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
      bias = ct.dims.length === 1 ? c : ctx.editorOf(cs.owner.graph).constant(`${c}_1d`, new Tensor('float32', ct.data, [n]));
    }
    if (w.dims.length !== 2) return false;
    // MatMulNBits reads W [K, N], or [N, K] when the channels (N) come first (Gemm transB=1).
    const transposed = site.channelAxis === 0;
    const packed = ctx.pack(key(`MatMulNBits|${transposed}`), () => {
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
    ed.node(node, 'MatMulNBits', inputs, node.outputs.slice(), packed.attributes, MS_DOMAIN, `${node.name}_MatMulNBits`);
    return true;
  }
  if (node.opType === 'Gather') {
    if (w.dims.length !== 2 || attrInt(node, 'axis', 0) !== 0) return false;
    const packed = ctx.pack(key('GatherBlockQuantized'), () => {
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
    ed.node(node, 'GatherBlockQuantized', inputs, node.outputs.slice(), packed.attributes, MS_DOMAIN, `${node.name}_GatherBlockQuantized`);
    return true;
  }
  return false;
}

/** onnxruntime's MatMulNBits / GatherBlockQuantized forms for weight-only mode. */
export const ortWeightOnlyWriter: WeightOnlyWriter = { name: 'onnxruntime', writeNode };
