/** The version of an installed package, found from where its entry point resolves. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** The `version` of the package `specifier` names, or undefined when it cannot be resolved. */
export function packageVersion(specifier: string): string | undefined {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(specifier);
  } catch {
    return undefined;
  }
  for (let dir = path.dirname(entry); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === specifier) return pkg.version;
  }
  return undefined;
}
