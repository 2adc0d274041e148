import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, encodeNpy, isQtkError, parseRawFloat32, quantizeModel, sliceRows, type Tensor } from '@qtk/core';
import { loadModelFile, saveModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { parseCommandArgs } from '../args.js';
import { compareCommand } from './compare.js';
import { encodePng } from '../test-support/images.js';
import { useTempDir } from '../test-support/tempDir.js';
import { captureRun } from '../test-support/cliRun.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const DIGITS = fileURLToPath(new URL('../../../../fixtures/digits/', import.meta.url));
const MODEL = path.join(DIGITS, 'digits_cnn.onnx');

/** Runs `qtk compare` through the command object with collecting streams. */
function compare(...argv: string[]) {
  return captureRun((io) => compareCommand.run(parseCommandArgs(compareCommand, argv), io));
}

/** The QtkError a compare run rejects with. */
async function compareError(...argv: string[]) {
  try {
    await compare(...argv);
  } catch (e) {
    if (isQtkError(e)) return e;
    throw e;
  }
  throw new Error('expected qtk compare to fail');
}

const tmp = useTempDir('qtk-cli-compare-');
let quant: string;
let quantized: string[];
let x: Tensor;
beforeAll(async () => {
  x = parseRawFloat32(await fs.readFile(path.join(DIGITS, 'digits_x_f32_n1797_1x8x8.bin')), [1797, 1, 8, 8]);
  const model = await loadModelFile(MODEL);
  const { model: q, report } = await quantizeModel(model, {}, { backend: onnxruntimeBackend, executor: ortNode, calibration: [{ input: sliceRows(x, 0, 128) }] });
  quantized = report.quantized.map((n) => n.name);
  quant = path.join(tmp(), 'digits.int8.onnx');
  await saveModelFile(q, quant);
  await fs.writeFile(path.join(tmp(), 'test.npy'), encodeNpy(sliceRows(x, 1297, 1397)));
  await fs.writeFile(path.join(tmp(), 'test.bin'), bytesOf(sliceRows(x, 1297, 1397).data));
  await fs.mkdir(path.join(tmp(), 'imgs'));
  for (let i = 0; i < 3; i++) await fs.writeFile(path.join(tmp(), 'imgs', `${i}.png`), encodePng(16, 16, (y, x) => [16 * (x + i), 16 * y, 0]));
});

describe('qtk compare on the digits CNN', () => {
  it('prints the logits SQNR and the 3 worst nodes, and writes JSON covering every quantized node', async () => {
    const json = path.join(tmp(), 'quality.json');
    const r = await compare(MODEL, quant, '--data', path.join(tmp(), 'test.npy'), '--top', '3', '--json', json);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("data: 100 samples [1,8,8] float32 from");
    expect(r.stdout).toContain('compared on 100 samples (4 batches)');
    expect(r.stdout).toMatch(/logits\s+\d+\.\d\d\s+0\.99\d+/);
    expect(r.stdout).toContain(`(3 of ${quantized.length};`);
    expect(r.stdout).toContain(`wrote ${json}`);
    const out = JSON.parse(await fs.readFile(json, 'utf8'));
    expect(out.tool).toBe('qtk compare');
    expect(out.report.samples).toBe(100);
    expect(out.report.nodes.map((n: { node: string }) => n.node).sort()).toEqual([...quantized].sort());
    for (const n of out.report.nodes) expect(typeof n.sqnrDb).toBe('number');
    expect(out.report.outputs[0].tensor).toBe('logits');
  });

  it("writes SQNR 'Infinity' and cosine 1 for a model compared with itself", async () => {
    const json = path.join(tmp(), 'self.json');
    const r = await compare(quant, quant, '--data', path.join(tmp(), 'test.npy'), '--json', json);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/logits\s+inf\s+1\.000000/);
    const out = JSON.parse(await fs.readFile(json, 'utf8'));
    expect(out.report.outputs[0].sqnrDb).toBe('Infinity');
    for (const n of out.report.nodes) expect(n.sqnrDb).toBe('Infinity');
  });

  it('reads raw float32 data with --data-shape and batches it by --batch-size', async () => {
    const r = await compare(MODEL, quant, '--data', path.join(tmp(), 'test.bin'), '--data-shape', 'N,1,8,8', '--batch-size', '50');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('compared on 100 samples (2 batches)');
  });

  it('draws --data-size samples with --seed, as quantize draws --calib-size', async () => {
    const r = await compare(MODEL, quant, '--data', path.join(tmp(), 'test.npy'), '--data-size', '40', '--seed', '3', '--batch-size', '20');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('data: 40 of 100 samples drawn with seed 3');
    expect(r.stdout).toContain('compared on 40 samples (2 batches)');
  });

  it('reads a folder of images with the image flags (resize, channels, scale)', async () => {
    const r = await compare(MODEL, quant, '--data', path.join(tmp(), 'imgs'), '--resize', '8,8', '--channels', 'gray', '--scale', '1/16');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/data: 3 samples \[1,8,8\] float32 from 3 images in .*imgs \(gray nchw, 8x8, scale 0\.0625/);
    expect(r.stdout).toContain('compared on 3 samples (1 batches)');
  });

  it('names its own flags in data errors: --data-shape with a .npy file, image flags with tensor data, --seed without --data', async () => {
    const shape = await compareError(MODEL, quant, '--data', path.join(tmp(), 'test.npy'), '--data-shape', 'N,1,8,8');
    expect(shape).toMatchObject({ code: 'E_OPTION', where: { option: 'data-shape' } });
    expect(shape.message).toContain('--data-shape applies to a raw float32 file');
    expect(shape.message).not.toContain('--calib');
    const image = await compareError(MODEL, quant, '--data', path.join(tmp(), 'test.npy'), '--resize', '8,8');
    expect(image).toMatchObject({ code: 'E_OPTION', where: { option: 'resize' } });
    expect(image.message).toContain("--resize applies to image calibration data (.png, .jpg), but '");
    expect(await compareError(MODEL, quant, '--seed', '1')).toMatchObject({ code: 'E_OPTION', where: { option: 'seed' } });
  });

  it('warns on stderr when the models look swapped (quantized first, float second) and not when they are in order', async () => {
    const swapped = await compare(quant, MODEL, '--data', path.join(tmp(), 'test.npy'));
    expect(swapped.code).toBe(0);
    expect(swapped.stderr).toContain(`warning: the first model '${quant}' should be the float one, but it has `);
    expect(swapped.stderr).toContain(` quantized ops (DequantizeLinear, QuantizeLinear) and the second '${MODEL}' has none`);
    expect(swapped.stderr).toMatch(/warning: the second model .* its parameters take \d+\.\dx the bytes of the first/);
    const inOrder = await compare(MODEL, quant, '--data', path.join(tmp(), 'test.npy'));
    expect(inOrder.stderr).not.toContain('warning:');
  });

  it('refuses a missing --data, a single model, a --json path that is a model and --top 0 (E_OPTION naming the option)', async () => {
    expect(await compareError(MODEL, quant)).toMatchObject({ code: 'E_OPTION', where: { option: 'data' } });
    expect((await compareError(MODEL, '--data', 'x.npy')).message).toContain('two model files');
    expect(await compareError(MODEL, quant, '--data', path.join(tmp(), 'test.npy'), '--json', quant)).toMatchObject({ code: 'E_OPTION', where: { option: 'json' } });
    expect(await compareError(MODEL, quant, '--data', path.join(tmp(), 'test.npy'), '--top', '0')).toMatchObject({ code: 'E_OPTION', where: { option: 'top' } });
  });

  it('names a data file that does not exist (E_IO)', async () => {
    const e = await compareError(MODEL, quant, '--data', path.join(tmp(), 'missing.npy'));
    expect(e.code).toBe('E_IO');
    expect(e.message).toContain('missing.npy');
  });
});
