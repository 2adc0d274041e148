import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test-support/tempDir.js';
import { runCli } from '../test-support/cliRun.js';
import { modelSources } from './bench.js';

describe('qtk bench', () => {
  const tmp = useTempDir('qtk-cli-bench-');

  it('benchmarks the digits model FP32 and INT8 on onnxruntime-node and writes JSON, Markdown and HTML', async () => {
    const out = path.join(tmp(), 'digits');
    const r = await runCli('bench', '--models', 'digits', '--runtimes', 'onnxruntime-node', '--precisions', 'fp32,int8-static', '--iterations', '3', '--warmup', '1', '--batch-sizes', '1', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const files = (await fs.readdir(out)).sort();
    expect(files).toEqual(expect.arrayContaining(['bench.html', 'bench.json', 'bench.md']));
    const json = JSON.parse(await fs.readFile(path.join(out, 'bench.json'), 'utf8')) as unknown;
    const text = JSON.stringify(json);
    expect(text).toContain('int8-static');
    expect(text).toContain('fp32');
    const md = await fs.readFile(path.join(out, 'bench.md'), 'utf8');
    expect(md).toMatch(/digits/);
    expect(md.split('\n').filter((l) => l.startsWith('|')).length).toBeGreaterThanOrEqual(4);
  });

  it('refuses an unknown runtime with a message naming it', async () => {
    const r = await runCli('bench', '--models', 'digits', '--runtimes', 'tensorflow', '--out', path.join(tmp(), 'x'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tensorflow');
  });

  it('takes digits from the fixture next to the CLI when no workspace root is found, and still refuses the workspace-only models', async () => {
    const [digits, vad] = modelSources(['digits', 'silero-vad'], undefined);
    const model = await digits!.load();
    expect(model.graph.inputs[0]!.name).toBe('input');
    expect(model.graph.nodes.some((n) => n.opType === 'Conv')).toBe(true);
    await expect(vad!.load()).rejects.toMatchObject({ code: 'E_IO' });
  });
});
