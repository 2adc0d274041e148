import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createProgram, planRewrites, type FileRewrite } from './tensor-order.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TENSOR = path.join(ROOT, 'packages', 'core', 'src', 'ir', 'tensor.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tensor-order-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the codemod's planner over one file of `body` (Tensor imported from core's source). */
function plan(name: string, body: string): { file: string; rewrite: FileRewrite | undefined } {
  const file = path.join(dir, `${name}.ts`);
  fs.writeFileSync(file, `import { Tensor } from '${TENSOR}';\n${body}\n`);
  return { file, rewrite: planRewrites(createProgram([file]), [file], ROOT)[0] };
}

describe('tensor-order codemod', () => {
  it('moves data before dims in old-order constructor and fromFloat32 calls, nested ones included', () => {
    const { rewrite } = plan('old', [
      "const a = new Tensor('float32', [2], Float32Array.of(1, 2));",
      "const b = new Tensor('int64', [1], new Tensor('int64', [1], BigInt64Array.of(3n)).data as BigInt64Array);",
      'const c = Tensor.fromFloat32([2, 1], /* weights */ new Float32Array(2));',
    ].join('\n'));
    expect(rewrite?.lines).toEqual([2, 3, 3, 4]);
    expect(rewrite?.text).toContain("new Tensor('float32', Float32Array.of(1, 2), [2])");
    expect(rewrite?.text).toContain("new Tensor('int64', new Tensor('int64', BigInt64Array.of(3n), [1]).data as BigInt64Array, [1])");
    expect(rewrite?.text).toContain('Tensor.fromFloat32(new Float32Array(2), /* weights */ [2, 1])');
  });

  it('is idempotent: the rewritten file has nothing left to rewrite', () => {
    const first = plan('twice', "export const t = new Tensor('uint8', [3], new Uint8Array(3));").rewrite!;
    const again = plan('twice', first.text.split('\n').slice(1).join('\n')).rewrite;
    expect(again).toBeUndefined();
  });

  it('leaves new-order calls, two plain number arrays, kept lines and other Tensor classes alone', () => {
    const { rewrite } = plan('untouched', [
      "const a = new Tensor('float32', Float32Array.of(1, 2), [2]);",
      "const b = new Tensor('float32', [1, 1, 2], [3, 1]);",
      "const c = new Tensor('float32', [2], Float32Array.of(1, 2)); // tensor-order: keep",
      'class Other { constructor(readonly t: string, readonly d: number[], readonly x: Float32Array) {} }',
      "const d = new Other('float32', [2], Float32Array.of(1, 2));",
    ].join('\n'));
    expect(rewrite).toBeUndefined();
  });

  it('lists a call with arguments typed never as one to check by hand, without rewriting it', () => {
    const { rewrite } = plan('unsure', "declare const x: Float32Array;\nconst a = new Tensor('float32', [2], x as never);");
    expect(rewrite?.lines).toEqual([]);
    expect(rewrite?.unsure).toEqual([3]);
  });
});
