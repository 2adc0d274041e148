import { describe, expect, it } from 'vitest';
import { TinyGraph, annotateTrt, floatReason, roleOf } from '../../test-support/tinyGraph.js';

/** One Conv 'c' with weight [outCh, inCh/group, k, k] reading `x` (a graph input unless `afterRelu`). */
function oneConv(outCh: number, inCh: number, k: number, o: { group?: number; afterRelu?: boolean } = {}) {
  const g = new TinyGraph();
  const group = o.group ?? 1;
  let x = g.input('x', [1, inCh, 8, 8]);
  if (o.afterRelu) x = g.node('r', 'Relu', [x], ['xr']).outputs[0]!;
  g.floats('w', [outCh, inCh / group, k, k], [0.1, -0.2]);
  g.node('c', 'Conv', [x, 'w'], ['y'], { group: { kind: 'int', value: group }, kernel_shape: { kind: 'ints', value: [k, k] } });
  return annotateTrt(g.graph);
}

describe('TensorRT conv handler: small convolutions', () => {
  it('quantizes a first-layer Conv 3 → 32 (reads the image, output channels a multiple of 8)', () => {
    const ann = oneConv(32, 3, 3);
    expect([roleOf(ann, 'x'), roleOf(ann, 'w'), roleOf(ann, 'y')]).toEqual(['activation', 'weight:axis0', 'none']);
  });

  it('keeps a Conv 4 → 6 float inside the network, with the channel counts in the reason', () => {
    expect(floatReason(oneConv(6, 4, 1, { afterRelu: true }), 'c')).toMatch(/^4 input and 6 output channels .*no faster INT8 kernel/);
  });

  it('quantizes a depthwise 3x3 Conv over 32 channels (grouped, output channels a multiple of 8, kernel ≥ 3)', () => {
    expect(roleOf(oneConv(32, 32, 3, { group: 32, afterRelu: true }), 'w')).toBe('weight:axis0');
  });

  it('keeps a depthwise 1x1 Conv over 32 channels float (kernel below 3)', () => {
    expect(floatReason(oneConv(32, 32, 1, { group: 32, afterRelu: true }), 'c')).toMatch(/group 32, kernel 1x1/);
  });
});
