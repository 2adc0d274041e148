// qtk quantize and compare under --memory-budget: data declaring more than the budget is
// refused before it is read, models declaring huge constants quantize with them unfolded.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tensor, encodeModel, encodeNpy } from '@qtk/core';
import { constantOfShapeBomb } from '../../../core/src/test-support/memoryBombs.js';
import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../memoryBudgetFlag.js';
import { encodePng } from '../test-support/images.js';
import { useTempDir } from '../test-support/tempDir.js';
import { runCli } from '../test-support/cliRun.js';

const MODEL = fileURLToPath(new URL('../../../../fixtures/digits/digits_cnn.onnx', import.meta.url));
const tmp = useTempDir('qtk-cli-budget-');

describe('--memory-budget', () => {
  it('parses sizes in powers of 1024 and refuses anything else', () => {
    expect(parseByteSize('4GiB')).toBe(4 * 2 ** 30);
    expect(parseByteSize('512M')).toBe(512 * 2 ** 20);
    expect(parseByteSize('1.5k')).toBe(1536);
    expect(parseByteSize('1073741824')).toBe(2 ** 30);
    for (const bad of ['', '0', '-1G', '4 parsecs', 'GiB']) expect(parseByteSize(bad)).toBeUndefined();
  });

  it('a size that cannot be read is E_OPTION naming the flag', async () => {
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'x.onnx'), '--memory-budget', 'lots');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("qtk: --memory-budget must be a positive size such as 512MiB or 4GiB (units B, KiB, MiB, GiB, TiB), got 'lots'");
  });

  it('.npy calibration data over the budget is refused, naming the file and the budget', async () => {
    const npy = path.join(tmp(), 'x.npy');
    await fs.writeFile(npy, encodeNpy(Tensor.zeros('float32', [16, 1, 8, 8])));
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'npy.onnx'), '--calib', npy, '--memory-budget', '1KiB');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`qtk: ${npy}: .npy array of shape (16, 1, 8, 8) and dtype <f4 needs 4.0 KiB (4096 bytes), over the memory budget of 1.0 KiB`);
  });

  it('an image over the budget is refused before decoding, naming the file and its pixels', async () => {
    const png = path.join(tmp(), 'big.png');
    await fs.writeFile(png, encodePng(64, 64, () => [1, 2, 3]));
    const r = await runCli('compare', MODEL, MODEL, '--data', png, '--memory-budget', '16KiB');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`qtk: image '${png}' of 64x64 (4096 pixels, decoded as float32 RGB) needs 48.0 KiB`);
  });

  it('a model declaring a 16 GiB ConstantOfShape quantizes without the value being made', async () => {
    const model = path.join(tmp(), 'bomb.onnx');
    await fs.writeFile(model, encodeModel(constantOfShapeBomb()).model);
    const npy = path.join(tmp(), 'x2.npy');
    await fs.writeFile(npy, encodeNpy(Tensor.fromFloat32(Float32Array.from({ length: 16 }, (_, i) => i / 16), [8, 2])));
    const r = await runCli('quantize', model, '-o', path.join(tmp(), 'bomb.int8.onnx'), '--calib', npy);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('quantized 1 ops: Mul 1');
  });
});
