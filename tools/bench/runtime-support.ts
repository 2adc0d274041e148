/**
 * The runtime support table of docs/quantization.md: the digits CNN quantized in each
 * form (static forms calibrated on its first 256 rows in batches of 32, as `qtk demo`
 * does), run in onnxruntime-node and in onnxruntime-web's wasm backend (in Node), with
 * the accuracy of each on the 500 test rows. A form a runtime cannot load or run shows
 * the error instead. Prints a Markdown table.
 * Usage: npx tsx --conditions=@qtk/source tools/bench/runtime-support.ts
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { batchSamples, parseRawFloat32, quantizeModel, sliceRows, type Executor, type Model, type QuantizeOptions } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { ortWeb } from '@qtk/onnxruntime/web';
import { DIGITS, accuracy, findDigitsDir } from '../../packages/cli/src/commands/demo.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

/** Each row of the table: its label and the options it is quantized with (undefined: FP32). */
const FORMS: ReadonlyArray<readonly [string, QuantizeOptions | undefined]> = [
  ['FP32', undefined],
  ['static QDQ, uint8 activations, int8 weights', {}],
  ['static QDQ, int8 activations, int8 weights', { activationType: 'int8' }],
  ['static QOperator, uint8 activations', { format: 'qoperator' }],
  ['static QOperator, int8 activations', { format: 'qoperator', activationType: 'int8' }],
  ['dynamic', { mode: 'dynamic' }],
  ['A16W8 (int16 activations, int8 weights)', { activationType: 'int16' }],
  ['A16W16', { activationType: 'int16', weightType: 'int16' }],
  ['int4 weights per channel (QDQ)', { weightType: 'int4' }],
  ['int4 weights per block of 32 (QDQ)', { weightType: 'int4', blockSize: 32 }],
  ['weight-only int4, blocks of 32', { mode: 'weight-only' }],
  ['weight-only uint4 (asymmetric)', { mode: 'weight-only', weightType: 'uint4' }],
  ['weight-only int8', { mode: 'weight-only', weightType: 'int8' }],
  ['weight-only codebook of 16', { mode: 'weight-only', weightScheme: 'codebook', codebookSize: 16 }],
  ['weight-only log2, 4-bit', { mode: 'weight-only', weightScheme: 'log2' }],
];

const dir = findDigitsDir();
const model = await loadModelFile(path.join(dir, DIGITS.model));
const x = parseRawFloat32(await readFile(path.join(dir, DIGITS.x)), [DIGITS.rows, 1, 8, 8], DIGITS.x);
const labels = new Uint8Array(await readFile(path.join(dir, DIGITS.y))).subarray(DIGITS.trainEnd);
const input = model.graph.inputs[0]!;
const output = model.graph.outputs[0]!.name;
const calibration = batchSamples(sliceRows(x, 0, DIGITS.calibRows), input, { batchSize: DIGITS.calibBatch }).batches.map((t) => ({ [input.name]: t }));
const test = { [input.name]: sliceRows(x, DIGITS.trainEnd, DIGITS.rows) };

/** Accuracy of `m` on the test rows in `executor`, or the error it gave. */
async function accuracyIn(executor: Executor, m: Model): Promise<string> {
  try {
    const session = await executor.createSession(m, {});
    try {
      return accuracy((await session.run(test, [output]))[output]!, labels).toFixed(3);
    } finally {
      await session.release();
    }
  } catch (e) {
    return `error: ${(e as Error).message.split('\n')[0]}`;
  }
}

console.log(`digits CNN, ${DIGITS.calibRows} calibration rows, accuracy on ${labels.length} test rows`);
console.log('| form | onnxruntime-node | onnxruntime-web |');
console.log('| --- | --- | --- |');
for (const [label, options] of FORMS) {
  const m = options === undefined ? model : (await quantizeModel(model, options, { backend: onnxruntimeBackend, executor: ortNode, calibration })).model;
  console.log(`| ${label} | ${await accuracyIn(ortNode, m)} | ${await accuracyIn(ortWeb, m)} |`);
}
