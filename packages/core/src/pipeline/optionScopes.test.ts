import { describe, expect, it } from 'vitest';
import { createModel, type Model } from '../ir/graph.js';
import { encodeModel } from '../onnx/encode.js';
import { TinyGraph } from '../annotate/test-support/tinyGraph.js';
import { catchQtkRejection } from '../test-support/expectQtkError.js';
import { resolveOptions } from './defaults.js';
import { describeInapplicable, inapplicableOptions, OPTION_SCOPES, type OptionScope } from './optionScopes.js';
import { quantizeModel } from './quantize.js';
import type { AnyQuantizeOptions, OptionFields, QuantMode, QuantizeOptions } from './types.js';
import { tinyBackend } from '../test-support/tinyBackend.js';

const MODES: QuantMode[] = ['static', 'dynamic', 'weight-only'];

/** A value of each scoped field that differs from its default. */
const SAMPLE: Required<Pick<AnyQuantizeOptions, keyof typeof OPTION_SCOPES>> = {
  activationType: 'int8', symmetricActivations: true, narrowRangeActivations: true, method: 'entropy', percentile: 99.9, averagingConstant: 0.1, sampleLimit: 0,
  format: 'qoperator', reduceRange: true, minOutputSqnrDb: 30, perChannel: false, symmetricWeights: false, blockSize: 16,
  weightScheme: 'log2', codebookSize: 16, biasCorrection: false,
};

/** x [2,32] → MatMul (w [32,16]) → Relu → y. */
function matMulModel(): Model {
  const t = new TinyGraph();
  t.input('x', [2, 32]);
  t.node('mm', 'MatMul', ['x', t.floats('w', [32, 16], [0.5, -0.25, 0.125, 1, -2, 0.03])], ['h']);
  t.node('relu', 'Relu', ['h'], ['y']);
  t.output('y');
  return createModel(t.graph, 21);
}

const fields = (o: AnyQuantizeOptions) => inapplicableOptions(o, resolveOptions(o)).map((x) => x.option);

/** Options as a JavaScript caller or a JSON config may give them, fields of other modes included. */
const untyped = (o: AnyQuantizeOptions): QuantizeOptions => o as QuantizeOptions;

describe('OPTION_SCOPES: which options each mode, method and weight scheme reads', () => {
  it.each(MODES)('in %s mode, exactly the fields scoped to other modes are inapplicable', (mode) => {
    for (const [field, scope] of Object.entries(OPTION_SCOPES) as Array<[keyof typeof SAMPLE, OptionScope]>) {
      const o: AnyQuantizeOptions = { mode, [field]: SAMPLE[field] };
      // method-scoped fields also need their method in static mode; codebookSize needs the codebook scheme
      if (mode === 'static' && scope.methods) o.method = scope.methods[0];
      if (mode === 'weight-only' && scope.weightSchemes) o.weightScheme = scope.weightSchemes[0];
      expect(fields(o).includes(field as keyof OptionFields), `${field} in ${mode}`).toBe(!scope.modes!.includes(mode));
    }
  });

  it('percentile, averagingConstant and sampleLimit apply to their methods only, the default method (mse) included', () => {
    expect(fields({ percentile: 99.9 })).toEqual(['percentile']);
    expect(fields({ percentile: 99.9, method: 'percentile' })).toEqual([]);
    expect(fields({ averagingConstant: 0.1, method: 'minmax' })).toEqual(['averagingConstant']);
    expect(fields({ averagingConstant: 0.1, method: 'moving-average' })).toEqual([]);
    expect(fields({ sampleLimit: 0, method: 'mean-minmax' })).toEqual(['sampleLimit']);
    expect(fields({ sampleLimit: 0 })).toEqual([]);
  });

  it('weight-only log2 and codebook schemes take no blocks or symmetry; codebookSize needs the codebook scheme', () => {
    expect(fields({ mode: 'weight-only', weightScheme: 'log2', blockSize: 64, symmetricWeights: false, codebookSize: 16 }))
      .toEqual(['symmetricWeights', 'blockSize', 'codebookSize']);
    expect(fields({ mode: 'weight-only', weightScheme: 'codebook', codebookSize: 16 })).toEqual([]);
    expect(fields({ mode: 'weight-only', blockSize: 64, symmetricWeights: false })).toEqual([]);
  });

  it('describes an inapplicable option by the setting that rules it out, with names the caller chooses', () => {
    const [x] = inapplicableOptions({ mode: 'dynamic', blockSize: 32 }, resolveOptions({ mode: 'dynamic', blockSize: 32 }));
    expect(describeInapplicable(x!)).toBe('blockSize applies to static and weight-only mode only, and this is dynamic mode');
    const [p] = inapplicableOptions({ percentile: 99 }, resolveOptions({ percentile: 99 }));
    expect(describeInapplicable(p!, (f) => `--${f}`)).toBe('--percentile applies to --method percentile only, and --method is mse');
  });
});

describe('quantizeModel and option scopes', () => {
  it('refuses an option that would have no effect with E_OPTION naming it, before quantizing', async () => {
    const e = await catchQtkRejection(quantizeModel(matMulModel(), untyped({ mode: 'dynamic', blockSize: 32, reduceRange: true }), { backend: tinyBackend }));
    expect([e.code, e.where.option]).toEqual(['E_OPTION', 'reduceRange']);
    expect(e.message).toBe('option reduceRange applies to static mode only, and this is dynamic mode; option blockSize applies to static and weight-only mode only, and this is dynamic mode: it would have no effect');
  });

  it('refuses blockSize 0 in weight-only mode, which always quantizes in blocks', async () => {
    const e = await catchQtkRejection(quantizeModel(matMulModel(), { mode: 'weight-only', blockSize: 0 }, { backend: tinyBackend }));
    expect([e.code, e.where.option]).toEqual(['E_OPTION', 'blockSize']);
  });

  // The other side of the table: an option it lets through changes the quantized model.
  it.each<[QuantMode, AnyQuantizeOptions]>([
    ['dynamic', { perChannel: false }],
    ['weight-only', { symmetricWeights: false }],
    ['weight-only', { blockSize: 16 }],
    ['weight-only', { weightScheme: 'log2' }],
    ['weight-only', { weightScheme: 'codebook', codebookSize: 16 }],
  ])('in %s mode, %j changes the model', async (mode, option) => {
    const base = option.codebookSize ? { mode, weightScheme: 'codebook' as const } : { mode };
    const bytes = async (o: AnyQuantizeOptions) => encodeModel((await quantizeModel(matMulModel(), untyped(o), { backend: tinyBackend })).model).model;
    expect(Buffer.compare(await bytes(base), await bytes({ ...base, ...option }))).not.toBe(0);
  });
});
