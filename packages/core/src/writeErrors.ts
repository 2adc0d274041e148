/** Plain-words reasons for failed writes, naming the path at fault. */
import { statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Why writing `file` failed with `e`: `'out' is a file, not a folder` for ENOTDIR (naming
 * the first path component that is not a folder), `folder 'out' does not exist` for
 * ENOENT, and the system's message otherwise.
 * Example: `describeWriteError(err, 'notes.txt/q.onnx')` is `'notes.txt' is a file, not a folder`.
 */
export function describeWriteError(e: unknown, file: string): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const dir = path.dirname(path.resolve(file));
  if (code === 'ENOTDIR') {
    const blocker = firstNonFolder(dir);
    return blocker ? `'${blocker}' is a file, not a folder` : `a component of '${dir}' is not a folder`;
  }
  if (code === 'ENOENT') return `folder '${dir}' does not exist`;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied in folder '${dir}'`;
  if (code === 'EROFS') return `folder '${dir}' is on a read-only file system`;
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EISDIR') return `'${file}' is a folder`;
  return e instanceof Error ? e.message : String(e);
}

/** The first ancestor of `dir` (from the root down, `dir` included) that exists and is not a folder. */
function firstNonFolder(dir: string): string | undefined {
  const parts: string[] = [];
  for (let p = dir; ; p = path.dirname(p)) {
    parts.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const p of parts) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
