/**
 * The entry points a campaign drives with fuzzed bytes: `decode` (decodeModel), `quantize`
 * (decode, then dynamic quantization, or static quantization of digits-derived cases on
 * the digits data), `wasm` (@qtk/wasm InferenceSession.create and one run on zero or random
 * feeds of the declared input shapes). A reader of another format (the OpenVINO IR reader,
 * say) plugs in with `readerEntry`. Each entry returns normally or throws; the worker
 * classifies what it threw.
 * Example: `await ENTRY_POINTS.decode.run(fuzzCase)` throws a QtkError for truncated bytes.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeModel, quantizeModel, Tensor as CoreTensor, type Feeds, type Model } from '@qtk/core';
import { InferenceSession, Tensor, wasmExecutor, type TensorType } from '@qtk/wasm';
import type { Rng } from '@qtk/models';
import { randInt } from './mutators.js';
import { DIGITS_DIR } from './seeds.js';
import { probeEntry } from './probe.js';
import type { EntryPoint } from './entryPoint.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

/** An entry point under fuzz (defined in entryPoint.ts). */
export type { EntryPoint } from './entryPoint.js';

/** Most elements of one fed input (a larger declared input is not run, only created). */
export const MAX_FEED_ELEMENTS = 1 << 18;
/** Digits rows a static-mode case calibrates on (two batches of 8). */
const STATIC_BATCHES = 2;
const STATIC_BATCH = 8;

let digitsX: Float32Array | undefined;
function digitsBatches(input: string): Feeds[] {
  if (!digitsX) {
    const b = readFileSync(path.join(DIGITS_DIR, 'digits_x_f32_n1797_1x8x8.bin'));
    digitsX = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + STATIC_BATCHES * STATIC_BATCH * 256));
  }
  return Array.from({ length: STATIC_BATCHES }, (_, i) => ({
    [input]: new CoreTensor('float32', digitsX!.slice(i * STATIC_BATCH * 64, (i + 1) * STATIC_BATCH * 64), [STATIC_BATCH, 1, 8, 8]),
  }));
}

const WASM_TYPES: readonly TensorType[] = ['float32', 'uint8', 'int8', 'int32', 'int64', 'bool'];

/** Zero feeds (half the cases) or random ones of each declared graph input; undefined when one is too large. */
export function feedsFor(m: Model, rng: Rng): Record<string, Tensor> | undefined {
  const zero = rng.uniform() < 0.5;
  const feeds: Record<string, Tensor> = {};
  for (const v of m.graph.inputs) {
    if (m.graph.initializers.has(v.name) || v.type?.kind !== 'tensor') continue;
    const type = v.type.dtype as TensorType;
    if (!WASM_TYPES.includes(type)) continue;
    const dims = (v.type.shape ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    if (n > MAX_FEED_ELEMENTS) return undefined;
    let data;
    if (type === 'float32') data = Float32Array.from({ length: n }, () => (zero ? 0 : rng.normal()));
    else if (type === 'int64') data = BigInt64Array.from({ length: n }, () => (zero ? 0n : BigInt(randInt(rng, 4))));
    else data = Array.from({ length: n }, () => (zero ? 0 : randInt(rng, type === 'bool' ? 2 : 4)));
    feeds[v.name] = new Tensor(type, data as never, dims);
  }
  return feeds;
}

const decode: EntryPoint = {
  name: 'decode',
  description: 'decodeModel on the bytes',
  async run(c) {
    decodeModel(c.bytes);
  },
};

const quantize: EntryPoint = {
  name: 'quantize',
  description: 'decodeModel, then quantizeModel: dynamic, or static with digits calibration data on the wasm engine for digits cases',
  async run(c) {
    const m = decodeModel(c.bytes);
    if (c.from.group === 'digits' && c.rng.uniform() < 0.5) {
      const input = m.graph.inputs.find((v) => !m.graph.initializers.has(v.name))?.name ?? 'input';
      await quantizeModel(m, { mode: 'static' }, { backend: onnxruntimeBackend, executor: wasmExecutor, calibration: digitsBatches(input) });
    } else {
      await quantizeModel(m, { mode: 'dynamic' }, { backend: onnxruntimeBackend });
    }
  },
};

const wasm: EntryPoint = {
  name: 'wasm',
  description: '@qtk/wasm InferenceSession.create, then one run on zero or random feeds of the declared shapes',
  async run(c) {
    const session = await InferenceSession.create(c.bytes);
    try {
      // create decoded these bytes already, so this decode succeeds
      const feeds = feedsFor(decodeModel(c.bytes), c.rng);
      if (feeds) await session.run(feeds);
    } finally {
      await session.release();
    }
  },
};

/** An entry point over a reader of another format: it passes when `read` returns. */
export function readerEntry(name: string, description: string, read: (bytes: Uint8Array) => unknown, groups?: readonly string[]): EntryPoint {
  return { name, description, groups, async run(c) { await read(c.bytes); } };
}

/**
 * Entry points by name (`probe` checks the harness itself); add the IR reader here as
 * `ir: readerEntry('ir', ..., readIr, ['ir'])` with its seeds in `seeds.ts` once it exists.
 */
export const ENTRY_POINTS: Readonly<Record<string, EntryPoint>> = { decode, quantize, wasm, probe: probeEntry };
