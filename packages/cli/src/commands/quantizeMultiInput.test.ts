import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as core from '@qtk/core';
import { encodeNpy, type Model, type Tensor } from '@qtk/core';
import { loadModelFile, saveModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { runCli } from '../test-support/cliRun.js';
import { useTempDir } from '../test-support/tempDir.js';
import { writeZip } from '../test-support/zipWriter.js';

const tmp = useTempDir('qtk-cli-multi-');
const N = 24;

/** x [N,4] and y [N,4] float32 -> MatMul(x, wx) + MatMul(y, wy) -> out [N,3]. */
function twoInputModel(): Model {
  const g = core.createGraph();
  for (const name of ['x', 'y']) g.inputs.push({ name, type: { kind: 'tensor', dtype: 'float32', shape: ['N', 4] } });
  g.outputs.push({ name: 'out', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 3] } });
  const ramp = (k: number) => core.Tensor.fromFloat32(Float32Array.from({ length: 12 }, (_, i) => Math.sin(i * k)), [4, 3]);
  g.initializers.set('wx', ramp(0.37));
  g.initializers.set('wy', ramp(0.91));
  const node = (name: string, opType: string, inputs: string[], outputs: string[]) => ({ name, opType, domain: '', inputs, outputs, attributes: [] });
  g.nodes.push(node('mx', 'MatMul', ['x', 'wx'], ['hx']), node('my', 'MatMul', ['y', 'wy'], ['hy']), node('add', 'Add', ['hx', 'hy'], ['out']));
  return core.createModel(g);
}

/** [N,4] float32 samples in [-scale, scale]. */
const samples = (scale: number, phase: number) => core.Tensor.fromFloat32(Float32Array.from({ length: N * 4 }, (_, i) => scale * Math.sin(i * 1.3 + phase)), [N, 4]);

/** The scale of the QuantizeLinear that quantizes graph input `name`. */
function inputScale(m: Model, name: string): number {
  const q = m.graph.nodes.find((n) => n.opType === 'QuantizeLinear' && n.inputs[0] === name);
  if (!q) throw new Error(`no QuantizeLinear reads '${name}'`);
  return m.graph.initializers.get(q.inputs[1]!)!.get(0);
}

async function run(model: Model, feeds: Record<string, Tensor>): Promise<Tensor> {
  const s = await ortNode.createSession(model);
  try {
    return (await s.run(feeds, ['out'])).out!;
  } finally {
    await s.release();
  }
}

let modelFile: string;
const x = samples(1, 0);
const y = samples(1, 2);
const y10 = samples(10, 2);
beforeAll(async () => {
  modelFile = path.join(tmp(), 'two.onnx');
  await saveModelFile(twoInputModel(), modelFile);
  await fs.writeFile(path.join(tmp(), 'x.npy'), encodeNpy(x));
  await fs.writeFile(path.join(tmp(), 'y.npy'), encodeNpy(y));
  await fs.writeFile(path.join(tmp(), 'y10.npy'), encodeNpy(y10));
  await fs.mkdir(path.join(tmp(), 'by-name'));
  await fs.writeFile(path.join(tmp(), 'by-name', 'x.npy'), encodeNpy(x));
  await fs.writeFile(path.join(tmp(), 'by-name', 'y.npy'), encodeNpy(y));
  await fs.writeFile(path.join(tmp(), 'xy.npz'), writeZip([{ name: 'x.npy', data: encodeNpy(x), zip64Local: true }, { name: 'y.npy', data: encodeNpy(y), deflate: true, zip64Local: true }]));
});

describe('qtk quantize with calibration data for a two-input model', () => {
  it('NAME=FILE, .npz and a folder of NAME.npy give the same model, which runs and agrees with the float model', async () => {
    const forms: Record<string, string[]> = {
      pairs: ['--calib', `x=${tmp()}/x.npy`, '--calib', `y=${tmp()}/y.npy`],
      npz: ['--calib', path.join(tmp(), 'xy.npz')],
      folder: ['--calib', path.join(tmp(), 'by-name')],
    };
    const bytes: Buffer[] = [];
    for (const [form, args] of Object.entries(forms)) {
      const out = path.join(tmp(), `${form}.onnx`);
      const r = await runCli('quantize', modelFile, '-o', out, '--batch-size', '8', ...args);
      expect(r.stderr).not.toContain('qtk:');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^calibration: 22 samples from .* -> inputs 'x' <- .*x\.npy \[4\] float32, 'y' <- .*y\.npy \[4\] float32; 3 batches of 8$/m);
      expect(r.stdout).toContain('calibration: 2 samples held back to check quality on');
      expect(r.stdout).toMatch(/^quality: output '[^']+': SQNR \d+\.\d\d dB/m);
      bytes.push(await fs.readFile(out));
    }
    expect(bytes.map((b) => Buffer.compare(b, bytes[0]!))).toEqual([0, 0, 0]);

    const q = await loadModelFile(path.join(tmp(), 'pairs.onnx'));
    expect(q.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').length).toBeGreaterThanOrEqual(2);
    const want = (await run(twoInputModel(), { x, y })).toNumbers();
    const got = (await run(q, { x, y })).toNumbers();
    const maxErr = Math.max(...got.map((v, i) => Math.abs(v - want[i]!)));
    expect(maxErr).toBeLessThan(0.05 * Math.max(...want.map(Math.abs)));
  });

  it("each input's range comes from its own array: y ten times larger scales y's quantization by ten and leaves x's alone", async () => {
    const out = path.join(tmp(), 'y10.onnx');
    const r = await runCli('quantize', modelFile, '-o', out, '--calib', `x=${tmp()}/x.npy`, '--calib', `y=${tmp()}/y10.npy`);
    expect(r.code).toBe(0);
    const base = await loadModelFile(path.join(tmp(), 'pairs.onnx'));
    const big = await loadModelFile(out);
    expect(inputScale(big, 'x')).toBe(inputScale(base, 'x'));
    const ratio = inputScale(big, 'y') / inputScale(base, 'y');
    expect(ratio).toBeGreaterThan(9.9);
    expect(ratio).toBeLessThan(10.1);
  });

  it('--input with per-input data, and a name that is not an input, exit 1 naming the problem', async () => {
    const out = path.join(tmp(), 'bad.onnx');
    const withInput = await runCli('quantize', modelFile, '-o', out, '--calib', path.join(tmp(), 'xy.npz'), '--input', 'x');
    expect(withInput.code).toBe(1);
    expect(withInput.stderr).toBe(`qtk: --input picks the input of single-input data; per-input data from ${tmp()}/xy.npz names its inputs (x, y); leave --input out\n`);
    const unknown = await runCli('quantize', modelFile, '-o', out, '--calib', `x=${tmp()}/x.npy`, '--calib', `z=${tmp()}/y.npy`);
    expect(unknown.stderr).toBe("qtk: calibration data for 'z', but that is not a model input; inputs: 'x' [N,4] float32, 'y' [N,4] float32\n");
    await expect(fs.stat(out)).rejects.toThrow();
  });
});
