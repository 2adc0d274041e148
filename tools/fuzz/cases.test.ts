import { describe, expect, it } from 'vitest';
import { Rng } from '@qtk/models';
import { caseSeed, makeCase } from './cases.js';
import { MUTATORS, mutate } from './mutators.js';
import { loadSeeds } from './seeds.js';
import { parseMessage } from './wire.js';

const corpus = loadSeeds();

describe('fuzz cases', () => {
  it('loads every seed group: digits, vad, conformance, built', () => {
    expect([...corpus.groups.keys()]).toEqual(['digits', 'vad', 'conformance', 'built']);
    expect(corpus.groups.get('conformance')!.length).toBeGreaterThan(100);
  });

  it('rebuilds the same bytes from the same (seed, entry, index), other bytes from another index or entry', () => {
    const a = makeCase(corpus, 1, 'decode', 42);
    expect(Buffer.from(makeCase(corpus, 1, 'decode', 42).bytes).equals(Buffer.from(a.bytes))).toBe(true);
    expect(caseSeed(1, 'decode', 42)).not.toBe(caseSeed(1, 'decode', 43));
    expect(caseSeed(1, 'decode', 42)).not.toBe(caseSeed(1, 'wasm', 42));
    expect(caseSeed(1, 'decode', 42)).not.toBe(caseSeed(2, 'decode', 42));
  });

  it('draws cases only from the groups an entry point names', () => {
    for (let i = 0; i < 20; i++) expect(makeCase(corpus, 1, 'x', i, ['digits']).from.group).toBe('digits');
  });

  it('applies every mutator somewhere in 400 mutations and changes the bytes', () => {
    const digits = corpus.groups.get('digits')![0]!;
    const donor = corpus.groups.get('built')![0]!;
    const seen = new Set<string>();
    const rng = new Rng(7);
    for (let i = 0; i < 400; i++) {
      const { bytes, steps } = mutate(rng, digits.bytes, digits.tree, donor);
      expect(steps.length).toBeGreaterThan(0);
      for (const s of steps) seen.add(s.split(' ')[0]!);
      if (steps.every((s) => !s.startsWith('dup') && !s.startsWith('splice'))) expect(Buffer.from(bytes).equals(Buffer.from(digits.bytes))).toBe(false);
    }
    const names = MUTATORS.map((m) => m.name);
    for (const n of names.filter((n) => n !== 'splice')) expect(seen.has(n)).toBe(true);
    for (const n of ['drop', 'dup', 'splice']) expect(seen.has(n)).toBe(true);
  });

  it('keeps a field splice a well-formed message (lengths recomputed)', () => {
    const digits = corpus.groups.get('digits')![0]!;
    const donor = corpus.groups.get('vad')?.[0] ?? digits;
    const splice = MUTATORS.find((m) => m.name === 'splice')!;
    const rng = new Rng(3);
    for (let i = 0; i < 30; i++) {
      const r = splice.apply({ rng, bytes: digits.bytes, tree: () => digits.tree, donor })!;
      expect(parseMessage(r.bytes), r.step).toBeDefined();
    }
  });
});

describe('fuzz mutators leave their input alone', () => {
  it('never write into the bytes they are given, even a Node Buffer (whose slice() is a view)', () => {
    const digits = corpus.groups.get('digits')![0]!;
    const buf = Buffer.from(digits.bytes);
    const copy = Buffer.from(buf);
    const rng = new Rng(11);
    for (let i = 0; i < 200; i++) mutate(rng, buf, digits.tree, digits);
    expect(buf.equals(copy)).toBe(true);
  });

  it('keep the seed corpus unchanged over a run of cases', () => {
    const before = corpus.all.map((s) => Buffer.from(s.bytes));
    for (let i = 0; i < 300; i++) makeCase(corpus, 1, 'decode', i);
    corpus.all.forEach((s, i) => expect(Buffer.from(s.bytes).equals(before[i]!), s.name).toBe(true));
  });
});
