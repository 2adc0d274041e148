import { describe, expect, it } from 'vitest';
import { createGraph, createModel, Tensor as CoreTensor, type Model, type Node } from '@qtk/core';
import { ortRun, wasmRun } from './test-support/agreement.js';
import { Rand } from './test-support/reference.js';

/**
 * x (uint8) → DQ → depthwise Conv 3x3 (int8 per-channel weights through DQ, float32 bias) → Q.
 * Channel 0 has a weight scale of 1e-17 (a dead channel, as quantizing PP-OCRv4 rec gives),
 * so its output is its bias; channel 1 is ordinary.
 */
function model(): Model {
  const g = createGraph('t');
  const C = 2;
  g.inputs.push({ name: 'xq', type: { kind: 'tensor', dtype: 'uint8', shape: [1, C, 4, 4] } });
  const init = (name: string, t: CoreTensor) => g.initializers.set(name, t);
  init('xs', new CoreTensor('float32', Float32Array.of(0.02), []));
  init('xz', new CoreTensor('uint8', Uint8Array.of(100), []));
  const r = new Rand(3);
  init('wq', new CoreTensor('int8', Int8Array.from({ length: C * 9 }, () => r.int(-127, 127)), [C, 1, 3, 3]));
  init('ws', new CoreTensor('float32', Float32Array.of(1e-17, 0.01), [C]));
  init('wz', new CoreTensor('int8', new Int8Array(C), [C]));
  init('b', new CoreTensor('float32', Float32Array.of(-0.45, 0.3), [C]));
  init('ys', new CoreTensor('float32', Float32Array.of(0.04), []));
  init('yz', new CoreTensor('uint8', Uint8Array.of(175), []));
  const node = (opType: string, inputs: string[], outputs: string[], attributes: Node['attributes'] = []): Node => ({ name: outputs[0]!, opType, domain: '', inputs, outputs, attributes });
  g.nodes.push(
    node('DequantizeLinear', ['xq', 'xs', 'xz'], ['x']),
    node('DequantizeLinear', ['wq', 'ws', 'wz'], ['w'], [{ name: 'axis', value: { kind: 'int', value: 0 } }]),
    node('Conv', ['x', 'w', 'b'], ['y'], [
      { name: 'group', value: { kind: 'int', value: C } },
      { name: 'kernel_shape', value: { kind: 'ints', value: [3, 3] } },
      { name: 'pads', value: { kind: 'ints', value: [1, 1, 1, 1] } },
    ]),
    node('QuantizeLinear', ['y', 'ys', 'yz'], ['yq']),
  );
  g.outputs.push({ name: 'yq' });
  return createModel(g, 13);
}

describe('QDQ Conv with a float bias and a near-zero per-channel weight scale', () => {
  it('keeps the bias of the dead channel (its output is round(bias / y_scale) + y_zero_point)', async () => {
    const x = new CoreTensor('uint8', Uint8Array.from({ length: 32 }, (_, i) => (i * 37) % 256), [1, 2, 4, 4]);
    const ours = (await wasmRun(model(), { xq: x })).yq!.data as Uint8Array;
    const dead = Math.round(-0.45 / 0.04) + 175;
    expect(Array.from(ours.subarray(0, 16))).toEqual(new Array(16).fill(dead));
    // the ordinary channel agrees with onnxruntime within one step; onnxruntime-node 1.30 gives the
    // zero point (0.0) on the dead channel: fusing into QLinearConv it quantizes the float bias with
    // x_scale * w_scale ~ 1e-19, which overflows int32
    const ref = (await ortRun(model(), { xq: x })).yq!.data as Uint8Array;
    for (let i = 16; i < 32; i++) expect(Math.abs(ours[i]! - ref[i]!)).toBeLessThanOrEqual(1);
  });
});
