/**
 * What the ONNX QuantizeLinear/DequantizeLinear ops take at each opset, and raising a
 * model's opset to 21 when its Q/DQ pairs need it:
 *
 * | default-domain opset | int8/uint8 per-tensor/axis | int16/uint16/int4/uint4 | per-block (block_size) |
 * | --- | --- | --- | --- |
 * | ≥ 21 | yes | yes | yes |
 * | 13 … 20 | yes | from 21 | from 21 |
 * | < 13 | per-tensor only | no | no |
 *
 * A model at opset 13 … 20 is raised to 21 when every node of its default domain (subgraphs
 * included) has the same meaning at 21 as at its opset, once Reduce ops with an `axes`
 * attribute are rewritten to the opset-18 input form; a model holding an op whose meaning
 * changed otherwise (for example Split, which needs 'split' or num_outputs from 18) is refused
 * with E_UNSUPPORTED naming the tensor and the op, and stays unchanged. Which domain a Q/DQ
 * pair is written in is a dialect's choice (qdqDialect.ts).
 */
import { QtkError } from '../errors/QtkError.js';
import { subgraphsOf, type Graph, type Model } from '../ir/graph.js';
import type { DType } from '../ir/dtype.js';
import { reduceAxesToInputs } from '../transforms/opsetUpgrade/reduceAxes18.js';

/** What one Q/DQ pair carries: its integer type, and whether its parameters are per block. */
export interface QdqUse {
  dtype: DType;
  blocked?: boolean;
  /** Tensor named in errors. */
  tensor?: string;
  /** Parameters per index of an axis (ONNX Q/DQ take an axis from opset 13). */
  perAxis?: boolean;
}

/** The opset where the ONNX Q/DQ ops take int4/uint4/int16/uint16 and block_size. */
export const QDQ_FULL_OPSET = 21;
/** The opset where the ONNX Q/DQ ops take float8 types (a float8 zero point gives a float8 output). */
export const QDQ_FLOAT8_OPSET = 19;
/** The IR version that holds float8 element types (and goes with opset 19). */
const IR_FOR_FLOAT8 = 9;
/** The IR version that holds 4-bit element types (and goes with opset 21). */
const IR_FOR_INT4 = 10;

/**
 * ONNX ops whose meaning at opset 21 differs from their meaning at some opset in 13 … 20,
 * with the opset of the change; a model using one of them below that opset is not raised.
 * Changes that only add types or optional attributes/inputs with the old default (Resize,
 * Pad, AveragePool, Cast, ScatterElements, the RNNs' layout, BatchNormalization's
 * training_mode ...) keep the meaning; Split-18 needs 'split' or num_outputs, so Split counts.
 * The Reduce ops whose axes became an input at 18 are rewritten when the opset is raised
 * (see reduceAxesToInputs), so they do not block.
 */
const CHANGED_AFTER_13: Readonly<Record<string, number>> = {
  Split: 18, GridSample: 20, DFT: 20, GroupNormalization: 21,
};

/** The default-domain opset of a model (0 when it imports none). */
export function defaultDomainOpset(model: Model): number {
  return model.opsetImports.get('') ?? model.opsetImports.get('ai.onnx') ?? 0;
}

/** Raises the IR version to one that holds 4-bit types (a no-op when already there). */
export function ensureIrForInt4(model: Model): void {
  if (model.irVersion < IR_FOR_INT4) model.irVersion = IR_FOR_INT4;
}

/**
 * The ops (with the opset of their change) that keep `model` from moving to opset `target`;
 * empty when every default-domain node means the same at `target`.
 */
export function opsetRaiseBlockers(model: Model, target = QDQ_FULL_OPSET): string[] {
  const from = defaultDomainOpset(model);
  const out = new Set<string>();
  if (from < 13) out.add(`opset ${from} < 13 (Softmax, Squeeze, Unsqueeze, Split, ReduceSum, Pad changed at 13)`);
  const visit = (g: Graph) => {
    for (const n of g.nodes) {
      if (n.domain === '' || n.domain === 'ai.onnx') {
        const at = CHANGED_AFTER_13[n.opType];
        if (at !== undefined && at > from && at <= target) out.add(`${n.opType} (changed at opset ${at})`);
      }
      for (const sub of subgraphsOf(n)) visit(sub);
    }
  };
  visit(model.graph);
  return [...out];
}

/**
 * Raises the default-domain opset to 21 (and the IR version to 10) so blocked (or, with
 * `need`, 16-bit and 4-bit) Q/DQ can be written, moving Reduce `axes` attributes to inputs on
 * the way from below 18; throws E_UNSUPPORTED naming `tensor` and the ops in the way when that
 * would change the meaning of existing nodes. A model already at 21 or more is left as it is.
 */
export function raiseOpsetForBlocks(model: Model, tensor: string, need = `per-block tensor '${tensor}' needs DequantizeLinear with block_size`): void {
  if (raiseOpset(model, QDQ_FULL_OPSET, tensor, need)) ensureIrForInt4(model);
}

/**
 * Raises the default-domain opset to 19 (and the IR version to 9), where QuantizeLinear and
 * DequantizeLinear take float8 types, for float8 tensor `tensor`; same rules and errors as
 * `raiseOpsetForBlocks`. A model already at 19 or more keeps its opset (the IR version is
 * still raised to 9 when lower).
 */
export function raiseOpsetForFloat8(model: Model, tensor: string): void {
  raiseOpset(model, QDQ_FLOAT8_OPSET, tensor, `float8 tensor '${tensor}' needs QuantizeLinear/DequantizeLinear with a float8 zero point`);
  if (model.irVersion < IR_FOR_FLOAT8) model.irVersion = IR_FOR_FLOAT8;
}

/**
 * Raises the default-domain opset to `target` when that keeps every node's meaning (true when
 * it raised it, false when the model was there already); E_UNSUPPORTED otherwise.
 */
function raiseOpset(model: Model, target: number, tensor: string, need: string): boolean {
  if (defaultDomainOpset(model) >= target) return false;
  const blockers = opsetRaiseBlockers(model, target);
  if (blockers.length) {
    throw new QtkError(
      'E_UNSUPPORTED',
      `${need} (ONNX opset ${target}); the model is at opset ${defaultDomainOpset(model)} and holds ${blockers.join(', ')}, whose meaning would change at ${target}`,
      { tensor },
    );
  }
  if (defaultDomainOpset(model) < 18) reduceAxesToInputs(model);
  if (model.opsetImports.has('ai.onnx') && !model.opsetImports.has('')) model.opsetImports.set('ai.onnx', target);
  else model.opsetImports.set('', target);
  return true;
}

/** True for the integer types the ONNX Q/DQ ops take only from opset 21 (16-bit and 4-bit). */
export function needsQdqOpset21(dtype: DType): boolean {
  return dtype === 'int16' || dtype === 'uint16' || dtype === 'int4' || dtype === 'uint4';
}
