/**
 * The fixed set of models and option combinations whose quantized files must stay
 * byte-identical while the pipeline's internals change (the backend contract work):
 * the digits CNN with every calibration method and format, PP-OCRv4 rec with the
 * default options, ResNet18, MobileNetV2 and a BERT-like encoder, dynamic, weight-only
 * int4, codebook and mixed precision, and the `qtk quantize` command's defaults.
 * Each case returns the encoded ONNX bytes it produced; `hashes.json` holds their SHA-256.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeModel, encodeNpy, quantizeModel, Tensor, type Model, type QuantizeOptions } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { buildBertEncoder, buildMobileNetV2, buildResNet18 } from '@qtk/models';
import { run as runCli } from '../../packages/cli/src/main.js';
import { calibLines, loadRecModel } from '../bench/ocr-lines.js';

type Feeds = Record<string, Tensor>;

/** One golden case: a name and a function giving the quantized model's bytes. */
export interface GoldenCase {
  name: string;
  produce: () => Promise<Uint8Array>;
}

const fixtures = fileURLToPath(new URL('../../fixtures/digits/', import.meta.url));
const digitsPath = `${fixtures}digits_cnn.onnx`;

/** Deterministic float32 values in [-1, 1) from `seed` (LCG). */
function lcgTensor(dims: number[], seed: number): Tensor {
  let s = seed >>> 0;
  const d = new Float32Array(dims.reduce((a, b) => a * b, 1)).map(() => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
  return new Tensor('float32', d, dims);
}

/** The first `n` digits images in batches of `size`. */
function digitsBatches(n: number, size: number): Feeds[] {
  const all = readFileSync(`${fixtures}digits_x_f32_n1797_1x8x8.bin`);
  const out: Feeds[] = [];
  for (let i = 0; i < n; i += size) {
    const k = Math.min(size, n - i);
    const x = new Float32Array(all.buffer.slice(all.byteOffset + i * 256, all.byteOffset + (i + k) * 256));
    out.push({ input: new Tensor('float32', x, [k, 1, 8, 8]) });
  }
  return out;
}

/** Images of shape [1,3,224,224] from seeds `seed`, `seed + 1`, ... */
const imageBatches = (n: number, seed: number): Feeds[] => Array.from({ length: n }, (_, i) => ({ input: lcgTensor([1, 3, 224, 224], seed + i) }));

/** BERT feeds: token ids in [0, 1000) and a full attention mask, [1, 16]. */
function bertBatches(n: number): Feeds[] {
  return Array.from({ length: n }, (_, i) => {
    const ids = new BigInt64Array(16).map((_, j) => BigInt((i * 131 + j * 17 + 7) % 1000));
    return { input_ids: new Tensor('int64', ids, [1, 16]), attention_mask: new Tensor('int64', new BigInt64Array(16).fill(1n), [1, 16]) };
  });
}

const bytesOf = (m: Model) => encodeModel(m).model;

/** Quantizes `load()` with `options` and calibration `data` (none for dynamic/weight-only). */
const api = (name: string, load: () => Promise<Model> | Model, options: QuantizeOptions, data?: () => Feeds[]): GoldenCase => ({
  name,
  produce: async () => {
    const { model } = await quantizeModel(await load(), options, { backend: onnxruntimeBackend, ...(data && { executor: ortNode, calibration: data() }) });
    return bytesOf(model);
  },
});

const digits = () => loadModelFile(digitsPath);
const digitsCalib = () => digitsBatches(256, 32);

/** `qtk quantize` with default options on the digits CNN, 256 calibration images as .npy. */
const cliDigits: GoldenCase = {
  name: 'cli digits defaults',
  produce: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qtk-golden-'));
    try {
      const all = readFileSync(`${fixtures}digits_x_f32_n1797_1x8x8.bin`);
      const x = new Float32Array(all.buffer.slice(all.byteOffset, all.byteOffset + 256 * 256));
      writeFileSync(join(dir, 'calib.npy'), encodeNpy(new Tensor('float32', x, [256, 1, 8, 8])));
      const sink = { write: () => true } as unknown as NodeJS.WritableStream;
      const out = join(dir, 'q.onnx');
      const code = await runCli(['quantize', digitsPath, '-o', out, '--calib', join(dir, 'calib.npy')], { stdout: sink, stderr: sink } as never);
      if (code !== 0) throw new Error(`qtk quantize exited ${code}`);
      return new Uint8Array(readFileSync(out));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** Every golden case, in a fixed order. */
export const GOLDEN_CASES: GoldenCase[] = [
  ...(['minmax', 'moving-average', 'entropy', 'percentile', 'mse', 'mean-minmax'] as const).map((method) =>
    api(`digits static ${method}`, digits, { method }, digitsCalib)),
  api('digits static qoperator', digits, { format: 'qoperator' }, digitsCalib),
  api('digits static qoperator s8s8 per-tensor', digits, { format: 'qoperator', activationType: 'int8', perChannel: false }, digitsCalib),
  api('digits static int8 symmetric activations', digits, { activationType: 'int8', symmetricActivations: true }, digitsCalib),
  api('digits static uint16 activations', digits, { activationType: 'uint16', weightType: 'int8', method: 'minmax' }, digitsCalib),
  api('digits static reduce range no bias correction', digits, { reduceRange: true, biasCorrection: false }, digitsCalib),
  api('digits static per-block int4 weights', digits, { weightType: 'int4', blockSize: 32, method: 'minmax' }, digitsCalib),
  api('digits weight-only log2 int4', digits, { mode: 'weight-only', weightScheme: 'log2' }),
  api('digits static mixed precision 60 dB', digits, { minOutputSqnrDb: 60 }, digitsCalib),
  api('digits dynamic', digits, { mode: 'dynamic' }),
  api('digits weight-only int4', digits, { mode: 'weight-only' }),
  api('digits weight-only codebook 256', digits, { mode: 'weight-only', weightType: 'uint8', weightScheme: 'codebook' }),
  api('digits weight-only codebook 16', digits, { mode: 'weight-only', weightType: 'uint4', weightScheme: 'codebook', codebookSize: 16 }),
  cliDigits,
  api('ppocr-v4 rec defaults (16 lines)', loadRecModel, {}, () => calibLines(16).map((x) => ({ x }))),
  api('resnet18 defaults', () => buildResNet18({ seed: 1 }), {}, () => imageBatches(4, 11)),
  api('resnet18 qoperator entropy', () => buildResNet18({ seed: 1 }), { format: 'qoperator', method: 'entropy' }, () => imageBatches(4, 11)),
  api('mobilenetv2 defaults', () => buildMobileNetV2({ seed: 1 }), {}, () => imageBatches(4, 21)),
  api('mobilenetv2 percentile int8 activations', () => buildMobileNetV2({ seed: 1 }), { method: 'percentile', activationType: 'int8' }, () => imageBatches(4, 21)),
  api('bert static defaults', () => buildBertEncoder({ layers: 2, seqLen: 16 }), {}, () => bertBatches(8)),
  api('bert dynamic', () => buildBertEncoder({ layers: 2, seqLen: 16 }), { mode: 'dynamic' }),
  api('bert weight-only int4', () => buildBertEncoder({ layers: 2, seqLen: 16 }), { mode: 'weight-only' }),
  api('bert weight-only codebook 16', () => buildBertEncoder({ layers: 2, seqLen: 16 }), { mode: 'weight-only', weightType: 'uint4', weightScheme: 'codebook', codebookSize: 16 }),
];

/** SHA-256 (hex) of `bytes`. */
export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Path of the recorded hashes. */
export const HASHES_FILE = fileURLToPath(new URL('./hashes.json', import.meta.url));
