/**
 * qtk's half of the side-by-side run against onnxruntime's own quantization tool
 * (tools/anchors/side-by-side.sh runs both on one machine). Writes into OUTDIR:
 * the ResNet18 and MobileNetV2 builders' models, the calibration and evaluation inputs
 * both tools share (raw float32), qtk's quantized models, the OCR calibration lines as
 * float32, and one JSON line per timing.
 * Usage: node qtk-side.mjs OUTDIR                  (ResNet18 and MobileNetV2)
 *        node qtk-side.mjs OUTDIR OCR_MODEL OCR_CALIB_BIN [ocrCalibN=100] [method=entropy]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel, quantizeModel, type Feeds, type Model, type QuantizeOptions } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildMobileNetV2, buildResNet18 } from '@qtk/models';
import { batches, images } from './sideBySideData.ts';
import { LINE_PIXELS, lineTensor } from '../bench/ocrLine.ts';

const [out = 'sbs', ocrModel, ocrCalib, ocrN = '100', ocrMethod = 'entropy', ocrLimits = ''] = process.argv.slice(2);
mkdirSync(out, { recursive: true });

const calib = images(32, 1), evalSet = images(16, 1234);
writeFileSync(join(out, 'calib.f32'), Buffer.from(calib.buffer));
writeFileSync(join(out, 'eval.f32'), Buffer.from(evalSet.buffer));
async function run(tag: string, m: Model, feeds: Feeds[], options: QuantizeOptions): Promise<void> {
  const t0 = performance.now();
  const { model } = await quantizeModel(m, options, { executor: ortNode, calibration: feeds });
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(join(out, `${tag}_qtk.onnx`), encodeModel(model).model);
  console.log(JSON.stringify({ tool: 'qtk', model: tag, options, quantize_s: +seconds.toFixed(3) }));
}

if (!ocrModel) {
  for (const [tag, m] of [['resnet18', buildResNet18({ seed: 1 })], ['mobilenetv2', buildMobileNetV2({ seed: 1 })]] as const) {
    writeFileSync(join(out, `${tag}.onnx`), encodeModel(m).model);
    await run(tag, m, batches(calib, 32, 'input', [1, 3, 224, 224]), {});
  }
} else if (ocrCalib) {
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
