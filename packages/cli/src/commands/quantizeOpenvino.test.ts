/**
 * `qtk quantize --backend openvino` end to end on the digits CNN: NNCF's settings from the
 * backend's flags, accuracy control with the built-in accuracy and with a metric module,
 * and the refusals of flags that are wrong or would do nothing (no output written).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy, parseRawFloat32, sliceRows, Tensor, type Model } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { useTempDir } from '../test-support/tempDir.js';
import { runCli } from '../test-support/cliRun.js';

const DIGITS = fileURLToPath(new URL('../../../../fixtures/digits/', import.meta.url));
const MODEL = path.join(DIGITS, 'digits_cnn.onnx');
const tmp = useTempDir('qtk-cli-openvino-');
const at = (name: string) => path.join(tmp(), name);
let calib: string;
let val: string;
let labels: string;
beforeAll(async () => {
  const x = parseRawFloat32(await fs.readFile(path.join(DIGITS, 'digits_x_f32_n1797_1x8x8.bin')), [1797, 1, 8, 8]);
  const y = new Uint8Array(await fs.readFile(path.join(DIGITS, 'digits_y_u8_n1797.bin')));
  calib = at('calib.npy');
  await fs.writeFile(calib, encodeNpy(sliceRows(x, 0, 64)));
  val = at('val.npy');
  await fs.writeFile(val, encodeNpy(sliceRows(x, 1000, 1200)));
  labels = at('labels.npy');
  await fs.writeFile(labels, encodeNpy(new Tensor('int32', [200], Int32Array.from(y.subarray(1000, 1200)))));
});

/** `qtk quantize MODEL -o OUT --backend openvino ...rest`. */
const ov = (out: string, ...rest: string[]) => runCli('quantize', MODEL, '-o', out, '--backend', 'openvino', ...rest);

/** The zero points of every QuantizeLinear and DequantizeLinear of `m`. */
function zeroPoints(m: Model): number[] {
  return m.graph.nodes.filter((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear')
    .flatMap((n) => (n.inputs[2] ? m.graph.initializers.get(n.inputs[2])!.toNumbers() : [0]));
}

describe('qtk quantize --backend openvino', () => {
  it("lists the backend's flags in help under its heading", async () => {
    const r = await runCli('quantize', '--help');
    const section = r.stdout.slice(r.stdout.indexOf('\nOpenVINO (--backend openvino')).split('\n\n')[0]!;
    for (const flag of ['--preset performance|mixed', '--target-device ANY|CPU|GPU|NPU', '--model-type transformer', '--subset-size N', '--no-fast-bias-correction',
      '--ignored-scope-names A,B', '--ignored-scope-patterns RE', '--ignored-scope-types Op', '--validation DATA', '--metric accuracy|MODULE.mjs',
      '--max-drop N', '--drop-type absolute|relative', '--labels LABELS.npy']) {
      expect(section).toContain(flag);
    }
  });

  it('quantizes with preset performance: every zero point is 0, and the summary names the settings', async () => {
    const out = at('perf.onnx');
    const r = await ov(out, '--calib', calib, '--subset-size', '32', '--target-device', 'CPU');
    expect(r.stderr).not.toMatch(/qtk:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('openvino: preset performance, target device CPU, subset size 32, fast bias correction on');
    // 6 of the 64 samples are held back for the quality check.
    expect(r.stderr).toContain('calibration: the first 32 of 58 samples (--subset-size 32)');
    const q = await loadModelFile(out);
    const zp = zeroPoints(q);
    expect(zp.length).toBeGreaterThan(0);
    expect(zp.every((z) => z === 0)).toBe(true);
  });

  it('with preset mixed, activations are uint8 and weights stay int8', async () => {
    const out = at('mixed.onnx');
    const r = await ov(out, '--calib', calib, '--preset', 'mixed');
    expect(r.code).toBe(0);
    const q = await loadModelFile(out);
    const types = q.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => q.graph.initializers.get(n.inputs[2]!)!.dtype);
    expect(new Set(types)).toEqual(new Set(['uint8']));
    const weights = q.graph.nodes.filter((n) => n.opType === 'DequantizeLinear' && q.graph.initializers.get(n.inputs[0]!)?.dtype === 'int8');
    expect(weights.length).toBeGreaterThan(0);
  });

  it('keeps the nodes --ignored-scope-types names float', async () => {
    const out = at('ignored.onnx');
    const r = await ov(out, '--calib', calib, '--ignored-scope-types', 'Gemm');
    expect(r.code).toBe(0);
    const q = await loadModelFile(out);
    const gemms = q.graph.nodes.filter((n) => n.opType === 'Gemm');
    expect(gemms.length).toBeGreaterThan(0);
    for (const g of gemms) expect(q.graph.initializers.get(g.inputs[1]!)?.dtype).toBe('float32');
  });

  it('accuracy control with --metric accuracy prints progress and the metrics, and writes the model and the metrics in --report', async () => {
    const out = at('acc.onnx');
    const report = at('acc.json');
    const r = await ov(out, '--calib', calib, '--validation', val, '--metric', 'accuracy', '--labels', labels, '--max-drop', '0.01', '--report', report);
    expect(r.stderr).not.toMatch(/qtk:/);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/accuracy control: quantized model: metric [\d.]+, drop -?[\d.]+ \(max 0\.0100\)/);
    const line = r.stdout.split('\n').find((l) => l.startsWith('accuracy control: float metric'))!;
    const m = /float metric ([\d.]+), quantized metric ([\d.]+), final metric ([\d.]+), drop (-?[\d.e-]+) \(max 0\.01 absolute\), (\d+) nodes reverted to float, compute ops quantized (\d+)\/(\d+), \d+ evaluations, [\d.]+ s/.exec(line);
    expect(m).not.toBeNull();
    const [, float, , final, drop] = m!.map(Number);
    expect(float).toBeGreaterThan(0.8);
    expect(float! - final!).toBeLessThanOrEqual(0.01 + 1e-9);
    expect(drop).toBeLessThanOrEqual(0.01 + 1e-9);
    await expect(fs.stat(out)).resolves.toBeTruthy();
    const json = JSON.parse(await fs.readFile(report, 'utf8')) as { backend: { name: string; summary: string[] } };
    expect(json.backend).toEqual({ name: 'openvino', summary: [line] });
  });

  it('accuracy control with a metric module written by the test reverts nodes until its metric holds', async () => {
    const mod = at('metric.mjs');
    // Minus the mean absolute difference of the first output from the float model's (the first model measured).
    await fs.writeFile(mod, `let reference;
export default async (run, dataset) => {
  const outs = [];
  for (const feeds of dataset) outs.push(Array.from(Object.values(await run(feeds))[0].toNumbers()));
  reference ??= outs;
  let sum = 0, n = 0;
  outs.forEach((o, i) => o.forEach((v, j) => { sum += Math.abs(v - reference[i][j]); n++; }));
  return -sum / n;
};\n`);
    const out = at('module.onnx');
    const r = await ov(out, '--calib', calib, '--validation', val, '--metric', mod, '--max-drop', '0.001');
    expect(r.stderr).not.toMatch(/qtk:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`accuracy control: --metric '${mod}', max drop 0.001 (absolute)`);
    expect(r.stderr).toMatch(/accuracy control: \d+\/\d+ ranked entries reverted \(\d+ nodes float\): metric -?[\d.]+, drop [\d.]+ [≤>] 0\.0010/);
    const m = /float metric (-?[\d.]+), quantized metric (-?[\d.e-]+), final metric (-?[\d.e-]+), drop (-?[\d.e-]+) \(max 0\.001 absolute\), (\d+) nodes reverted/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(0);
    expect(Number(m![2])).toBeLessThan(-0.001);
    expect(Number(m![4])).toBeLessThanOrEqual(0.001);
    expect(Number(m![5])).toBeGreaterThan(0);
  });

  it.each([
    ['--max-drop without --validation', ['--max-drop', '0.01'], '--max-drop applies to accuracy control, which needs --validation DATA; without it it would do nothing'],
    ['--drop-type without --validation', ['--drop-type', 'relative'], '--drop-type applies to accuracy control, which needs --validation DATA; without it it would do nothing'],
    ['--metric accuracy without --labels', ['--validation', 'VAL', '--metric', 'accuracy'], "--metric accuracy compares the first output's argmax with a label per sample: give --labels LABELS.npy"],
    ['--validation without --metric', ['--validation', 'VAL'], '--validation is measured with a metric: give --metric accuracy (with --labels) or --metric MODULE.mjs'],
    ['a core option NNCF decides', ['--method', 'minmax'], "--method: --backend openvino takes NNCF's settings (--preset, --subset-size, ...), not this option; the preset and NNCF's range estimators decide it"],
    ['--exclude (the ignored scope does that)', ['--exclude', 'Gemm'], "--exclude: --backend openvino takes NNCF's settings (--preset, --subset-size, ...), not this option; keep nodes float with --ignored-scope-names, --ignored-scope-patterns or --ignored-scope-types"],
    ['--no-bias-correction (NNCF has its own switch)', ['--no-bias-correction'], "--no-bias-correction: --backend openvino takes NNCF's settings (--preset, --subset-size, ...), not this option; fast bias correction is on unless --no-fast-bias-correction"],
    ['--mode dynamic', ['--mode', 'dynamic'], "--mode dynamic: --backend openvino takes NNCF's settings (--preset, --subset-size, ...), not this option; NNCF quantizes statically"],
    ['a --subset-size of 0', ['--subset-size', '0'], '--subset-size 0: give a number of calibration samples ≥ 1'],
  ])('refuses %s, naming the flags, before writing anything', async (_, flags, message) => {
    const out = at('refused.onnx');
    const r = await ov(out, '--calib', calib, ...flags.map((f) => (f === 'VAL' ? val : f)));
    expect(r.stderr).toBe(`qtk: ${message}\n`);
    expect(r.code).toBe(1);
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('refuses --preset with another backend, naming the backend it belongs to', async () => {
    const out = at('other.onnx');
    const r = await runCli('quantize', MODEL, '-o', out, '--calib', calib, '--preset', 'mixed');
    expect(r.stderr).toBe('qtk: --preset is an option of --backend openvino; this run quantizes for onnxruntime\n');
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('names an --ignored-scope-names entry that matches no node, writing nothing', async () => {
    const out = at('scope.onnx');
    const r = await ov(out, '--calib', calib, '--ignored-scope-names', '/nope/Conv');
    expect(r.stderr).toMatch(/^qtk: --ignored-scope-names '\/nope\/Conv' matches no node of the model/);
    expect(r.code).toBe(1);
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it.each([
    ['throws', "throw new Error('metric broke');", /\nqtk: --metric '.*bad-throws\.mjs': the validation function threw on the float model: metric broke\n$/],
    ['returns NaN', 'return NaN;', /\nqtk: --metric '.*bad-nan\.mjs': the validation function gave NaN on the float model: it must return a finite number, higher is better\n$/],
  ])('a metric module that %s is a clear error and no output is written', async (what, body, message) => {
    const mod = at(`bad-${what === 'throws' ? 'throws' : 'nan'}.mjs`);
    await fs.writeFile(mod, `export default async () => { ${body} };\n`);
    const out = at(`bad-${what}.onnx`);
    const r = await ov(out, '--calib', calib, '--validation', val, '--metric', mod);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(1);
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('a metric error with --config given names --metric, not the config file', async () => {
    const mod = at('bad-config.mjs');
    await fs.writeFile(mod, 'export default async () => Infinity;\n');
    const config = at('ov.json');
    await fs.writeFile(config, '{}');
    const r = await ov(at('bad-config.onnx'), '--config', config, '--calib', calib, '--validation', val, '--metric', mod);
    expect(r.stderr).toMatch(new RegExp(`\\nqtk: --metric '.*bad-config\\.mjs': the validation function gave Infinity on the float model`));
    await expect(fs.stat(at('bad-config.onnx'))).rejects.toThrow();
  });

  it('validation data that does not fit the model names the input, writing nothing', async () => {
    const wrong = at('wrong.npy');
    await fs.writeFile(wrong, encodeNpy(new Tensor('float32', [4, 1, 4, 4], new Float32Array(64))));
    const out = at('wrong.onnx');
    const r = await ov(out, '--calib', calib, '--validation', wrong, '--metric', 'accuracy', '--labels', labels);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^qtk: .*input 'input'/);
    expect(r.stderr).toContain('--validation');
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('refuses labels whose count differs from the validation samples', async () => {
    const few = at('few.npy');
    await fs.writeFile(few, encodeNpy(new Tensor('int32', [3], Int32Array.from([1, 2, 3]))));
    const out = at('few.onnx');
    const r = await ov(out, '--calib', calib, '--validation', val, '--metric', 'accuracy', '--labels', few);
    expect(r.stderr).toBe(`qtk: --labels '${few}' holds 3 labels, but the validation data has 200 samples: give one label per sample\n`);
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('refuses -o that is the --validation file, leaving it as it was', async () => {
    const before = await fs.readFile(val);
    const r = await ov(val, '--calib', calib, '--validation', val, '--metric', 'accuracy', '--labels', labels);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--validation/);
    expect(await fs.readFile(val)).toEqual(before);
  });
});
