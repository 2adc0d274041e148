import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor, createGraph, createModel, encodeNpy, type DType, type Model } from '@qtk/core';
import { setupCalibration, type CalibRequest } from './calibSetup.js';
import { useTempDir } from './test-support/tempDir.js';
import { catchQtkRejection } from './test-support/qtkErrors.js';

const tmp = useTempDir('qtk-cli-setup-');

/** A model with the given [name, dtype] inputs of shape [N, 2]. */
function model(inputs: Array<[string, DType]>): Model {
  const g = createGraph();
  for (const [name, dtype] of inputs) g.inputs.push({ name, type: { kind: 'tensor', dtype, shape: ['N', 2] } });
  return createModel(g);
}
const twoFloat = () => model([['x', 'float32'], ['y', 'float32']]);

/** [n, 2] float32 whose row i is (offset + i, offset + i). */
const rows = (n: number, offset: number) => Tensor.fromFloat32(Float32Array.from({ length: 2 * n }, (_, i) => offset + Math.floor(i / 2)), [n, 2]);

/** Writes `t` as NAME.npy in the temp folder and returns the `NAME=FILE` argument. */
async function pair(name: string, t: Tensor, file = `${name}.npy`): Promise<string> {
  const f = path.join(tmp(), file);
  await fs.writeFile(f, encodeNpy(t));
  return `${name}=${f}`;
}

const request = (sources: string[], more: Partial<CalibRequest> = {}): CalibRequest => ({ sources, seed: 0, image: {}, imageFlagsGiven: [], ...more });

describe('calibration data for several inputs', () => {
  it('--calib-size draws the same rows of every input, and batches split them alike', async () => {
    const sources = [await pair('y', rows(20, 100)), await pair('x', rows(20, 0))];
    const c = await setupCalibration(twoFloat(), request(sources, { size: 7, seed: 3, batchSize: 3 }));
    expect(c.feeds.map((f) => [f.x!.dims[0], f.y!.dims[0]])).toEqual([[3, 3], [3, 3], [1, 1]]);
    const xs = c.feeds.flatMap((f) => f.x!.toNumbers());
    const ys = c.feeds.flatMap((f) => f.y!.toNumbers());
    expect(ys).toEqual(xs.map((v) => v + 100)); // row i of y is row i of x plus 100
    expect(new Set(xs).size).toBe(7);
    expect(c.lines[0]).toBe(`calibration: 7 samples from 2 files -> inputs 'x' <- ${tmp()}/x.npy [2] float32, 'y' <- ${tmp()}/y.npy [2] float32; 3 batches of 3`);
    expect(c.lines[1]).toBe('calibration: 7 of 20 samples drawn with seed 3');
    expect(c.info).toMatchObject({ inputs: { x: `${tmp()}/x.npy`, y: `${tmp()}/y.npy` }, samples: 7, batches: 3, drawn: { size: 7, of: 20, seed: 3 } });
  });

  it('int32 ids are widened for int64 inputs; a mask left out gets ones', async () => {
    const m = model([['input_ids', 'int64'], ['token_type_ids', 'int64'], ['attention_mask', 'int64']]);
    const ids = new Tensor('int32', Int32Array.of(101, 7, 101, 8), [2, 2]);
    const types = new Tensor('int32', Int32Array.of(0, 1, 0, 1), [2, 2]);
    const c = await setupCalibration(m, request([await pair('input_ids', ids), await pair('token_type_ids', types)]));
    const [f] = c.feeds;
    expect([f!.input_ids!.dtype, f!.token_type_ids!.dtype, f!.token_type_ids!.toNumbers()]).toEqual(['int64', 'int64', [0, 1, 0, 1]]);
    expect([f!.attention_mask!.dtype, f!.attention_mask!.toNumbers()]).toEqual(['int64', [1, 1, 1, 1]]);
    expect(c.lines).toContain("calibration: 'attention_mask' gets ones");
  });

  it('arrays with different sample counts are E_CALIB_DATA naming each input and its count', async () => {
    const e = await catchQtkRejection(setupCalibration(twoFloat(), request([await pair('x', rows(5, 0), 'x5.npy'), await pair('y', rows(4, 0), 'y4.npy')])));
    expect([e.code, e.message]).toEqual(['E_CALIB_DATA', "calibration arrays must hold the same number of samples (axis 0): 'x' 5, 'y' 4"]);
  });

  it('a name that is not a model input lists the inputs; an input without data that cannot be filled is named', async () => {
    const unknown = await catchQtkRejection(setupCalibration(twoFloat(), request([await pair('x', rows(2, 0)), await pair('z', rows(2, 0))])));
    expect(unknown.message).toBe("calibration data for 'z', but that is not a model input; inputs: 'x' [N,2] float32, 'y' [N,2] float32");
    const missing = await catchQtkRejection(setupCalibration(twoFloat(), request([await pair('x', rows(2, 0))])));
    expect(missing.message).toContain("inputs besides 'x' [N,2] float32 that no calibration data feeds: 'y' [N,2] float32");
  });

  it('--input, --calib-shape and image flags with per-input data are option errors', async () => {
    const sources = [await pair('x', rows(2, 0)), await pair('y', rows(2, 0))];
    const input = await catchQtkRejection(setupCalibration(twoFloat(), request(sources, { inputName: 'x' })));
    expect([input.code, input.message]).toEqual(['E_OPTION', '--input picks the input of single-input data; per-input data from 2 files names its inputs (x, y); leave --input out']);
    expect((await catchQtkRejection(setupCalibration(twoFloat(), request(sources, { shape: [-1, 2] })))).where.option).toBe('calib-shape');
    expect((await catchQtkRejection(setupCalibration(twoFloat(), request(sources, { imageFlagsGiven: ['resize'] })))).message).toBe('--resize applies to image calibration data (.png, .jpg), but per-input data from 2 files is not images');
  });
});

describe('the calibration batch size and memory', () => {
  /** x [N, 2] → Tile by [1, 4,000,000] → [N, 8,000,000]: 32 MB of activations per sample from 8 bytes of data. */
  function wide(): Model {
    const g = createGraph();
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 2] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 8_000_000] } });
    g.initializers.set('reps', Tensor.int64([1, 4_000_000]));
    g.nodes.push({ name: 'tile', opType: 'Tile', domain: '', inputs: ['x', 'reps'], outputs: ['y'], attributes: [] });
    return createModel(g);
  }

  it('without --batch-size, as many samples as fit 256 MiB of predicted activations, and why', async () => {
    const c = await setupCalibration(wide(), request([(await pair('x', rows(20, 0))).split('=')[1]!]));
    expect(c.lines[0]).toMatch(/ 3 batches of 8 \(chosen for a 256\.0 MiB activation budget at 30\.5 MiB per sample; --batch-size N to change\)$/);
    expect(c.warnings).toEqual([]);
  });

  it('a --batch-size whose runs exceed that budget warns that memory grows with it and quality does not', async () => {
    const c = await setupCalibration(wide(), request([(await pair('x', rows(20, 0))).split('=')[1]!], { batchSize: 20 }));
    expect(c.lines[0]).toMatch(/ 1 batches of 20$/);
    expect(c.warnings).toEqual(['--batch-size 20 makes about 610.4 MiB of activations per run, over the 256.0 MiB that the default batch size keeps to; memory grows with it, quality does not (leave --batch-size out for 8)']);
  });
});
