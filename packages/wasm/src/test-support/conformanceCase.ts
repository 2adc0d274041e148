/** Runs one ONNX backend node case (fixtures/onnx-backend-node/<case>) on the engine against its reference outputs. */
import { existsSync, readFileSync } from 'node:fs';
import { decodeTensorBytes, isQtkError } from '@qtk/core';
import { InferenceSession, Tensor } from '../index.js';

/**
 * Outcome of one case: refused (typed error while loading or planning: `accepted`
 * false), passed (`accepted` true, no `failure`), or failed with a reason.
 */
export interface CaseOutcome {
  accepted: boolean;
  failure?: string;
}

/** Loads `dir`/model.onnx, runs test_data_set_0 and compares every output (float32 within 1e-4 + 1e-3·|ref|, others exactly). */
export async function runCase(dir: string): Promise<CaseOutcome> {
  let s: InferenceSession;
  try {
    s = await InferenceSession.create(readFileSync(`${dir}/model.onnx`));
  } catch (e) {
    if (isQtkError(e)) return { accepted: false };
    return { accepted: true, failure: `untyped error at create: ${(e as Error).message}` };
  }
  const data = `${dir}/test_data_set_0`;
  const feeds: Record<string, Tensor> = {};
  for (const [i, n] of s.inputNames.entries()) {
    const t = decodeTensorBytes(readFileSync(`${data}/input_${i}.pb`));
    feeds[n] = new Tensor(t.dtype as 'float32', t.data as Float32Array, t.dims);
  }
  let out: Record<string, Tensor>;
  try {
    out = await s.run(feeds);
  } catch (e) {
    // graphs whose shape operands are graph inputs are planned on the first run: a typed
    // E_UNSUPPORTED there is a refusal, anything else a failure
    if (isQtkError(e, 'E_UNSUPPORTED')) return { accepted: false };
    return { accepted: true, failure: `run: ${(e as Error).message}` };
  }
  for (const [i, n] of s.outputNames.entries()) {
    const f = `${data}/output_${i}.pb`;
    if (!existsSync(f)) continue;
    const want = decodeTensorBytes(readFileSync(f));
    const got = out[n]!;
    if (got.dims.join() !== want.dims.join()) return { accepted: true, failure: `${n}: dims [${got.dims}] vs [${want.dims}]` };
    const a = Array.from(got.data as ArrayLike<number | bigint>, Number), b = want.toNumbers();
    for (let j = 0; j < b.length; j++) {
      const tol = want.dtype === 'float32' ? 1e-4 + 1e-3 * Math.abs(b[j]!) : 0;
      const same = Math.abs(a[j]! - b[j]!) <= tol || (Number.isNaN(a[j]) && Number.isNaN(b[j]));
      if (!same) return { accepted: true, failure: `${n}[${j}]: ${a[j]} vs ${b[j]} (${want.dtype})` };
    }
  }
  return { accepted: true };
}
