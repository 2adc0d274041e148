import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeTensorBytes, isQtkError } from '@qtk/core';
import { InferenceSession, Tensor } from './index.js';

const ROOT = fileURLToPath(new URL('../../../fixtures/onnx-backend-node/', import.meta.url));

/** Outcome of one ONNX backend case: refused (typed error while loading/planning), passed, or failed with a reason. */
async function runCase(dir: string): Promise<{ accepted: boolean; failure?: string }> {
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

describe('ONNX backend node cases (fixtures/onnx-backend-node)', () => {
  it('every case the engine accepts matches the reference outputs; the rest are refused with typed errors', async () => {
    const cases = readdirSync(ROOT).filter((d) => d.startsWith('test_')).sort();
    const failures: string[] = [];
    let accepted = 0;
    for (const c of cases) {
      const r = await runCase(`${ROOT}${c}`);
      if (r.accepted) accepted++;
      if (r.failure) failures.push(`${c}: ${r.failure}`);
    }
    console.log(`ONNX backend cases: ${accepted} of ${cases.length} accepted (${((100 * accepted) / cases.length).toFixed(1)}%), ${accepted - failures.length} passed`);
    expect(failures).toEqual([]);
    expect(accepted / cases.length).toBeGreaterThanOrEqual(0.85);
  }, 300_000);
});
