import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));

/**
 * Names of backends that core's sources must not spell out (they belong in backend
 * packages). Op domains such as com.microsoft are ONNX names that core reads models by, not backends.
 */
const BACKEND_NAMES = /onnxruntime|tensorrt|openvino|\bort\b/i;

/** Core's non-test sources, relative to src/. */
function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test-support' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'bench.ts' ? [relative(SRC, p)] : [];
  });
}

/** The string and template literal texts of TypeScript source `text` (comments are not literals). */
function literalsOf(text: string): string[] {
  const sf = ts.createSourceFile('source.ts', text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteralLike(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) out.push(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('core is backend-neutral', () => {
  const hits = new Map(sources().map((f) => [f, literalsOf(readFileSync(join(SRC, f), 'utf8')).filter((s) => BACKEND_NAMES.test(s))] as const).filter(([, h]) => h.length > 0));

  it('no string literal in core names a backend', () => {
    const offending = [...hits].map(([f, h]) => `${f}: ${h.join(' | ')}`);
    expect(offending).toEqual([]);
  });

  it('the check sees literals and not comments', () => {
    const text = "// onnxruntime in a comment\nconst a = 'tensorrt';\nconst b = `x ${a} openvino`;\n";
    expect(literalsOf(text).filter((s) => BACKEND_NAMES.test(s))).toEqual(['tensorrt', ' openvino']);
  });
});
