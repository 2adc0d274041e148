import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import onnxruntimeBackendDefault, { onnxruntimeBackend, STATIC_HANDLERS } from './policy.js';
import * as root from './index.js';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Every module specifier the file `file` reaches through static imports and re-exports, relative ones followed. */
function reachable(file: string, seen = new Set<string>(), out = new Set<string>()): Set<string> {
  if (seen.has(file)) return out;
  seen.add(file);
  for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
    if (fileName.startsWith('.')) reachable(resolve(dirname(file), fileName.replace(/\.js$/, '.ts')), seen, out);
    else out.add(fileName);
  }
  return out;
}

describe('@qtk/onnxruntime/policy', () => {
  it('loads neither onnxruntime-node nor onnxruntime-web: its only package imports are entries of @qtk/core', () => {
    expect([...reachable(join(SRC, 'policy.ts'))].sort()).toEqual(['@qtk/core', '@qtk/core/internal']);
  });

  it('default-exports the backend plugin, which the package root re-exports by name', () => {
    expect(onnxruntimeBackendDefault).toBe(onnxruntimeBackend);
    expect(root.onnxruntimeBackend).toBe(onnxruntimeBackend);
    expect([onnxruntimeBackend.kind, onnxruntimeBackend.name]).toEqual(['backend', 'onnxruntime']);
  });

  it('places every op type of its handlers, with uint8 activations and int8 weights by default, and writes QOperator besides QDQ', () => {
    expect(new Set(onnxruntimeBackend.policy.opTypes)).toEqual(new Set(STATIC_HANDLERS.flatMap((h) => h.opTypes)));
    expect(onnxruntimeBackend.defaults).toMatchObject({ activationType: 'uint8', weightType: 'int8', perChannel: true });
    expect(onnxruntimeBackend.writers?.formats?.map((w) => w.format)).toEqual(['qoperator']);
    expect(onnxruntimeBackend.writers?.qdq?.name).toBeTypeOf('string');
  });
});
