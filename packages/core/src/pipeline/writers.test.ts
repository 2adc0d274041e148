import { describe, expect, it } from 'vitest';
import { createGraph, createModel } from '../ir/graph.js';
import type { Executor } from '../exec/executor.js';
import { catchQtkRejection } from '../test-support/expectQtkError.js';
import type { FormatWriter } from '../convert/writers.js';
import { quantizeModel } from './quantize.js';
import { tinyBackend } from '../test-support/tinyBackend.js';

/** An executor that fails the test if anything runs it. */
const unusedExecutor = { name: 'unused', createSession: () => { throw new Error('calibration ran'); } } as unknown as Executor;

describe('quantizeModel and the writers of the context', () => {
  it('refuses format qoperator without a writer for it with E_OPTION naming the format, before calibrating', async () => {
    const m = createModel(createGraph('g'), 17);
    const other: FormatWriter = { format: 'other', write: () => ({ converted: [], kept: [] }) };
    const e = await catchQtkRejection(quantizeModel(m, { format: 'qoperator' }, { backend: tinyBackend, executor: unusedExecutor, calibration: [], writers: { formats: [other] } }));
    expect(e.code).toBe('E_OPTION');
    expect(e.message).toContain("format='qoperator'");
    expect(e.message).toContain('the backend writes qdq, other only');
  });
});
