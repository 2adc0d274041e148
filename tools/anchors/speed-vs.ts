/**
 * Latency on this machine of qtk's default INT8 model against other tools' quantized files
 * of the same float model (e.g. onnxruntime's tool run by side-by-side.sh), in
 * onnxruntime-node at 2 threads, batch 1: all variants interleaved round by round, medians.
 * Usage: npx tsx --conditions=@qtk/source tools/anchors/speed-vs.ts resnet18|mobilenetv2 [OTHER.onnx ...] [--rounds=40]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeModel, quantizeModel } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildMobileNetV2, buildResNet18 } from '@qtk/models';
import { calibrationFeeds, images } from './sideBySideData.ts';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const args = process.argv.slice(2);
const which = args[0] ?? 'resnet18';
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 40);
const others = args.slice(1).filter((a) => !a.startsWith('--'));
const m = which === 'resnet18' ? buildResNet18({ seed: 1 }) : buildMobileNetV2({ seed: 1 });
const { model: q } = await quantizeModel(m, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: calibrationFeeds() });
const variants: Array<[string, Uint8Array]> = [['fp32', encodeModel(m).model], ['qtk', encodeModel(q).model], ...others.map((f) => [basename(f), new Uint8Array(readFileSync(f))] as [string, Uint8Array])];
const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 2, interOpNumThreads: 1, extra: { session: { intra_op: { allow_spinning: '0' } } } };
const sessions = await Promise.all(variants.map(([, b]) => ort.InferenceSession.create(b, opts)));
const x = new ort.Tensor('float32', images(1, 99), [1, 3, 224, 224]);
for (const s of sessions) for (let i = 0; i < 5; i++) await s.run({ input: x });
const times = variants.map(() => [] as number[]);
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < sessions.length; k++) {
    const i = (k + r) % sessions.length;
    const t = performance.now(); await sessions[i]!.run({ input: x }); times[i]!.push(performance.now() - t);
  }
}
const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const base = med(times[0]!);
for (let i = 0; i < variants.length; i++) console.log(`${which} ${variants[i]![0].padEnd(32)} median ${med(times[i]!).toFixed(2)} ms  speed-up vs fp32 ${(base / med(times[i]!)).toFixed(2)}x`);
