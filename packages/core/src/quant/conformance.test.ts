/**
 * Conformance of the quantization kernels and reference integer operators with the ONNX
 * backend test data (v1.12.0, vendored under packages/core/test-data/onnx-backend/).
 * Each case: decode model.onnx, read the node's attributes, feed input_<i>.pb, and require
 * output_<i>.pb exactly (dtype, dims and every value).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeModel, decodeTensorBytes } from '../onnx/index.js';
import { attrInt, type Node } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import { dequantizeTensor, dynamicQuantizeLinear, quantizeTensor, type QLayout } from './quantize.js';
import { matMulInteger } from './reference/matMulInteger.js';
import { qlinearMatMul } from './reference/qlinearMatMul.js';
import { convInteger } from './reference/convInteger.js';
import { qlinearConv } from './reference/qlinearConv.js';
import { convAttributesOf } from './reference/convGeometry.js';

const FIXTURES = new URL('../../test-data/onnx-backend/', import.meta.url);

interface BackendCase {
  node: Node;
  /** The node's inputs by position; `undefined` for an omitted optional input. */
  inputs: (Tensor | undefined)[];
  outputs: Tensor[];
}

/** Loads one backend case: the single node, its inputs in node order, the expected outputs. */
function loadCase(name: string): BackendCase {
  const dir = new URL(`${name}/`, FIXTURES);
  const model = decodeModel(readFileSync(new URL('model.onnx', dir)));
  const node = model.graph.nodes[0]!;
  const data = new URL('test_data_set_0/', dir);
  const files = readdirSync(data);
  const read = (f: string) => decodeTensorBytes(readFileSync(new URL(f, data)));
  const byName = new Map<string, Tensor>();
  model.graph.inputs.forEach((vi, i) => {
    if (files.includes(`input_${i}.pb`)) byName.set(vi.name, read(`input_${i}.pb`));
  });
  const inputs = node.inputs.map((n) => (n ? byName.get(n) : undefined));
  const outputs = model.graph.outputs.map((_, i) => read(`output_${i}.pb`));
  return { node, inputs, outputs };
}

/** Per-tensor for a single scale value (as onnxruntime), else per-axis along the node's `axis` (ONNX default 1). */
function layoutOf(node: Node, scale: Tensor): QLayout | undefined {
  return scale.size === 1 ? undefined : { axis: attrInt(node, 'axis', 1) };
}

const f32 = (t: Tensor | undefined) => t!.toFloat32();
const i32 = (t: Tensor | undefined) => Int32Array.from(t!.toNumbers());

/** Runs each case's node with our implementation. */
const RUNNERS: Record<string, (c: BackendCase) => Tensor[]> = {
  QuantizeLinear: ({ node, inputs: [x, s, z] }) => [quantizeTensor(x!, f32(s), i32(z), z!.dtype, layoutOf(node, s!))],
  DequantizeLinear: ({ node, inputs: [x, s, z] }) => [dequantizeTensor(x!, f32(s), z && i32(z), layoutOf(node, s!))],
  DynamicQuantizeLinear: ({ inputs: [x] }) => {
    const r = dynamicQuantizeLinear(x!);
    return [r.y, Tensor.fromFloat32(Float32Array.of(r.scale), []), Tensor.scalar('uint8', r.zeroPoint)];
  },
  MatMulInteger: ({ inputs: [a, b, aZeroPoint, bZeroPoint] }) => [matMulInteger({ a: a!, b: b!, aZeroPoint, bZeroPoint })],
  QLinearMatMul: ({ inputs: [a, aScale, aZeroPoint, b, bScale, bZeroPoint, yScale, yZeroPoint] }) => [
    qlinearMatMul({ a: a!, aScale: aScale!, aZeroPoint: aZeroPoint!, b: b!, bScale: bScale!, bZeroPoint: bZeroPoint!, yScale: yScale!, yZeroPoint: yZeroPoint! }),
  ],
  ConvInteger: ({ node, inputs: [x, w, xZeroPoint, wZeroPoint] }) => [convInteger({ ...convAttributesOf(node), x: x!, w: w!, xZeroPoint, wZeroPoint })],
  QLinearConv: ({ node, inputs: [x, xScale, xZeroPoint, w, wScale, wZeroPoint, yScale, yZeroPoint, bias] }) => [
    qlinearConv({
      ...convAttributesOf(node), x: x!, xScale: xScale!, xZeroPoint: xZeroPoint!, w: w!, wScale: wScale!,
      wZeroPoint: wZeroPoint!, yScale: yScale!, yZeroPoint: yZeroPoint!, bias,
    }),
  ],
};

/** Case name, the op it exercises. */
const CASES: [string, string][] = [
  ['test_quantizelinear', 'QuantizeLinear'],
  ['test_quantizelinear_axis', 'QuantizeLinear'],
  ['test_dequantizelinear', 'DequantizeLinear'],
  ['test_dequantizelinear_axis', 'DequantizeLinear'],
  ['test_dynamicquantizelinear', 'DynamicQuantizeLinear'],
  ['test_dynamicquantizelinear_max_adjusted', 'DynamicQuantizeLinear'],
  ['test_dynamicquantizelinear_min_adjusted', 'DynamicQuantizeLinear'],
  ['test_qlinearmatmul_2D', 'QLinearMatMul'],
  ['test_qlinearmatmul_3D', 'QLinearMatMul'],
  ['test_qlinearconv', 'QLinearConv'],
  ['test_matmulinteger', 'MatMulInteger'],
  ['test_basic_convinteger', 'ConvInteger'],
  ['test_convinteger_with_padding', 'ConvInteger'],
  ['test_convinteger_without_padding', 'ConvInteger'],
];

describe('ONNX backend conformance (v1.12.0 test data)', () => {
  test.each(CASES)('%s: %s outputs match the expected dtype, dims and values exactly', (name, op) => {
    const c = loadCase(name);
    expect(c.node.opType).toBe(op);
    const got = RUNNERS[op]!(c);
    expect(got).toHaveLength(c.outputs.length);
    c.outputs.forEach((want, i) => {
      expect(got[i]!.dtype, `output ${i} dtype`).toBe(want.dtype);
      expect([...got[i]!.dims], `output ${i} dims`).toEqual([...want.dims]);
      expect(got[i]!.toNumbers(), `output ${i} values`).toEqual(want.toNumbers());
    });
  });

  test('every vendored case folder is exercised by a conformance test', () => {
    const folders = readdirSync(FIXTURES).filter((f) => f.startsWith('test_')).sort();
    expect(folders).toEqual(CASES.map(([n]) => n).sort());
  });
});
