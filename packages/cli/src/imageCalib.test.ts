import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QtkError, type Dim, type ValueInfo } from '@qtk/core';
import { findImageFiles } from './calibData.js';
import { loadImages, planImages, type ImageFlags } from './imageCalib.js';
import { encodeJpeg, encodePng } from './test-support/images.js';
import { useTempDir } from './test-support/tempDir.js';
import { catchQtkRejection, expectQtkError } from './test-support/qtkErrors.js';

const input = (shape: Dim[]): ValueInfo => ({ name: 'pixels', type: { kind: 'tensor', dtype: 'float32', shape } });

/** The E_OPTION error `f` throws. */
const optionError = (f: () => unknown): QtkError => expectQtkError(f, 'E_OPTION');

const tmp = useTempDir('qtk-cli-images-');

describe('planImages: what the model input and the flags say', () => {
  it('[N,3,224,224] without flags: resize to 224x224, RGB, NCHW, scale 1/255, mean 0, std 1', () => {
    expect(planImages(input(['N', 3, 224, 224]), {})).toEqual({
      resize: { height: 224, width: 224 }, height: 224, width: 224,
      norm: { channels: 'rgb', layout: 'nchw', scale: 1 / 255, mean: [0], std: [1] },
    });
  });

  it('[1,224,224,3] is NHWC; [N,1,8,8] is grey', () => {
    expect(planImages(input([1, 224, 224, 3]), {}).norm.layout).toBe('nhwc');
    expect(planImages(input(['N', 1, 8, 8]), {}).norm.channels).toBe('gray');
  });

  it('--resize S with --crop H,W: shorter side then center crop; --resize S alone crops to the model size', () => {
    expect(planImages(input(['N', 3, 224, 224]), { resize: [256], crop: [224, 224] })).toMatchObject({ resize: { shorter: 256 }, crop: { height: 224, width: 224 }, height: 224, width: 224 });
    expect(planImages(input(['N', 3, 224, 224]), { resize: [256] })).toMatchObject({ resize: { shorter: 256 }, height: 224, width: 224 });
  });

  it('a model with symbolic height and width needs --resize', () => {
    const e = optionError(() => planImages(input(['N', 3, 'H', 'W']), {}));
    expect(e.message).toBe("model input 'pixels' [N,3,H,W] does not fix the image size; give it with --resize H,W (or --resize S --crop H,W)");
    expect(planImages(input(['N', 3, 'H', 'W']), { resize: [32, 48] })).toMatchObject({ height: 32, width: 48 });
  });

  it.each<[Dim[], ImageFlags, string, string]>([
    [['N', 1, 8, 8], { channels: 'rgb' }, 'channels', "--channels rgb gives 3 channels, but model input 'pixels' [N,1,8,8] takes 1 (layout nchw)"],
    [['N', 3, 8, 8], { resize: [16, 16] }, 'resize', "--resize gives 16x16 images, but model input 'pixels' [N,3,8,8] takes 8x8 (HxW)"],
    [['N', 3, 8, 8], { resize: [16], crop: [9, 9] }, 'crop', '--crop gives 9x9 images'],
    [['N', 3, 8, 8], { mean: [0.1, 0.2] }, 'mean', '--mean has 2 values; give 1 or 3 (one per channel, in --channels rgb order)'],
    [['N', 3, 8, 8], { std: [1, 0, 1] }, 'std', '--std values must not be 0'],
    [['N', 3, 8, 8], { scale: 0 }, 'scale', '--scale must not be 0'],
  ])('%j with %j is refused naming --%s', (shape, flags, option, message) => {
    const e = optionError(() => planImages(input(shape), flags));
    expect(e.where.option).toBe(option);
    expect(e.message).toContain(message);
  });

  it('a model input that is not rank 4 is not an image input (E_CALIB_DATA)', () => {
    expect(() => planImages(input(['N', 128]), {})).toThrow("model input 'pixels' [N,128] is not an image input");
  });
});

describe('loading image folders', () => {
  it('lists images sorted by name with numbers as numbers, ignoring other files', async () => {
    const dir = path.join(tmp(), 'sorted');
    await fs.mkdir(dir);
    for (const n of ['10.png', '2.jpg', '1.PNG', 'readme.txt']) await fs.writeFile(path.join(dir, n), 'x');
    expect((await findImageFiles(dir))!.map((f) => path.basename(f))).toEqual(['1.PNG', '2.jpg', '10.png']);
    expect(await findImageFiles(path.join(dir, 'readme.txt'))).toBeUndefined();
    expect(await findImageFiles(path.join(dir, '2.jpg'))).toEqual([path.join(dir, '2.jpg')]);
  });

  it('a folder with both .npy files and images is refused', async () => {
    const dir = path.join(tmp(), 'mixed');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'a.npy'), 'x');
    await fs.writeFile(path.join(dir, 'b.png'), 'x');
    await expect(findImageFiles(dir)).rejects.toThrow(/holds both \.npy files \(a\.npy, \.\.\.\) and images \(b\.png, \.\.\.\)/);
  });

  it('decodes, resizes and normalises PNGs into [N,3,H,W] in file order (values checked by hand)', async () => {
    const dir = path.join(tmp(), 'png');
    await fs.mkdir(dir);
    // 4x4, R = 10y + x, G = 50, B = 200; and a flat (0, 255, 51) image
    await fs.writeFile(path.join(dir, 'a.png'), encodePng(4, 4, (y, x) => [10 * y + x, 50, 200]));
    await fs.writeFile(path.join(dir, 'b.png'), encodePng(4, 4, () => [0, 255, 51]));
    const files = (await findImageFiles(dir))!;
    const plan = planImages(input(['N', 3, 2, 2]), { scale: 1, mean: [5, 0, 100], std: [2, 50, 4] });
    const t = await loadImages(files, plan);
    expect(t.dims).toEqual([2, 3, 2, 2]);
    const v = Array.from(t.data as Float32Array);
    // image a, R plane: bilinear samples 5.5, 7.5, 25.5, 27.5, then (r - 5) / 2
    expect(v.slice(0, 4)).toEqual([0.25, 1.25, 10.25, 11.25]);
    expect(v.slice(4, 8)).toEqual([1, 1, 1, 1]); // G (50 - 0) / 50
    expect(v.slice(8, 12)).toEqual([25, 25, 25, 25]); // B (200 - 100) / 4
    const g = Math.fround(5.1); // (255 - 0) / 50 stored as float32
    expect(v.slice(12, 24)).toEqual([-2.5, -2.5, -2.5, -2.5, g, g, g, g, -12.25, -12.25, -12.25, -12.25]);
  });

  it('decodes JPEGs to NHWC grey within JPEG error', async () => {
    const dir = path.join(tmp(), 'jpg');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'x.jpeg'), encodeJpeg(8, 8, () => [200, 100, 50]));
    const plan = planImages(input([1, 4, 4, 1]), { resize: [4, 4] });
    const t = await loadImages((await findImageFiles(dir))!, plan);
    expect(t.dims).toEqual([1, 4, 4, 1]);
    const grey = (0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255;
    for (const v of t.data as Float32Array) expect(Math.abs(v - grey)).toBeLessThan(2 / 255);
  });

  it('a corrupt image in the folder is E_CALIB_DATA naming that file', async () => {
    const dir = path.join(tmp(), 'corrupt');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, '1.png'), encodePng(2, 2, () => [1, 2, 3]));
    const good = encodePng(2, 2, () => [1, 2, 3]);
    await fs.writeFile(path.join(dir, '2.png'), good.slice(0, 20));
    const files = (await findImageFiles(dir))!;
    const err = await catchQtkRejection(loadImages(files, planImages(input(['N', 3, 2, 2]), {})));
    expect(err.code).toBe('E_CALIB_DATA');
    expect(err.where.file).toBe(path.join(dir, '2.png'));
    expect(err.message).toContain(`cannot decode PNG image '${path.join(dir, '2.png')}'`);
  });
});
