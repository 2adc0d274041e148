import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeNpy, parseRawFloat32, sliceRows } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import type { ParsedArgs } from './args.js';
import { backendArg, backendFromFlag, backendOptionSpec } from './backendFlag.js';
import { catchQtkRejection } from './test-support/qtkErrors.js';
import { useTempDir } from './test-support/tempDir.js';
import { runCli } from './test-support/cliRun.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const THIRD_PARTY = path.resolve(here, '../../onnxruntime/src/test-support/convMatmulInputsBackend.ts');
const DIGITS = path.resolve(here, '../../../fixtures/digits');

const args = (backend?: string): ParsedArgs => ({ values: backend === undefined ? {} : { backend }, positionals: [] }) as unknown as ParsedArgs;
const tmp = useTempDir('qtk-cli-backend-');

describe('--backend', () => {
  it('defaults to onnxruntime and finds it by name', async () => {
    expect(await backendFromFlag(args())).toBe(onnxruntimeBackend);
    expect(await backendFromFlag(args('onnxruntime'))).toBe(onnxruntimeBackend);
  });

  it('loads a module path whose default export is a backend plugin (a third-party backend)', async () => {
    expect((await backendFromFlag(args(THIRD_PARTY))).name).toBe('conv-matmul-inputs');
  });

  it('refuses an unknown name with E_OPTION listing the known backends', async () => {
    const e = await catchQtkRejection(backendFromFlag(args('coreml')));
    expect([e.code, e.where.option]).toEqual(['E_OPTION', 'backend']);
    expect(e.message).toMatch(/^--backend 'coreml' is not a known backend \(onnxruntime, openvino, tensorrt\) and could not be loaded as a module/);
  });

  it('finds the shipped tensorrt backend by name, with its option spec and quantize flow', async () => {
    const b = await backendFromFlag(args('tensorrt'));
    expect(b.name).toBe('tensorrt');
    expect(b.optionSpec?.fields.map((f) => f.name)).toContain('fromCache');
    expect(typeof b.quantize).toBe('function');
  });

  it('reads --backend from raw arguments in both spellings, the last one winning, and not past --', () => {
    expect(backendArg(['m.onnx', '--backend', 'tensorrt', '-o', 'x'])).toBe('tensorrt');
    expect(backendArg(['--backend=./b.js', '--backend', 'onnxruntime'])).toBe('onnxruntime');
    expect(backendArg(['m.onnx', '--', '--backend', 'tensorrt'])).toBeUndefined();
    expect(backendArg(['m.onnx'])).toBeUndefined();
  });

  it('refuses a module whose default export is not a backend plugin', async () => {
    const file = path.join(tmp(), 'notBackend.mjs');
    await fs.writeFile(file, "export default { kind: 'executor', name: 'x', apiVersion: 1 };\n");
    const e = await catchQtkRejection(backendFromFlag(args(file)));
    expect(e.message).toBe(`--backend '${file}': the module's default export is not a backend plugin: backend 'x' has kind "executor", not 'backend'`);
  });

  it('is in the help with the known backends and the default', () => {
    expect(backendOptionSpec().backend!.help).toMatch(/^backend to quantize for: onnxruntime, openvino, tensorrt \(default onnxruntime\), or a module path/);
  });

  it('qtk quantize --backend MODULE places Q/DQ by that backend: only before Conv inputs, int8 with zero point 0', async () => {
    const x = parseRawFloat32(await fs.readFile(path.join(DIGITS, 'digits_x_f32_n1797_1x8x8.bin')), [1797, 1, 8, 8]);
    const calib = path.join(tmp(), 'calib.npy');
    await fs.writeFile(calib, encodeNpy(sliceRows(x, 0, 64)));
    const out = path.join(tmp(), 'q.onnx');
    const r = await runCli('quantize', path.join(DIGITS, 'digits_cnn.onnx'), '-o', out, '--calib', calib, '--backend', THIRD_PARTY);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('activations int8 symmetric');
    const q = await loadModelFile(out);
    const dqReaders = q.graph.nodes.filter((n) => n.opType === 'DequantizeLinear').flatMap((dq) => q.graph.nodes.filter((n) => n.inputs.includes(dq.outputs[0]!)).map((n) => n.opType));
    expect(new Set(dqReaders)).toEqual(new Set(['Conv']));
    for (const n of q.graph.nodes.filter((n) => n.opType.endsWith('QuantizeLinear'))) expect(q.graph.initializers.get(n.inputs[2]!)!.toNumbers().every((z) => z === 0)).toBe(true);
  });
});
