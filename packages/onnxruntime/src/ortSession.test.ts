import { describe, expect, it } from 'vitest';
import { createGraph, createModel } from '@qtk/core';
import { createOrtSession, type OrtModule } from './ortSession.js';

/** An onnxruntime stand-in that records the session options it was given. */
function recordingOrt(seen: unknown[]): OrtModule {
  return {
    InferenceSession: {
      async create(_bytes, options) {
        seen.push(options);
        return { inputNames: [], outputNames: [], release: async () => {} } as never;
      },
    },
    Tensor: class {} as never,
  };
}

describe('createOrtSession', () => {
  it('maps spinning to session.intra_op.allow_spinning, keeping the caller\'s other extra options', async () => {
    const seen: unknown[] = [];
    const ort = recordingOrt(seen);
    const model = createModel(createGraph());
    await createOrtSession(ort, model, { spinning: false, ortOptions: { extra: { session: { intra_op: { foo: '1' }, bar: '2' } } } });
    await createOrtSession(ort, model, { threads: 2, spinning: true });
    await createOrtSession(ort, model, {});
    expect(seen).toEqual([
      { extra: { session: { intra_op: { foo: '1', allow_spinning: '0' }, bar: '2' } } },
      { intraOpNumThreads: 2, interOpNumThreads: 1, extra: { session: { intra_op: { allow_spinning: '1' } } } },
      {},
    ]);
  });
});
