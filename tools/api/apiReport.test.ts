import { describe, expect, it } from 'vitest';
import { apiEntries, lineDiff } from './apiReport.js';

describe('API report entries', () => {
  it("lists each public exports subpath of each package, and not @qtk/core's ./internal", () => {
    const names = apiEntries().map((e) => e.reportName);
    expect(names).toEqual(expect.arrayContaining(['core', 'core-node', 'onnxruntime', 'onnxruntime-node', 'onnxruntime-web', 'wasm']));
    expect(names).not.toContain('core-internal');
  });

  it("points each entry at the built declaration file of its 'types' condition", () => {
    const core = apiEntries().find((e) => e.reportName === 'core-node');
    expect(core?.subpath).toBe('./node');
    expect(core?.dts.endsWith('packages/core/dist/node.d.ts')).toBe(true);
  });

  it('lineDiff lists removed lines with - and added lines with +', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual(['- b', '+ d']);
  });
});
