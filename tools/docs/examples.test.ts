/**
 * The example scripts and programs of examples/ run on the bundled data: every `qtk`
 * command of each shell script exits 0 and writes the files it names, and each
 * TypeScript example runs against the workspace sources and prints what it should.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ROOT, exampleFiles } from './docFiles.js';
import { inFolder, outputPaths, runScript, scratchWorkspace as newScratch } from './examplesRun.js';

/** Scratch folders made by this file's tests (links and outputs; rm does not follow the links). */
const scratch: string[] = [];
async function scratchWorkspace(): Promise<string> {
  const dir = await newScratch();
  scratch.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(scratch.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

describe('example shell scripts', () => {
  for (const file of exampleFiles('cli', '.sh')) {
    it(`${file}: every qtk command exits 0 and writes the files it names`, async () => {
      const dir = await scratchWorkspace();
      const steps = await inFolder(dir, () => runScript(file));
      expect(steps.length).toBeGreaterThan(0);
      const failed = steps.filter((s) => s.run.code !== 0).map((s) => `${file}:${s.line}: qtk ${s.argv.slice(1).join(' ')}\n${s.run.stderr}`);
      expect(failed.join('\n')).toBe('');
      const absent = steps.flatMap((s) => outputPaths(s.argv)).filter((p) => !existsSync(path.join(dir, p)));
      expect(absent).toEqual([]);
    });
  }
});

/** What each TypeScript example must print (one pattern per line it checks). */
const EXPECTED_OUTPUT: Readonly<Record<string, readonly RegExp[]>> = {
  'examples/api/quantize.ts': [/^\d+ nodes quantized, \d+ left float$/m, /^dynamic \d+ nodes, weight-only \d+, codebook \d+$/m, /^worst output SQNR \d+(\.\d+)? dB$/m],
  'examples/api/registry.ts': [/^executor: onnxruntime-node$/m],
  'examples/api/tensors.ts': [/^image 1x3x224x224, ids 1x3 int64, scale 1, w 64x3x7x7, 1 feed$/m],
  'examples/api/bench-runtime.ts': [/^\| my-engine \(threads=1\) v1\.2\.3 \| int8-dynamic \|/m],
  'examples/api/tensorrt.ts': [/^int8: \d+ nodes quantized, cache of \d+ tensors$/m, /^from the cache: \d+ nodes quantized$/m, /^fp8: opset 19$/m],
};

describe('TypeScript examples', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('every TypeScript example has its expected output listed here', () => {
    expect(Object.keys(EXPECTED_OUTPUT).sort()).toEqual(exampleFiles('api', '.ts'));
  });

  for (const file of exampleFiles('api', '.ts')) {
    it(`${file} runs and prints its results`, async () => {
      const dir = await scratchWorkspace();
      const printed: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      });
      await inFolder(dir, () => import(path.join(ROOT, file)));
      const text = printed.join('\n');
      for (const pattern of EXPECTED_OUTPUT[file] ?? []) expect(text).toMatch(pattern);
    });
  }
});
