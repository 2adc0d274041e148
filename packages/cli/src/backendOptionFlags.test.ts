import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_API_VERSION, encodeNpy, parseRawFloat32, policyFromHandlers, sliceRows, type BackendPlugin } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { backendOptionSpecs, flagOfField } from './backendOptionFlags.js';
import { catchQtkError } from './test-support/qtkErrors.js';
import { useTempDir } from './test-support/tempDir.js';
import { runCli } from './test-support/cliRun.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const MODULE = path.join(here, 'test-support/presetBackend.ts');
const MODEL = path.resolve(here, '../../../fixtures/digits/digits_cnn.onnx');
const tmp = useTempDir('qtk-cli-backend-options-');
let calib: string;
beforeAll(async () => {
  const x = parseRawFloat32(await fs.readFile(path.resolve(here, '../../../fixtures/digits/digits_x_f32_n1797_1x8x8.bin')), [1797, 1, 8, 8]);
  calib = path.join(tmp(), 'calib.npy');
  await fs.writeFile(calib, encodeNpy(sliceRows(x, 0, 40)));
});

/** A backend with one option field `name` of type `type`. */
const withField = (backendName: string, name: string, type: 'string' | 'boolean'): BackendPlugin => ({
  name: backendName, kind: 'backend', apiVersion: PLUGIN_API_VERSION, description: '', policy: policyFromHandlers([]),
  optionSpec: { title: backendName, fields: [{ name, type, help: 'h' }], toBackendOptions: () => ({ backendOptions: {}, warnings: [] }) },
});

describe("a backend's option flags", () => {
  it('spells a field in kebab case: trtVersion is --trt-version, int4Algorithm --int4-algorithm', () => {
    expect([flagOfField('trtVersion'), flagOfField('int4Algorithm'), flagOfField('preset')]).toEqual(['trt-version', 'int4-algorithm', 'preset']);
  });

  it("refuses a field whose flag is one of the command's own, and one flag typed two ways by two backends (E_PLUGIN)", () => {
    const own = catchQtkError(() => backendOptionSpecs([withField('b1', 'calib', 'string')], new Set(['calib'])));
    expect([own.code, own.message]).toEqual(['E_PLUGIN', "backend 'b1' declares option 'calib', whose flag --calib is one of qtk quantize's own; rename the field"]);
    const twice = catchQtkError(() => backendOptionSpecs([withField('b1', 'level', 'string'), withField('b2', 'level', 'boolean')], new Set()));
    expect(twice.message).toBe("backend 'b2' declares --level as a boolean option; another backend declares it otherwise");
  });

  it("parse for a module backend and reach its toBackendOptions and its quantize, which writes the --stats output", async () => {
    const out = path.join(tmp(), 'preset.onnx');
    const stats = path.join(tmp(), 'stats.json');
    const r = await runCli('quantize', MODEL, '-o', out, '--calib', calib, '--backend', MODULE, '--preset', 'mixed', '--target-device', 'GPU',
      '--subset-size', '32', '--ignored-scope-names', 'a,b', '--ignored-scope-names', 'c', '--stats', stats);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('preset-test: preset mixed\n');
    expect(r.stderr).toContain('warning: --target-device GPU places as ANY here');
    expect(r.stdout).toContain(`wrote ${out} and ${stats}\n`);
    expect(JSON.parse(await fs.readFile(stats, 'utf8'))).toEqual({ preset: 'mixed', targetDevice: 'GPU', subsetSize: 32, ignoredScopeNames: ['a', 'b', 'c'], stats: true });
    // mixed: asymmetric activations, so some activation zero point is not 0.
    const q = await loadModelFile(out);
    const zps = q.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').flatMap((n) => q.graph.initializers.get(n.inputs[2]!)!.toNumbers());
    expect(zps.some((z) => z !== 0)).toBe(true);
  });

  it("name other options through the command line's label in the backend's errors: --subset-size without --calib", async () => {
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'x.onnx'), '--backend', MODULE, '--subset-size', '8');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('qtk: --subset-size counts calibration samples; without --calib it would do nothing\n');
  });

  it('show in help under the backend title with --backend MODULE, and are unknown without it', async () => {
    const help = await runCli('quantize', '--backend', MODULE, '--help');
    expect(help.stdout).toMatch(/\npreset-test \(--backend MODULE\):\n\s+--preset performance\|mixed\s+performance: symmetric activations; mixed: asymmetric\n/);
    expect(help.stdout).toMatch(/--stats OUT\.json\s+write the options the run used as JSON/);
    // --preset is also a shipped backend's (openvino); --stats is the module's alone.
    const plain = await runCli('quantize', '--help');
    expect(plain.stdout).not.toContain('--stats');
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'x.onnx'), '--stats', 'x.json');
    expect(r.stderr).toBe("qtk: unknown option '--stats' for 'qtk quantize' (see 'qtk quantize --help')\n");
  });

  it('of another backend than the one chosen are refused, naming the backend they belong to', async () => {
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'x.onnx'), '--calib', calib, '--backend', MODULE, '--precision', 'fp8');
    expect(r.stderr).toBe('qtk: --precision is an option of --backend tensorrt; this run quantizes for preset-test\n');
    const d = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'x.onnx'), '--calib', calib, '--precision', 'fp8');
    expect(d.stderr).toBe('qtk: --precision is an option of --backend tensorrt; this run quantizes for onnxruntime\n');
  });

  it('a backend that gives no output for a file flag given fails with E_PLUGIN and writes neither that file nor the model', async () => {
    const out = path.join(tmp(), 'outputless.onnx');
    const log = path.join(tmp(), 'outputless.txt');
    const r = await runCli('quantize', MODEL, '-o', out, '--calib', calib, '--backend', path.join(here, 'test-support/outputlessBackend.ts'), '--log', log);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('qtk:'))).toEqual([`qtk: backend 'outputless-test' gave no 'log' output for --log '${log}'`]);
    await expect(fs.stat(out)).rejects.toThrow();
    await expect(fs.stat(log)).rejects.toThrow();
  });

  it("refuse an output file option that names the model output, before anything is written", async () => {
    const out = path.join(tmp(), 'same.onnx');
    const r = await runCli('quantize', MODEL, '-o', out, '--calib', calib, '--backend', MODULE, '--stats', out);
    expect(r.stderr).toBe(`qtk: --stats '${out}' is the same file as -o '${out}'; choose another path\n`);
    await expect(fs.stat(out)).rejects.toThrow();
  });
});
