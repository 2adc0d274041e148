/** Test helper: one temporary folder per test file, made before its tests and removed after. */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Registers hooks that make a fresh folder under the OS temp folder (name starting with
 * `prefix`) before the file's tests and remove it, with its contents, after them.
 * Returns the folder's path getter; call it in tests or in `beforeAll` hooks registered
 * after this call (hooks run in registration order).
 * Example: `const tmp = useTempDir('qtk-cli-config-'); ... path.join(tmp(), 'a.json')`.
 */
export function useTempDir(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error(`the temp folder '${prefix}…' is made in beforeAll; it does not exist yet`);
    return dir;
  };
}
