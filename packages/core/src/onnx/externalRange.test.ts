// The browser-safe decoder checks external data entries before it asks its resolver.
import { describe, expect, it } from 'vitest';
import { decodeModel } from './decode.js';
import { parseExternalRange } from './externalRange.js';
import { catchQtkError } from '../test-support/expectQtkError.js';
import { WEIGHT_BYTES, modelWithExternalData } from '../test-support/externalDataModel.js';

describe('parseExternalRange', () => {
  it('reads decimal offsets and lengths, offset 0 and no length when absent', () => {
    expect(parseExternalRange('4096', '48', 'w', 'w.bin')).toEqual({ offset: 4096, length: 48 });
    expect(parseExternalRange(undefined, undefined, 'w', 'w.bin')).toEqual({ offset: 0 });
  });

  it.each([['1.5'], ['-4'], ['0.5'], ['1e3'], ['0x10'], [' 4'], [''], ['9007199254740992']])('refuses %j with E_EXTERNAL_DATA', (text) => {
    const e = catchQtkError(() => parseExternalRange('0', text, 'w', 'w.bin'));
    expect(e.code).toBe('E_EXTERNAL_DATA');
    expect(e.message).toMatch(new RegExp(`^tensor 'w': external data 'w.bin' has length '${text.replace(/[.+]/g, '\\$&')}', `));
  });
});

describe('decodeModel with an externalData resolver', () => {
  it('asks for the tensor byte size when the model declares no length', () => {
    const asked: unknown[] = [];
    const m = decodeModel(modelWithExternalData({ location: 'w.bin', offset: '8' }), {
      externalData: (...a) => { asked.push(a); return WEIGHT_BYTES; },
    });
    expect(asked).toEqual([['w.bin', 8, 48]]);
    expect(m.graph.initializers.get('w')!.toFloat32()[11]).toBe(3);
  });

  it.each([['1.5'], ['-4'], ['40']])('never asks the resolver for length %s', (length) => {
    let asked = false;
    const e = catchQtkError(() => decodeModel(modelWithExternalData({ location: 'w.bin', length }), { externalData: () => { asked = true; return WEIGHT_BYTES; } }));
    expect([e.code, e.where.tensor, asked]).toEqual(['E_EXTERNAL_DATA', 'w', false]);
  });

  it('turns a plain error of the resolver into E_EXTERNAL_DATA naming the tensor and location', () => {
    const e = catchQtkError(() => decodeModel(modelWithExternalData({ location: 'w.bin' }), { externalData: () => { throw new RangeError('boom'); } }));
    expect([e.code, e.message]).toEqual(['E_EXTERNAL_DATA', "tensor 'w': cannot read external data 'w.bin': boom"]);
  });
});
