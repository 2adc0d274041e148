import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as core from '@qtk/core';
import { accuracy, findDigitsDir, median } from './demo.js';
import { runCli } from '../test-support/cliRun.js';
import { useTempDir } from '../test-support/tempDir.js';

const hasPipeline = typeof (core as Record<string, unknown>).quantizeModel === 'function';

const tmp = useTempDir('qtk-cli-demo-');

describe('demo helpers', () => {
  it('finds fixtures/digits by walking up from the CLI package', () => {
    expect(findDigitsDir()).toMatch(/fixtures[/\\]digits$/);
  });

  it('accuracy compares row argmax with labels; median of even and odd lists', () => {
    const logits = core.Tensor.fromFloat32(Float32Array.from([0, 1, 5, 2, 3, 3]), [3, 2]);
    expect(accuracy(logits, Uint8Array.from([1, 0, 1]))).toBeCloseTo(2 / 3);
    expect([median([3, 1, 2]), median([4, 1, 3, 2])]).toEqual([2, 2.5]);
  });
});

describe.skipIf(!hasPipeline)('qtk demo', () => {
  it('quantizes the digits CNN and ends with the demo: line (INT8 accuracy within 0.02 of FP32, smaller file)', async () => {
    const { code, stdout } = await runCli('demo', '--out', tmp(), '--runs', '20');
    expect(code).toBe(0);
    const last = stdout.trimEnd().split('\n').at(-1)!;
    const m = /^demo: fp32_acc=(\d\.\d{3}) int8_acc=(\d\.\d{3}) size_ratio=(\d+\.\d{3}) speedup=(\d+\.\d{2})$/.exec(last);
    expect(m, last).not.toBeNull();
    const [fp32, int8, ratio] = [Number(m![1]), Number(m![2]), Number(m![3])];
    // fixtures/README.md: FP32 0.996 on the test split with onnxruntime 1.30
    expect(fp32).toBeCloseTo(0.996, 3);
    expect(Math.abs(fp32 - int8)).toBeLessThanOrEqual(0.02);
    expect(ratio).toBeLessThan(0.5);
    const written = await fs.stat(path.join(tmp(), 'digits_cnn_int8.onnx'));
    const json = JSON.parse(await fs.readFile(path.join(tmp(), 'demo.json'), 'utf8'));
    expect(json.int8.accuracy).toBe(int8);
    // The size reported is that of the INT8 file written (the measured model is the one saved).
    expect(json.int8.bytes).toBe(written.size);
  });
});
