import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames, rewriteSource } from './core-internal-imports.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const internal = new Set(['GraphEditor', 'formatDims', 'NodeProbe']);

describe('core-internal-imports codemod', () => {
  it('moves internal names of an @qtk/core import to an @qtk/core/internal import below it', () => {
    const out = rewriteSource("import { Tensor, GraphEditor, type Model } from '@qtk/core';\nconst x = 1;\n", internal);
    expect(out).toBe("import { Tensor, type Model } from '@qtk/core';\nimport { GraphEditor } from '@qtk/core/internal';\nconst x = 1;\n");
  });

  it('keeps import type and aliases, and replaces a declaration whose names are all internal', () => {
    const out = rewriteSource("import type { NodeProbe as P } from '@qtk/core';\nexport { formatDims } from '@qtk/core';\n", internal);
    expect(out).toBe("import type { NodeProbe as P } from '@qtk/core/internal';\nexport { formatDims } from '@qtk/core/internal';\n");
  });

  it('leaves files without internal names, other specifiers and namespace imports unchanged', () => {
    const src = "import { Tensor } from '@qtk/core';\nimport { GraphEditor } from './local.js';\nimport * as core from '@qtk/core';\n";
    expect(rewriteSource(src, internal)).toBe(src);
  });

  it('reads the internal names from the export lists of core/src/internal.ts, disjoint from the public entry', () => {
    const names = exportedNames(fs.readFileSync(path.join(ROOT, 'packages/core/src/internal.ts'), 'utf8'));
    const pub = exportedNames(fs.readFileSync(path.join(ROOT, 'packages/core/src/index.ts'), 'utf8'));
    expect(names.has('GraphEditor')).toBe(true);
    expect(pub.has('quantizeModel')).toBe(true);
    expect([...names].filter((n) => pub.has(n))).toEqual([]);
  });
});
