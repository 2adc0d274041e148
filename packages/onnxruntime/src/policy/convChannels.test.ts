import { describe, expect, it } from 'vitest';
import { Tensor, quantSpec, PER_TENSOR } from '@qtk/core';
import { alignConvInputChannels, channelFillers, convChannelPreparation, usesSymmetricConvKernel } from './convChannels.js';
import { TinyGraph, annotateTiny, roleOf } from '../test-support/tinyGraph.js';

/** A graph input x [1, c, 8, 8] → Conv (o filters of 3x3) → y, weight values counting up from 1. */
function convGraph(c: number, o = 16) {
  const g = new TinyGraph();
  const n = o * c * 9;
  g.init('w', new Tensor('float32', Float32Array.from({ length: n }, (_, i) => i + 1), [o, c, 3, 3]));
  g.floats('b', [o], [0.1]);
  const conv = g.node('conv', 'Conv', [g.input('x', [1, c, 8, 8]), 'w', 'b'], ['y'], { pads: { kind: 'ints', value: [1, 1, 1, 1] } });
  g.output('y');
  return { g, conv };
}

/** Channels fed to the Conv by its (possibly widened) input: the graph's nodes as `op(inputs)`. */
const shape = (g: TinyGraph) => g.graph.nodes.map((n) => `${n.opType}(${n.inputs.join(',')})`);

const u8 = quantSpec({ dtype: 'uint8', symmetric: false, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
const s8sym = quantSpec({ dtype: 'int8', symmetric: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
const u8w = quantSpec({ dtype: 'uint8', symmetric: false, granularity: PER_TENSOR, observer: { kind: 'minmax' } });

describe('conv input-channel alignment', () => {
  it('widens a 3-channel Conv to 4 channels with a Gather of channel 0 and zero filters for it', () => {
    const { g, conv } = convGraph(3);
    expect(alignConvInputChannels(g.graph, () => true)).toEqual([conv]);
    const [gather, cat] = g.graph.nodes;
    expect(shape(g)).toEqual([`Gather(x,${gather!.inputs[1]})`, `Concat(x,${gather!.outputs[0]})`, `Conv(${cat!.outputs[0]},w,b)`]);
    expect(g.graph.initializers.get(gather!.inputs[1]!)!.toNumbers()).toEqual([0]);
    const w = g.graph.initializers.get('w')!;
    expect(w.dims).toEqual([16, 4, 3, 3]);
    // filter 1 keeps its three channels (values 28..54) and gets nine zeros
    const f1 = Array.from((w.data as Float32Array).subarray(36, 72));
    expect(f1).toEqual([...Array.from({ length: 27 }, (_, i) => 28 + i), ...Array(9).fill(0)]);
    expect(g.graph.valueInfo.get(cat!.outputs[0]!)?.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: [1, 4, 8, 8] });
  });

  it.each([[6, ['x', 'gather'], [0, 1]], [7, ['x', 'gather'], [0]], [9, ['x', 'gather'], [0, 1, 2]]] as const)(
    'a %i-channel input is widened to the next multiple of 4 as Concat(%j), gathering channels %j',
    (c, parts, gathered) => {
      const { g } = convGraph(c);
      alignConvInputChannels(g.graph, () => true);
      const cat = g.graph.nodes.find((n) => n.opType === 'Concat')!;
      const gather = g.graph.nodes.find((n) => n.opType === 'Gather');
      expect(cat.inputs.map((v) => (v === gather?.outputs[0] ? 'gather' : v))).toEqual(parts);
      expect(gather ? g.graph.initializers.get(gather.inputs[1]!)!.toNumbers() : []).toEqual(gathered);
      expect(g.graph.initializers.get('w')!.dims[1]).toBe(Math.ceil(c / 4) * 4);
    },
  );

  it.each([
    ['input channels already a multiple of 4', () => convGraph(8)],
    ['1 input channel (widening would quadruple the work)', () => convGraph(1)],
    ['2 input channels (widening would double the work)', () => convGraph(2)],
    ['5 input channels (widening would add 60% more work)', () => convGraph(5)],
    ['fewer than 16 filters', () => convGraph(3, 8)],
    ['filters not a multiple of 8', () => convGraph(3, 20)],
  ])('leaves a Conv alone with %s', (_, make) => {
    const { g } = make();
    const before = shape(g);
    expect(alignConvInputChannels(g.graph, () => true)).toEqual([]);
    expect(shape(g)).toEqual(before);
  });

  it('leaves grouped Convs and Convs the caller refuses alone', () => {
    const { g, conv } = convGraph(3);
    expect(alignConvInputChannels(g.graph, () => false)).toEqual([]);
    conv.attributes.push({ name: 'group', value: { kind: 'int', value: 3 } });
    expect(alignConvInputChannels(g.graph, () => true)).toEqual([]);
  });

  it('gives a weight that other nodes also read a widened copy of its own', () => {
    const { g, conv } = convGraph(3);
    g.node('other', 'Conv', [g.input('x2', [1, 3, 8, 8]), 'w'], ['y2']);
    alignConvInputChannels(g.graph, (n) => n === conv);
    expect(g.graph.initializers.get('w')!.dims).toEqual([16, 3, 3, 3]);
    expect(g.graph.initializers.get(conv.inputs[1]!)!.dims).toEqual([16, 4, 3, 3]);
  });

  it('recognizes the nodes it added as channel fillers, and only while the extra filters are zero', () => {
    const { g } = convGraph(3);
    alignConvInputChannels(g.graph, () => true);
    expect([...channelFillers(g.graph)].map((n) => n.opType).sort()).toEqual(['Concat', 'Gather']);
    (g.graph.initializers.get('w')!.data as Float32Array)[35] = 1;
    expect(channelFillers(g.graph).size).toBe(0);
  });

  it('annotation widens the Conv once, quantizes the widened input and lists the fillers nowhere', () => {
    const { g, conv } = convGraph(3);
    const first = annotateTiny(g.graph);
    const widened = conv.inputs[0]!;
    expect([roleOf(first, widened), roleOf(first, 'w'), roleOf(first, 'b'), roleOf(first, 'y')]).toEqual(['activation', 'weight:axis0', 'bias', 'activation']);
    expect(first.float).toEqual([]);
    expect([...first.quantized].map((n) => n.name)).toEqual(['conv']);
    // a second annotation of the same graph (conversion after calibration) changes nothing
    const nodes = g.graph.nodes.length;
    const again = annotateTiny(g.graph);
    expect(g.graph.nodes.length).toBe(nodes);
    expect(again.float).toEqual([]);
    expect(roleOf(again, widened)).toBe('activation');
  });

  it('the preparation leaves the Conv as it is when the user skips it or without symmetric int8 weights', () => {
    const base = { activationSpec: u8, weightSpec: s8sym, isSkipped: () => false };
    for (const extra of [{ isSkipped: () => true }, { weightSpec: u8w }]) {
      const { g } = convGraph(3);
      convChannelPreparation.apply(g.graph, { ...base, ...extra });
      expect(g.graph.initializers.get('w')!.dims[1]).toBe(3);
    }
    const { g } = convGraph(3);
    convChannelPreparation.apply(g.graph, base);
    expect(g.graph.initializers.get('w')!.dims[1]).toBe(4);
  });

  it('the symmetric kernel needs symmetric int8 weights and 8-bit activations', () => {
    const u16 = quantSpec({ ...u8, dtype: 'uint16' });
    expect([usesSymmetricConvKernel(u8, s8sym), usesSymmetricConvKernel(u8, u8w), usesSymmetricConvKernel(u16, s8sym)]).toEqual([true, false, false]);
  });
});
