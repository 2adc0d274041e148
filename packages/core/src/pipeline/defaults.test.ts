import { describe, expect, it } from 'vitest';
import { isQtkError } from '../errors/QtkError.js';
import { DEFAULT_SAMPLE_LIMIT, resolveOptions } from './defaults.js';

describe('resolveOptions: sampleLimit', () => {
  it('defaults to DEFAULT_SAMPLE_LIMIT (16384) and keeps 0 (count every value)', () => {
    expect(DEFAULT_SAMPLE_LIMIT).toBe(16384);
    expect(resolveOptions({}).sampleLimit).toBe(16384);
    expect(resolveOptions({ sampleLimit: 0 }).sampleLimit).toBe(0);
  });
  it('rejects negative or fractional limits with E_OPTION naming sampleLimit', () => {
    for (const bad of [-1, 1.5]) {
      let err: unknown;
      try { resolveOptions({ sampleLimit: bad }); } catch (e) { err = e; }
      expect(isQtkError(err) && err.code === 'E_OPTION' && err.where?.option === 'sampleLimit').toBe(true);
    }
  });
});

describe('resolveOptions: biasCorrection', () => {
  it('is on unless turned off', () => {
    expect(resolveOptions({}).biasCorrection).toBe(true);
    expect(resolveOptions({ biasCorrection: false }).biasCorrection).toBe(false);
  });
});

describe('resolveOptions: a mode keeps the fields it reads', () => {
  it('static mode resolves every static field and leaves out the weight-only scheme fields', () => {
    const r = resolveOptions({});
    expect(r).toMatchObject({ mode: 'static', method: 'mse', format: 'qdq', activationType: 'int8', weightType: 'int8', blockSize: 0, perChannel: true });
    expect('weightScheme' in r || 'codebookSize' in r).toBe(false);
  });

  it('dynamic mode resolves only the common fields and perChannel', () => {
    expect(Object.keys(resolveOptions({ mode: 'dynamic' })).sort()).toEqual(['exclude', 'mode', 'opTypes', 'perChannel', 'preprocess', 'version', 'weightType']);
  });

  it('weight-only mode resolves int4 weights in blocks of 32, uniform, and no activation fields', () => {
    const r = resolveOptions({ mode: 'weight-only' });
    expect(r).toMatchObject({ weightType: 'int4', blockSize: 32, weightScheme: 'uniform', codebookSize: 256, symmetricWeights: true });
    expect(['method', 'activationType', 'format', 'perChannel', 'biasCorrection'].filter((k) => k in r)).toEqual([]);
  });

  it('keeps backendOptions as given, and refuses one that is not an object (E_OPTION naming the field)', () => {
    const backendOptions = { convChannelMultiple: 4 };
    expect(resolveOptions<typeof backendOptions>({ backendOptions }).backendOptions).toBe(backendOptions);
    expect('backendOptions' in resolveOptions({})).toBe(false);
    let err: unknown;
    try { resolveOptions({ backendOptions: [4] } as never); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_OPTION') && err.where.option).toBe('backendOptions');
  });
});
