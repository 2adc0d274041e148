/** The workspace's documentation files and example folder, for the documentation checks. */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root (two folders above this file). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** README.md and every docs/*.md, relative to the root. */
export function documentFiles(): string[] {
  return ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

/** The files of `examples/<sub>` ending in `ext`, relative to the root, sorted. */
export function exampleFiles(sub: string, ext: string): string[] {
  return readdirSync(path.join(ROOT, 'examples', sub)).filter((f) => f.endsWith(ext)).sort().map((f) => `examples/${sub}/${f}`);
}
