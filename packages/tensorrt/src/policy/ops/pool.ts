/**
 * Pooling. TensorRT runs MaxPool, AveragePool and GlobalAveragePool in INT8 when their input
 * is quantized next to a quantized layer: Q/DQ goes on the pooling input when a Conv or GEMM
 * produces it (through its activation) or reads the result. Max pooling commutes with
 * quantization, so a MaxPool output that a Conv or GEMM reads shares the input's scale.
 */
import { nonFloatReason, type GraphIndex, type OpHandler } from '@qtk/core';

/** Ops whose data input TensorRT's rules quantize. */
const QUANTIZED_READERS: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

/** Ops that pass values on unchanged in TensorRT's view of Q/DQ (so a quantized neighbour lies beyond them). */
const MOVE_OPS: ReadonlySet<string> = new Set(['Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Transpose']);

/** Ops between a Conv or GEMM and a pooling that TensorRT fuses into the layer: activations and a bias or BN epilogue. */
const EPILOGUE_OPS: ReadonlySet<string> = new Set(['Relu', 'Clip', 'BatchNormalization', 'Add', 'Mul', 'Sigmoid', 'LeakyRelu', ...MOVE_OPS]);

/** True when `value` feeds (through move ops) a Conv, ConvTranspose, Gemm or MatMul. */
function readByQuantizedLayer(index: GraphIndex, value: string, depth = 4): boolean {
  return index.consumers(value).some((c) => QUANTIZED_READERS.has(c.opType) || (depth > 0 && MOVE_OPS.has(c.opType) && readByQuantizedLayer(index, c.outputs[0]!, depth - 1)));
}

/** True when `value` comes (through activations and epilogue ops) from a Conv, ConvTranspose, Gemm or MatMul. */
function producedByQuantizedLayer(index: GraphIndex, value: string, depth = 4): boolean {
  const p = index.producer(value);
  if (!p) return false;
  if (QUANTIZED_READERS.has(p.opType)) return true;
  return depth > 0 && EPILOGUE_OPS.has(p.opType) && p.inputs[0] !== undefined && producedByQuantizedLayer(index, p.inputs[0], depth - 1);
}

/** Static handler for MaxPool, AveragePool and GlobalAveragePool: input quantized beside a quantized layer. */
export const poolHandler: OpHandler = {
  opTypes: ['MaxPool', 'AveragePool', 'GlobalAveragePool'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    const y = node.outputs[0];
    if (!x || !y) return 'missing data input';
    if (node.outputs[1]) return 'MaxPool with an indices output';
    const bad = nonFloatReason(ctx, x);
    if (bad) return bad;
    const readBy = readByQuantizedLayer(ctx.index, y);
    if (!readBy && !producedByQuantizedLayer(ctx.index, x)) return 'no quantized Conv or GEMM next to this pooling';
    ctx.markActivation(x);
    if (node.opType === 'MaxPool' && readBy) ctx.markShared(y, x);
  },
};
