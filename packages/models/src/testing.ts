/**
 * @qtk/models/testing: the Node loader of the fixtures that `@qtk/core/testing`'s shared
 * suites take (digits set from the repository's fixtures/digits, silero VAD files from
 * the @ricky0123/vad-web package, this package's builders). Test files only: it reads
 * files relative to the workspace checkout.
 */
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

async function readDigits(): Promise<DigitsData> {
  const [model, x, labels] = await Promise.all([
    bytes('fixtures/digits/digits_cnn.onnx'),
    bytes('fixtures/digits/digits_x_f32_n1797_1x8x8.bin'),
    bytes('fixtures/digits/digits_y_u8_n1797.bin'),
  ]);
  return { model, images: new Float32Array(x.buffer, x.byteOffset, x.byteLength / 4), labels };
}

/** The shared suites' fixtures read from the workspace checkout; each file is read once. */
export function nodePipelineFixtures(): PipelineFixtures {
  let digits: Promise<DigitsData> | undefined;
  const vads = new Map<string, Promise<Uint8Array>>();
  return {
    digits: () => (digits ??= readDigits()),
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
