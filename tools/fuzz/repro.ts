/**
 * Rebuilds one fuzz case from (seed, entry, index): prints its seed model and mutations,
 * writes its bytes with --out, and with --run runs it in this process, printing the full error.
 *   npx tsx --conditions=@qtk/source tools/fuzz/repro.ts --entry decode --seed 1 --index 42 --out case.onnx --run
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { makeCase } from './cases.js';
import { ENTRY_POINTS } from './entries.js';
import { loadSeeds } from './seeds.js';

/** Writes the bytes of case (`seed`, `entry`, `index`) to `file`; returns the seed model's name and the mutations. */
export function writeCase(file: string, seed: number, entry: string, index: number, corpus = loadSeeds()): { from: string; steps: string[] } {
  const c = makeCase(corpus, seed, entry, index, ENTRY_POINTS[entry]?.groups);
  writeFileSync(file, c.bytes);
  return { from: c.from.name, steps: c.steps };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      entry: { type: 'string', default: 'decode' },
      seed: { type: 'string', default: '1' },
      index: { type: 'string', default: '0' },
      out: { type: 'string' },
      run: { type: 'boolean', default: false },
    },
  });
  const entry = ENTRY_POINTS[values.entry!];
  if (!entry) throw new Error(`unknown entry point '${values.entry}'`);
  const c = makeCase(loadSeeds(), Number(values.seed), entry.name, Number(values.index), entry.groups);
  console.log(`case ${c.index} of ${entry.name} seed ${c.seed}: ${c.from.name}, ${c.bytes.length} bytes, mutations: ${c.steps.join('; ') || 'none'}`);
  if (values.out) {
    writeFileSync(values.out, c.bytes);
    console.log(`wrote ${values.out}`);
  }
  if (values.run) {
    await entry.run(c).then(() => console.log('passed'), (e: unknown) => { console.log(e); });
  }
}
