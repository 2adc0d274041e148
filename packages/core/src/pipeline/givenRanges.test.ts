import { describe, expect, it } from 'vitest';
import { createModel, type Model } from '../ir/graph.js';
import type { Executor } from '../exec/executor.js';
import { TinyGraph } from '../annotate/test-support/tinyGraph.js';
import { catchQtkRejection } from '../test-support/expectQtkError.js';
import { tinyBackend } from '../test-support/tinyBackend.js';
import { computeQParams } from '../quant/qparams.js';
import { quantizeModel } from './quantize.js';

/** An executor that fails the test if anything runs it. */
const unusedExecutor = { name: 'unused', createSession: () => { throw new Error('calibration ran'); } } as unknown as Executor;

/** x [1, 2, 4, 4] → Conv (2 → 2 channels, 1x1) → h → Relu → r → Conv → y. */
function twoConvs(): Model {
  const t = new TinyGraph();
  t.input('x', [1, 2, 4, 4]);
  t.floats('w1', [2, 2, 1, 1], [0.5, -0.25, 0.125, 0.75]);
  t.floats('w2', [2, 2, 1, 1], [-0.5, 0.3, 0.2, 0.9]);
  t.node('conv1', 'Conv', ['x', 'w1'], ['h']);
  t.node('relu', 'Relu', ['h'], ['r']);
  t.node('conv2', 'Conv', ['r', 'w2'], ['y']);
  t.output('y');
  return createModel(t.graph, 17);
}

/** Scale of the QuantizeLinear reading each tensor, by tensor name. */
function activationScales(m: Model): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of m.graph.nodes) {
    if (n.opType !== 'QuantizeLinear') continue;
    const s = m.graph.initializers.get(n.inputs[1]!)!;
    out.set(n.inputs[0]!, (s.data as Float32Array)[0]!);
  }
  return out;
}

const RANGES = new Map([['x', { min: -3, max: 2.5 }], ['r', { min: 0, max: 6.25 }], ['y', { min: -1.5, max: 4 }]]);
const INT8_SYMMETRIC = { activationType: 'int8', symmetricActivations: true, biasCorrection: false } as const;

describe('static quantization from given ranges (QuantizeContext.ranges)', () => {
  it('puts on each quantized activation the scale computeQParams gives for its given range, without running anything', async () => {
    const { model, report } = await quantizeModel(twoConvs(), INT8_SYMMETRIC, { backend: tinyBackend, ranges: RANGES });
    const scales = activationScales(model);
    // The graph output y keeps its float value (no Q/DQ after it); its range is still required.
    expect([...scales.keys()].sort()).toEqual(['r', 'x']);
    for (const v of ['r', 'x']) {
      const r = RANGES.get(v)!;
      const want = computeQParams([r.min], [r.max], { dtype: 'int8', symmetric: true }).scale[0];
      expect(scales.get(v), v).toBe(want);
    }
    expect(report.calibration).toMatchObject({ batches: 0, samples: 0 });
    expect(report.warnings).toEqual([]);
  });

  it('refuses with E_OPTION naming every quantized activation that has no given range', async () => {
    const e = await catchQtkRejection(quantizeModel(twoConvs(), INT8_SYMMETRIC, { backend: tinyBackend, ranges: new Map([['x', { min: -1, max: 1 }]]) }));
    expect(e.code).toBe('E_OPTION');
    expect(e.where.option).toBe('ranges');
    expect(e.message).toContain("2 activation(s) the backend quantizes: 'r', 'y'");
  });

  it('refuses a given range that is not finite or has min above max, naming its tensor', async () => {
    const bad = new Map([...RANGES, ['r', { min: 1, max: 0 }]]);
    const e = await catchQtkRejection(quantizeModel(twoConvs(), INT8_SYMMETRIC, { backend: tinyBackend, ranges: bad }));
    expect(e.code).toBe('E_OPTION');
    expect(e.where.tensor).toBe('r');
    expect(e.message).toContain("given range of 'r' is [1, 0]");
  });

  it('lists in the report the given tensors the model does not have, and ignores ranges of values left float', async () => {
    const extra = new Map([...RANGES, ['h', { min: -9, max: 9 }], ['(Unnamed Layer* 7) [Convolution]_output', { min: -1, max: 1 }], ['gone', { min: 0, max: 1 }]]);
    const { model, report } = await quantizeModel(twoConvs(), INT8_SYMMETRIC, { backend: tinyBackend, ranges: extra });
    expect(report.warnings.map((w) => w.message)).toEqual(["given ranges name 2 tensor(s) the model does not have: '(Unnamed Layer* 7) [Convolution]_output', 'gone'"]);
    expect(activationScales(model).has('h')).toBe(false);
  });

  it('skips bias correction with a warning when no calibration data comes with the ranges', async () => {
    const { report } = await quantizeModel(twoConvs(), { ...INT8_SYMMETRIC, biasCorrection: true }, { backend: tinyBackend, ranges: RANGES });
    expect(report.warnings).toEqual([expect.objectContaining({ option: 'biasCorrection' })]);
  });

  it('refuses minOutputSqnrDb with E_OPTION when there is no calibration data to measure on', async () => {
    const e = await catchQtkRejection(quantizeModel(twoConvs(), { ...INT8_SYMMETRIC, minOutputSqnrDb: 30 }, { backend: tinyBackend, ranges: RANGES, executor: unusedExecutor }));
    expect(e.code).toBe('E_OPTION');
    expect(e.where.option).toBe('minOutputSqnrDb');
  });

  it('leaves float an activation the model declares as not float32, as calibration would', async () => {
    const m = twoConvs();
    m.graph.valueInfo.set('r', { name: 'r', type: { kind: 'tensor', dtype: 'float16', shape: [1, 2, 4, 4] } });
    const { model } = await quantizeModel(m, { ...INT8_SYMMETRIC, preprocess: false }, { backend: tinyBackend, ranges: RANGES });
    expect(activationScales(model).has('r')).toBe(false);
  });
});
