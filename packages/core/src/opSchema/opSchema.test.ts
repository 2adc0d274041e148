import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QtkError } from '../errors/QtkError.js';
import { decodeModel } from '../onnx/decode.js';
import { Tensor } from '../ir/tensor.js';
import { createGraph, createModel, type Attribute, type AttributeValue, type Graph, type Node } from '../ir/graph.js';
import { validateModel } from './validateModel.js';
import { OP_SCHEMAS } from './opSchemas.js';

const ints = (value: number[]): AttributeValue => ({ kind: 'ints', value });
const int = (value: number): AttributeValue => ({ kind: 'int', value });

function node(opType: string, attrs: Record<string, AttributeValue>, inputs = ['x'], domain = ''): Node {
  const attributes: Attribute[] = Object.entries(attrs).map(([name, value]) => ({ name, value }));
  return { name: 'n', opType, domain, inputs, outputs: ['y'], attributes };
}

/** A graph with input x [1, 4, 8, 8], weight w [8, 2, 3, 3] and `n`. */
function graphWith(n: Node): Graph {
  const g = createGraph();
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 4, 8, 8] } });
  g.initializers.set('w', new Tensor('float32', new Float32Array(8 * 2 * 9), [8, 2, 3, 3]));
  g.nodes.push(n);
  return g;
}

/** The E_ATTRIBUTE error of validating a model around `n` (fails when there is none). */
function refusal(n: Node): QtkError {
  try {
    validateModel(createModel(graphWith(n)));
  } catch (e) {
    expect(e).toBeInstanceOf(QtkError);
    expect((e as QtkError).code).toBe('E_ATTRIBUTE');
    return e as QtkError;
  }
  throw new Error(`${n.opType} passed validation`);
}

describe('op schemas refuse attributes an op cannot take', () => {
  it('MaxPool with an empty kernel_shape', () => {
    const e = refusal(node('MaxPool', { kernel_shape: ints([]) }));
    expect(e.where).toEqual({ node: 'n', attribute: 'kernel_shape' });
    expect(e.message).toMatch(/MaxPool node 'n': attribute 'kernel_shape' is empty/);
  });

  it('MaxPool without kernel_shape', () => {
    expect(refusal(node('MaxPool', {})).message).toMatch(/'kernel_shape' is required/);
  });

  it('MaxPool with pads not smaller than the kernel', () => {
    const e = refusal(node('MaxPool', { kernel_shape: ints([2, 2]), pads: ints([0, 2, 0, 0]) }));
    expect(e.where.attribute).toBe('pads');
    expect(e.message).toMatch(/not smaller than kernel_shape \[2,2\] on axis 1/);
  });

  it('an unknown attribute name, listing the ones the op takes', () => {
    const e = refusal(node('MaxPool', { kernel_shape: ints([2, 2]), stridgs: ints([2, 2]) }));
    expect(e.where.attribute).toBe('stridgs');
    expect(e.message).toMatch(/not an attribute of MaxPool \(it takes .*strides/);
  });

  it('an attribute of the wrong type (group as a float)', () => {
    const e = refusal(node('Conv', { group: { kind: 'float', value: 2 } }, ['x', 'w']));
    expect(e.message).toMatch(/'group' must be of type int, is float/);
  });

  it('zero strides, negative dilations and negative pads', () => {
    expect(refusal(node('Conv', { strides: ints([1, 0]) }, ['x', 'w'])).message).toMatch(/'strides' has 0, below the minimum 1/);
    expect(refusal(node('Conv', { dilations: ints([-1, 1]) }, ['x', 'w'])).where.attribute).toBe('dilations');
    expect(refusal(node('AveragePool', { kernel_shape: ints([3, 3]), pads: ints([0, -1, 0, 0]) })).where.attribute).toBe('pads');
  });

  it('pads whose count is not twice the spatial rank', () => {
    expect(refusal(node('Conv', { pads: ints([1, 1]) }, ['x', 'w'])).message).toMatch(/'pads' has 2 entries; 2 spatial dims need 4/);
  });

  it('strides of another rank than kernel_shape', () => {
    expect(refusal(node('MaxPool', { kernel_shape: ints([2, 2]), strides: ints([2]) })).message).toMatch(/'strides' has 1 entries for 2 spatial dims/);
  });

  it('kernel_shape that disagrees with the weight', () => {
    expect(refusal(node('Conv', { kernel_shape: ints([5, 5]) }, ['x', 'w'])).message).toMatch(/kernel_shape' is \[5,5\], the weight's spatial dims are \[3,3\]/);
  });

  it('a group that does not match the channels', () => {
    expect(refusal(node('Conv', { group: int(3) }, ['x', 'w'])).message).toMatch(/group' 3 does not divide the 8 output channels/);
    expect(refusal(node('Conv', { group: int(4) }, ['x', 'w'])).message).toMatch(/group' 4 with weight \[8,2,3,3\] needs 8 input channels, the input has 4/);
  });

  it('an auto_pad value outside the spec', () => {
    expect(refusal(node('Conv', { auto_pad: { kind: 'string', value: 'SAME' } }, ['x', 'w'])).message).toMatch(/is 'SAME'; allowed: 'NOTSET'/);
  });

  it('an axis out of range for the input rank', () => {
    expect(refusal(node('Softmax', { axis: int(4) })).message).toMatch(/axis 4, out of range \[-4, 3\]/);
    expect(refusal(node('Flatten', { axis: int(-5) })).where.attribute).toBe('axis');
  });

  it('a perm that is not a permutation of the input axes', () => {
    expect(refusal(node('Transpose', { perm: ints([0, 1, 2]) })).message).toMatch(/3 entries for an input of rank 4/);
    expect(refusal(node('Transpose', { perm: ints([0, 1, 1, 2]) })).message).toMatch(/repeats a value/);
  });

  it('a Constant with two values', () => {
    const n = node('Constant', { value_float: { kind: 'float', value: 1 }, value_int: int(1) }, []);
    expect(refusal(n).message).toMatch(/exactly one of/);
  });
});

describe('validateModel', () => {
  it('accepts valid nodes, including the attributes of older opsets', () => {
    const g = graphWith(node('Conv', { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), group: int(2), strides: ints([2, 2]) }, ['x', 'w']));
    g.nodes.push({ ...node('Add', { broadcast: int(1), axis: int(1) }, ['y', 'y']), name: 'old', outputs: ['z'] });
    expect(() => validateModel(createModel(g))).not.toThrow();
  });

  it('leaves nodes of other domains and ops without a schema alone', () => {
    const g = graphWith(node('MaxPool', { kernel_shape: ints([]), custom: int(1) }, ['x'], 'com.example'));
    g.nodes.push({ ...node('Einsum', { equation: { kind: 'string', value: 'ij->ji' }, extra: int(1) }), name: 'e' });
    expect(() => validateModel(createModel(g))).not.toThrow();
  });

  it('checks the nodes of subgraphs', () => {
    const body = createGraph('body');
    body.nodes.push(node('MaxPool', { kernel_shape: ints([2, 2]), stridgs: ints([1, 1]) }));
    const g = graphWith(node('If', { then_branch: { kind: 'graph', value: body }, else_branch: { kind: 'graph', value: createGraph('e') } }, ['c']));
    expect(() => validateModel(createModel(g))).toThrow(expect.objectContaining({ code: 'E_ATTRIBUTE', where: { node: 'n', attribute: 'stridgs' } }));
  });

  it('has a schema for every op quantization annotates', () => {
    const annotated = ['Conv', 'ConvTranspose', 'MatMul', 'Gemm', 'Add', 'Mul', 'AveragePool', 'MaxPool', 'GlobalAveragePool', 'Relu', 'Clip', 'Sigmoid',
      'Concat', 'Split', 'Pad', 'Resize', 'Upsample', 'Where', 'Gather', 'Transpose', 'Reshape', 'Squeeze', 'Unsqueeze', 'Slice', 'Softmax', 'TopK',
      'CumSum', 'InstanceNormalization', 'LayerNormalization', 'BatchNormalization', 'ArgMax', 'ReduceMax', 'DepthToSpace', 'SpaceToDepth', 'Tile', 'Expand'];
    expect(annotated.filter((op) => !OP_SCHEMAS.has(op))).toEqual([]);
  });
});

describe('validateModel on real models', () => {
  it('accepts silero VAD (legacy, v5, v6), whose If branches hold the LSTM/Conv nodes', () => {
    for (const f of ['silero_vad_legacy', 'silero_vad_v5', 'silero_vad_v6']) {
      const bytes = readFileSync(fileURLToPath(new URL(`../../../../node_modules/@ricky0123/vad-web/dist/${f}.onnx`, import.meta.url)));
      expect(() => validateModel(decodeModel(bytes)), f).not.toThrow();
    }
  });
});
