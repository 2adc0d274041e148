import { describe, expect, it } from 'vitest';
import { isQtkError } from '../../errors/QtkError.js';
import { Tensor } from '../../ir/tensor.js';
import { attr, model } from '../../shape/test-support/build.js';
import { preprocess } from '../preprocess.js';
import { upgradeOpset } from './index.js';
import { versionsCrossed } from './versions.js';

const x4 = (opset: number, nodes: Parameters<typeof model>[0]['nodes'], outputs = ['y']) =>
  model({ opset, inputs: [['x', 'float32', [2, 3, 4, 5]]], outputs, nodes });

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('upgradeOpset', () => {
  it('sets the default opset import to the target and reports the versions', () => {
    const m = x4(9, [['Relu', ['x'], ['y']]]);
    expect(upgradeOpset(m)).toEqual({ from: 9, to: 13, nodesRewritten: 0, nodesAdded: 0 });
    expect(m.opsetImports.get('')).toBe(13);
  });

  it('leaves a model already at or above the target untouched', () => {
    const m = x4(13, [['Squeeze', ['x'], ['y'], { axes: attr.is([0]) }]]);
    expect(upgradeOpset(m, 13)).toEqual({ from: 13, to: 13, nodesRewritten: 0, nodesAdded: 0 });
    expect(m.graph.nodes[0]!.attributes.map((a) => a.name)).toEqual(['axes']);
    expect(m.graph.initializers.size).toBe(0);
  });

  it('turns Clip-6 attributes into float32 scalar initializers', () => {
    const m = x4(9, [['Clip', ['x'], ['y'], { min: attr.f(0), max: attr.f(6) }]]);
    const r = upgradeOpset(m);
    const clip = m.graph.nodes[0]!;
    expect(r.nodesRewritten).toBe(1);
    expect(clip.attributes).toEqual([]);
    const [min, max] = [clip.inputs[1]!, clip.inputs[2]!].map((n) => m.graph.initializers.get(n)!);
    expect([min!.dtype, min!.dims, min!.toNumbers()]).toEqual(['float32', [], [0]]);
    expect(max!.toNumbers()).toEqual([6]);
  });

  it('gives new initializers names unused anywhere in the model', () => {
    const m = x4(9, [['Squeeze', ['x'], ['Squeeze_0_axes'], { axes: attr.is([0]) }], ['Relu', ['Squeeze_0_axes'], ['y']]]);
    upgradeOpset(m);
    expect(m.graph.nodes[0]!.inputs[1]).not.toBe('Squeeze_0_axes');
    expect(m.graph.initializers.get(m.graph.nodes[0]!.inputs[1]!)!.toNumbers()).toEqual([0]);
  });

  it('sets Softmax on the last axis explicitly without adding nodes', () => {
    const m = x4(11, [['Softmax', ['x'], ['y'], { axis: attr.i(3) }]]);
    expect(upgradeOpset(m).nodesAdded).toBe(0);
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Softmax']);
  });

  it('wraps Softmax with the default axis 1 on a rank-4 input in Shape/Flatten/Reshape', () => {
    const m = x4(11, [['Softmax', ['x'], ['y']]]);
    expect(upgradeOpset(m).nodesAdded).toBe(3);
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Shape', 'Flatten', 'Softmax', 'Reshape']);
    expect(m.graph.nodes[3]!.outputs).toEqual(['y']);
    expect(m.graph.nodes[2]!.attributes).toEqual([{ name: 'axis', value: attr.i(1) }]);
  });

  it('turns Upsample-7 into Resize with asymmetric floor sampling', () => {
    const m = model({ opset: 8, inputs: [['x', 'float32', [1, 1, 2, 2]]], outputs: ['y'], nodes: [['Upsample', ['x'], ['y'], { scales: attr.fs([1, 1, 2, 2]) }]] });
    upgradeOpset(m);
    const n = m.graph.nodes[0]!;
    expect(n.opType).toBe('Resize');
    expect(n.inputs[1]).toBe('');
    expect(m.graph.initializers.get(n.inputs[2]!)!.toNumbers()).toEqual([1, 1, 2, 2]);
    expect(Object.fromEntries(n.attributes.map((a) => [a.name, a.value]))).toEqual({ mode: attr.s('nearest'), coordinate_transformation_mode: attr.s('asymmetric'), nearest_mode: attr.s('floor') });
  });

  it('drops an unread Dropout mask and refuses a read one (its type changes at 10)', () => {
    const unread = x4(9, [['Dropout', ['x'], ['y', 'mask']]]);
    upgradeOpset(unread);
    expect(unread.graph.nodes[0]!.outputs).toEqual(['y']);
    const read = x4(9, [['Dropout', ['x'], ['d', 'mask']], ['Mul', ['d', 'mask'], ['y']]]);
    const e = thrown(() => upgradeOpset(read));
    expect(isQtkError(e, 'E_UNSUPPORTED') && e.where.node).toBe('Dropout_0');
  });

  it('fails with E_UNSUPPORTED naming the node for changes it does not handle', () => {
    const cases = [
      x4(8, [['Scan', ['x'], ['y'], {}]]),
      x4(8, [['BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'], { spatial: attr.i(0) }]]),
      x4(12, [['ImageScaler', ['x'], ['y'], { scale: attr.f(2) }]]),
      model({ opset: 5, inputs: [['x', 'float32', [2]]], outputs: ['y'], nodes: [['Tile', ['x', 't', 'a'], ['y']]], initializers: { t: Tensor.int64([2]), a: Tensor.int64([0]) } }),
    ];
    for (const m of cases) {
      const e = thrown(() => upgradeOpset(m));
      expect(isQtkError(e, 'E_UNSUPPORTED')).toBe(true);
      expect(isQtkError(e) && e.where.node).toBe(m.graph.nodes[0]!.name);
      expect((e as Error).message).toContain(m.graph.nodes[0]!.name);
    }
  });

  it('rejects a target above 13 with E_OPTION', () => {
    expect(isQtkError(thrown(() => upgradeOpset(x4(9, [['Relu', ['x'], ['y']]]), 14)), 'E_OPTION')).toBe(true);
  });

  it('knows which versions an upgrade crosses', () => {
    expect(versionsCrossed('Slice', 9, 13)).toEqual([10, 11, 13]);
    expect(versionsCrossed('Conv', 11, 13)).toEqual([]);
    expect(versionsCrossed('NoSuchOp', 9, 13)).toBeUndefined();
  });
});

describe('preprocess and the opset upgrade', () => {
  it('upgrades an opset-9 model to 13 by default and reports it', () => {
    const m = x4(9, [['Clip', ['x'], ['y'], { min: attr.f(0), max: attr.f(6) }]]);
    const s = preprocess(m);
    expect(s.opset).toEqual({ from: 9, to: 13 });
    expect(s.nodesAfter).toBe(m.graph.nodes.length);
    expect(m.opsetImports.get('')).toBe(13);
    expect(m.graph.nodes[0]!.inputs).toHaveLength(3);
  });

  it('counts the nodes the upgrade added in nodesAfter', () => {
    const m = x4(11, [['Softmax', ['x'], ['y']]]);
    const s = preprocess(m);
    // the static Shape(x) is folded into an initializer by constant folding
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Flatten', 'Softmax', 'Reshape']);
    expect(s).toMatchObject({ nodesBefore: 1, nodesAfter: 3 });
  });

  it('keeps the opset when upgradeOpset is false', () => {
    const m = x4(9, [['Clip', ['x'], ['y'], { min: attr.f(0), max: attr.f(6) }]]);
    const s = preprocess(m, { upgradeOpset: false });
    expect(s.opset).toEqual({ from: 9, to: 9 });
    expect(m.opsetImports.get('')).toBe(9);
    expect(m.graph.nodes[0]!.attributes.map((a) => a.name).sort()).toEqual(['max', 'min']);
  });
});

describe('preprocess when the upgrade cannot be done', () => {
  it('keeps the original opset and graph and says why', () => {
    const m = model({ opset: 8, inputs: [['x', 'float32', [2, 3]]], outputs: ['y'], nodes: [['Clip', ['x'], ['c'], { min: attr.f(0), max: attr.f(6) }], ['Scan', ['c'], ['y']]] });
    const s = preprocess(m, { inferShapes: false });
    expect(s.opset).toEqual({ from: 8, to: 8 });
    expect(s.opsetUpgradeSkipped).toContain("Scan node 'Scan_1'");
    expect(m.opsetImports.get('')).toBe(8);
    expect(m.graph.nodes[0]!.attributes.map((a) => a.name).sort()).toEqual(['max', 'min']);
  });
});

describe('upgradeOpset failures', () => {
  it('leaves the model as it was when a later node cannot be upgraded', () => {
    const m = model({ opset: 8, inputs: [['x', 'float32', [2, 3]]], outputs: ['y'], nodes: [['Clip', ['x'], ['c'], { max: attr.f(6) }], ['Scan', ['c'], ['y']]] });
    const graph = m.graph;
    expect(isQtkError(thrown(() => upgradeOpset(m)), 'E_UNSUPPORTED')).toBe(true);
    expect(m.graph).toBe(graph);
    expect(m.graph.nodes[0]!.attributes.map((a) => a.name)).toEqual(['max']);
    expect(m.graph.initializers.size).toBe(0);
    expect(m.opsetImports.get('')).toBe(8);
  });
});
