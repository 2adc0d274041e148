/**
 * qtk's half of the side-by-side run against onnxruntime's own quantization tool
 * (tools/anchors/side-by-side.sh runs both on one machine). Writes into OUTDIR:
 *   - models mode: the ResNet18 and MobileNetV2 builders' models and, per calibration
 *     seed S, the inputs both tools share: `calib_sS.f32` (raw float32, for onnxruntime's
 *     tool), `calib_sS.npy` (the same values, for `qtk quantize --calib`) and
 *     `eval_sS.f32` / `eval_sS.npy`; one JSON line per seed with the SHA-256 of the raw
 *     files, so that both machines can be shown to use the same bytes. The models are
 *     quantized by the qtk command itself, with its defaults (see side-by-side.sh);
 *   - OCR mode: the OCR calibration lines as float32, qtk's quantized model and one JSON
 *     line per timing.
 * Usage: node qtk-side.mjs OUTDIR [SEEDS=1]        (models; SEEDS comma-separated, e.g. 1,2,3)
 *        node qtk-side.mjs OUTDIR OCR_MODEL OCR_CALIB_BIN [ocrCalibN=100] [method=entropy] [sampleLimits]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor, encodeModel, encodeNpy, quantizeModel, type Feeds, type Model, type QuantizeOptions } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildMobileNetV2, buildResNet18 } from '@qtk/models';
import { CALIB_IMAGES, EVAL_IMAGES, batches, evalSeed, images } from './sideBySideData.ts';
import { LINE_PIXELS, lineTensor } from '../bench/ocrLine.ts';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const [out = 'sbs', second, ocrCalib, ocrN = '100', ocrMethod = 'entropy', ocrLimits = ''] = process.argv.slice(2);
const seedList = second === undefined || /^\d+(,\d+)*$/.test(second) ? (second ?? '1').split(',').map(Number) : undefined;
const ocrModel = seedList ? undefined : second;
mkdirSync(out, { recursive: true });

/** Writes `n` images of `seed` as `name.f32` and `name.npy`; returns the SHA-256 of the raw bytes. */
function writeImages(name: string, n: number, seed: number): string {
  const d = images(n, seed);
  const raw = Buffer.from(d.buffer);
  writeFileSync(join(out, `${name}.f32`), raw);
  writeFileSync(join(out, `${name}.npy`), encodeNpy(new Tensor('float32', [n, 3, 224, 224], d)));
  return createHash('sha256').update(raw).digest('hex');
}

async function run(tag: string, m: Model, feeds: Feeds[], options: QuantizeOptions): Promise<void> {
  const t0 = performance.now();
  const { model } = await quantizeModel(m, options, { backend: onnxruntimeBackend, executor: ortNode, calibration: feeds });
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(join(out, `${tag}_qtk.onnx`), encodeModel(model).model);
  console.log(JSON.stringify({ tool: 'qtk', model: tag, options, quantize_s: +seconds.toFixed(3) }));
}

if (seedList) {
  for (const [tag, m] of [['resnet18', buildResNet18({ seed: 1 })], ['mobilenetv2', buildMobileNetV2({ seed: 1 })]] as const) {
    writeFileSync(join(out, `${tag}.onnx`), encodeModel(m).model);
  }
  for (const seed of seedList) {
    const calib = writeImages(`calib_s${seed}`, CALIB_IMAGES, seed);
    const evaluation = writeImages(`eval_s${seed}`, EVAL_IMAGES, evalSeed(seed));
    console.log(JSON.stringify({ seed, eval_seed: evalSeed(seed), calib_sha256: calib, eval_sha256: evaluation }));
  }
} else if (ocrModel && ocrCalib) {
  const n = Number(ocrN);
  const px = readFileSync(ocrCalib);
  const x = new Float32Array(n * 3 * LINE_PIXELS);
  for (let i = 0; i < n; i++) x.set(lineTensor(px, i).data as Float32Array, i * 3 * LINE_PIXELS);
  writeFileSync(join(out, 'ocr_calib.f32'), Buffer.from(x.buffer));
  const m = await loadModelFile(ocrModel);
  const feeds = batches(x, n, 'x', [1, 3, 48, 320]);
  const fp32Pass = async () => {
    const s = await ortNode.createSession(m, {});
    const t0 = performance.now();
    for (const f of feeds) await s.run(f);
    const inferS = (performance.now() - t0) / 1000;
    await s.release();
    console.log(JSON.stringify({ tool: 'onnxruntime-node', model: 'ocr_rec', fp32_pass_s: +inferS.toFixed(3), lines: n }));
  };
  // With limits (comma-separated sampleLimit values), one quantization per limit, each between FP32 passes.
  const limits = ocrLimits ? ocrLimits.split(',').map(Number) : [undefined];
  await fp32Pass();
  for (const sampleLimit of limits) {
    await run('ocr_rec', m, feeds, { method: ocrMethod as QuantizeOptions['method'], ...(sampleLimit !== undefined && { sampleLimit }) });
    await fp32Pass();
  }
}
