/**
 * The seed corpus of the fuzz campaigns: real models in groups (the digits CNN, the silero
 * VAD models of @ricky0123/vad-web, the ONNX backend conformance cases, small models built
 * by @qtk/models). Cases draw a group first, then a model in it, so the 400-odd tiny
 * conformance models do not crowd out the few large ones.
 * Example: `loadSeeds().groups.get('digits')![0].name === 'digits/digits_cnn.onnx'`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { encodeModel } from '@qtk/core';
import { buildBertEncoder, buildPytorchStyleCnn } from '@qtk/models';
import { parseMessage, type WireField } from './wire.js';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Folder of the digits CNN and its data. */
export const DIGITS_DIR = path.join(REPO_ROOT, 'fixtures/digits');

/** One seed model: its bytes and their wire tree. */
export interface SeedModel {
  /** Group and file (or builder) name, e.g. 'conformance/test_abs'. */
  name: string;
  group: string;
  bytes: Uint8Array;
  tree: WireField[];
}

/** Seed models by group, groups in a fixed order. */
export interface SeedCorpus {
  groups: Map<string, SeedModel[]>;
  all: SeedModel[];
}

function seed(group: string, name: string, data: Uint8Array): SeedModel {
  const bytes = new Uint8Array(data); // a plain copy, never a Node Buffer another case could write through
  const tree = parseMessage(bytes);
  if (!tree) throw new Error(`seed ${group}/${name} does not parse as protobuf`);
  return { name: `${group}/${name}`, group, bytes, tree };
}

function readSeed(group: string, name: string, file: string): SeedModel {
  return seed(group, name, readFileSync(file));
}

/** Loads every seed model, in a fixed order (the same corpus gives the same cases). */
export function loadSeeds(): SeedCorpus {
  const groups = new Map<string, SeedModel[]>();
  groups.set('digits', [readSeed('digits', 'digits_cnn.onnx', path.join(DIGITS_DIR, 'digits_cnn.onnx'))]);

  const vadDir = path.join(REPO_ROOT, 'node_modules/@ricky0123/vad-web/dist');
  const vad = existsSync(vadDir) ? readdirSync(vadDir).filter((f) => f.endsWith('.onnx')).sort() : [];
  if (vad.length) groups.set('vad', vad.map((f) => readSeed('vad', f, path.join(vadDir, f))));

  const confDir = path.join(REPO_ROOT, 'fixtures/onnx-backend-node');
  const conf = readdirSync(confDir).filter((d) => existsSync(path.join(confDir, d, 'model.onnx'))).sort();
  groups.set('conformance', conf.map((d) => readSeed('conformance', d, path.join(confDir, d, 'model.onnx'))));

  groups.set('built', [
    seed('built', 'pytorch-style-cnn', encodeModel(buildPytorchStyleCnn({ seed: 1, batch: 1 })).model),
    seed('built', 'bert-tiny', encodeModel(buildBertEncoder({ seed: 1, layers: 1, hidden: 32, heads: 2, intermediate: 64, vocab: 50, maxPosition: 16, seqLen: 8, batch: 1 })).model),
  ]);
  return { groups, all: [...groups.values()].flat() };
}
