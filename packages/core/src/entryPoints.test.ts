import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as publicApi from './index.js';
import * as internalApi from './internal.js';

const source = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');

describe("@qtk/core's entry points", () => {
  it("list every name explicitly: no 'export *' in index.ts or internal.ts", () => {
    for (const file of ['./index.ts', './internal.ts']) expect(source(file)).not.toMatch(/export\s+(type\s+)?\*/);
  });

  it('share no runtime name: a helper is public or internal, not both', () => {
    const pub = new Set(Object.keys(publicApi));
    expect(Object.keys(internalApi).filter((n) => pub.has(n))).toEqual([]);
  });

  it('keep the top-level API public and workspace helpers internal', () => {
    expect(typeof publicApi.quantizeModel).toBe('function');
    expect(typeof publicApi.decodeModel).toBe('function');
    expect('GraphEditor' in publicApi).toBe(false);
    expect(typeof internalApi.GraphEditor).toBe('function');
  });
});
