/**
 * Memory bombs against the memory budget (issue 11): tiny models and data files that
 * declare huge values. Each case runs in its own child process (node, old space capped at
 * 1500 MiB, killed after 60 s) under `/usr/bin/time`, and one line per case prints the
 * outcome (exit code and the first error line, or "ok"), the wall time and the peak RSS,
 * against the target: a typed error, or for the folding bombs a correct unfolded result,
 * within a few seconds and under 1.5 GiB.
 *
 *   npx tsx --conditions=@qtk/source tools/bench/untrusted-memory.ts [case ...]
 *
 * Cases: fold-constant-of-shape and fold-range (`qtk quantize` in static mode, then the
 * quantized model run by onnxruntime and checked against x times the dims), png and jpeg
 * (a 30000x30000 grey image as calibration data: a real 875 KB PNG, a JPEG header), npy
 * (a 128-byte .npy declaring 100000x100000 float32), wasm-constant-of-shape and
 * wasm-arena (@qtk/wasm planning a huge constant and a huge activation). Asserts nothing.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDeflate, crc32 } from 'node:zlib';
import { Tensor, createGraph, createModel, encodeModel, encodeNpy } from '@qtk/core';
import { constantOfShapeBomb, rangeBomb } from '../../packages/core/src/test-support/memoryBombs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const digits = join(root, 'fixtures/digits/digits_cnn.onnx');
const SIDE = 30000;

/** A PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid `side`x`side` 8-bit grey PNG of zeros, its rows deflated one at a time. */
async function writeGreyPng(file: string, side: number): Promise<void> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const parts: Buffer[] = [];
  const z = createDeflate({ level: 9 });
  z.on('data', (b: Buffer) => parts.push(b));
  const row = Buffer.alloc(side + 1);
  for (let y = 0; y < side; y++) if (!z.write(row)) await new Promise((r) => z.once('drain', r));
  await new Promise((r) => z.end(r));
  const out = createWriteStream(file);
  out.write(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  out.write(chunk('IHDR', ihdr));
  out.write(chunk('IDAT', Buffer.concat(parts)));
  out.write(chunk('IEND', new Uint8Array(0)));
  await new Promise((r) => out.end(r));
}

/** SOI, a baseline SOF0 declaring `side`x`side` grey, EOI: what a header check sees. */
function greyJpegHeader(side: number): Uint8Array {
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, side >> 8, side & 255, side >> 8, side & 255, 1, 1, 0x11, 0, 0xff, 0xd9]);
}

/** A .npy header declaring (100000, 100000) float32, with 4 bytes of data. */
function hugeNpy(): Uint8Array {
  const small = encodeNpy(new Tensor('float32', new Float32Array(1), [1]));
  const text = Buffer.from(small).toString('latin1').replace("'shape': (1,), ", "'shape': (100000, 100000),");
  return Buffer.from(text, 'latin1');
}

/** `y = Relu(x)` over x float32 `dims`: the arena holds x and y. */
function reluModel(dims: number[]): Uint8Array {
  const g = createGraph('relu');
  g.inputs = [{ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: dims } }];
  g.outputs = [{ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: dims } }];
  g.nodes = [{ name: 'relu', opType: 'Relu', domain: '', inputs: ['x'], outputs: ['y'], attributes: [] }];
  return encodeModel(createModel(g, 17)).model;
}

/** Runs one case in this process (the child side). */
async function runCase(name: string, dir: string): Promise<void> {
  const { run } = await import('../../packages/cli/src/main.js');
  const quantizeAndCheck = async (model: string, rank: number, dims: number[]) => {
    const x = join(dir, `x${rank}.npy`);
    writeFileSync(x, encodeNpy(new Tensor('float32', Float32Array.from({ length: 8 * rank }, (_, i) => (i % 7) / 7), [8, rank])));
    const out = join(dir, `${name}.int8.onnx`);
    const code = await run(['quantize', model, '-o', out, '--calib', x]);
    if (code !== 0) throw new Error(`qtk quantize exited ${code}`);
    const ort = await import('onnxruntime-node');
    const s = await ort.InferenceSession.create(readFileSync(out));
    const y = (await s.run({ x: new ort.Tensor('float32', Float32Array.from({ length: rank }, () => 0.5), [1, rank]) })).y!.data as Float32Array;
    const want = dims.map((d) => 0.5 * d);
    const worst = Math.max(...want.map((w, i) => Math.abs(y[i]! - w) / w));
    console.log(`y ${[...y].join(',')} (want ${want.join(',')}, worst relative error ${worst.toFixed(4)})`);
  };
  switch (name) {
    case 'fold-constant-of-shape': return quantizeAndCheck(join(dir, 'cos.onnx'), 2, [65536, 65536]);
    case 'fold-range': return quantizeAndCheck(join(dir, 'range.onnx'), 1, [5e8]);
    case 'png':
    case 'jpeg': {
      const code = await run(['quantize', digits, '-o', join(dir, 'digits.int8.onnx'), '--calib', join(dir, name === 'png' ? 'huge.png' : 'huge.jpg')]);
      throw new Error(`qtk quantize exited ${code}`);
    }
    case 'npy': {
      const code = await run(['quantize', digits, '-o', join(dir, 'digits.int8.onnx'), '--calib', join(dir, 'huge.npy')]);
      throw new Error(`qtk quantize exited ${code}`);
    }
    case 'wasm-constant-of-shape':
    case 'wasm-arena': {
      const { InferenceSession, Tensor: WasmTensor } = await import('../../packages/wasm/src/index.js');
      const s = await InferenceSession.create(readFileSync(join(dir, name === 'wasm-arena' ? 'relu.onnx' : 'cos.onnx')));
      // the bomb's batch dim is symbolic: it is planned on the first run
      if (name === 'wasm-constant-of-shape') await s.run({ x: new WasmTensor('float32', Float32Array.of(0.5, 0.5), [1, 2]) });
      return;
    }
    default: throw new Error(`unknown case '${name}'`);
  }
}

/** Resident bytes of the processes in process group `pgid` (Linux /proc). */
function groupRss(pgid: number): number {
  let bytes = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'latin1').split(') ')[1]!.split(' ');
      if (Number(fields[2]) === pgid) bytes += Number(fields[21]) * 4096;
    } catch {
      // the process ended meanwhile
    }
  }
  return bytes;
}

/** Runs `argv` in its own process group, killing the group should it pass 4 GiB resident (a guard for the shared machine). */
function runWatched(argv: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: root, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const guard = setInterval(() => {
      if (groupRss(child.pid!) > 4 * 2 ** 30) {
        stderr += 'killed: over 4 GiB resident\n';
        process.kill(-child.pid!, 'SIGKILL');
      }
    }, 50);
    child.on('close', (status) => { clearInterval(guard); resolve({ status, stdout, stderr }); });
  });
}

const CASES = ['fold-constant-of-shape', 'fold-range', 'png', 'jpeg', 'npy', 'wasm-constant-of-shape', 'wasm-arena'];

const at = process.argv.indexOf('--child');
if (at >= 0) {
  try {
    await runCase(process.argv[at + 1]!, process.argv[at + 2]!);
    console.log('ok');
  } catch (e) {
    const err = e as { code?: string; message?: string };
    console.log(`${err.code ?? 'Error'}: ${err.message?.split('\n')[0]}`);
    process.exitCode = 1;
  }
} else {
  const dir = mkdtempSync(join(tmpdir(), 'qtk-untrusted-'));
  writeFileSync(join(dir, 'cos.onnx'), encodeModel(constantOfShapeBomb()).model);
  writeFileSync(join(dir, 'range.onnx'), encodeModel(rangeBomb()).model);
  writeFileSync(join(dir, 'huge.jpg'), greyJpegHeader(SIDE));
  writeFileSync(join(dir, 'huge.npy'), hugeNpy());
  writeFileSync(join(dir, 'relu.onnx'), reluModel([32768, 32768]));
  const cases = process.argv.slice(2).length ? process.argv.slice(2) : CASES;
  if (cases.includes('png')) await writeGreyPng(join(dir, 'huge.png'), SIDE);
  const sizes = ['cos.onnx', 'range.onnx', 'huge.jpg', 'huge.npy', 'relu.onnx', ...(cases.includes('png') ? ['huge.png'] : [])];
  console.log(`inputs in ${dir}: ${sizes.map((f) => `${f} ${readFileSync(join(dir, f)).byteLength} B`).join(', ')}`);
  for (const name of cases) {
    const script = fileURLToPath(import.meta.url);
    const node = ['timeout', '--foreground', '60', process.execPath, '--max-old-space-size=1500', '--import', 'tsx', '--conditions=@qtk/source', script, '--child', name, dir];
    const r = await runWatched(['/usr/bin/time', '-f', '%e %M', ...node]);
    const errLines = r.stderr.trim().split('\n');
    const timed = errLines.findLast((l) => /^[\d.]+ \d+$/.test(l));
    const [seconds, kib] = (timed ?? 'NaN NaN').split(' ').map(Number);
    const said = [...r.stdout.trim().split('\n'), ...errLines].filter((l) => /^(ok|y |E_|Error|qtk: |killed)/.test(l));
    console.log(`${name.padEnd(24)} exit ${String(r.status).padEnd(3)} ${seconds!.toFixed(1).padStart(5)} s  peak RSS ${((kib! * 1024) / 2 ** 20).toFixed(0).padStart(5)} MiB  ${said.slice(-2).join(' | ').slice(0, 300)}`);
  }
}
