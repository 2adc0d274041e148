/**
 * @qtk/models/testing: the Node loader of the fixtures that `@qtk/core/testing`'s shared
 * suites take (digits set from the repository's fixtures/digits, silero VAD files from
 * the @ricky0123/vad-web package, this package's builders). Test files only: it reads
 * files relative to the workspace checkout.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DigitsData, PipelineFixtures } from '@qtk/core/testing';
import { GraphBuilder } from './builder.js';
import { buildResNet18 } from './resnet18.js';
import { buildMobileNetV2 } from './mobilenetv2.js';
import { buildBertEncoder } from './bertEncoder.js';
import { buildPytorchStyleCnn } from './pytorchStyle.js';

const ROOT = new URL('../../../', import.meta.url);
/** Path of a file of the workspace checkout, from its root: `fixtures/digits/digits_cnn.onnx`. */
export const workspaceFile = (relative: string): string => fileURLToPath(new URL(relative, ROOT));

const bytes = async (relative: string) => new Uint8Array(await readFile(workspaceFile(relative)));

/** Path of the digits CNN (input 'input' [N,1,8,8], output 'logits' [N,10]). */
export const DIGITS_MODEL = workspaceFile('fixtures/digits/digits_cnn.onnx');

/** The digits set read from fixtures/digits: CNN bytes, 1797 images, labels. */
export function readDigits(): DigitsData {
  const read = (name: string) => new Uint8Array(readFileSync(workspaceFile(`fixtures/digits/${name}`)));
  const x = read('digits_x_f32_n1797_1x8x8.bin');
  return { model: read('digits_cnn.onnx'), images: new Float32Array(x.buffer, x.byteOffset, x.byteLength / 4), labels: read('digits_y_u8_n1797.bin') };
}

/** The shared suites' fixtures read from the workspace checkout; each file is read once. */
export function nodePipelineFixtures(): PipelineFixtures {
  let digits: Promise<DigitsData> | undefined;
  const vads = new Map<string, Promise<Uint8Array>>();
  return {
    digits: () => (digits ??= Promise.resolve().then(readDigits)),
    sileroVad: (version) => {
      const file = `node_modules/@ricky0123/vad-web/dist/silero_vad_${version}.onnx`;
      if (!vads.has(file)) vads.set(file, bytes(file));
      return vads.get(file)!;
    },
    models: {
      resnet18: buildResNet18,
      mobileNetV2: buildMobileNetV2,
      bertEncoder: buildBertEncoder,
      pytorchStyleCnn: buildPytorchStyleCnn,
      graphBuilder: (name, seed) => new GraphBuilder(name, seed),
    },
  };
}
