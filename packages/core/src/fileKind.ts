/** Names of file system entry kinds, for messages about paths that are not regular files. */
import type { Stats } from 'node:fs';

/** What a file system entry that is not a regular file is: `a directory`, `a FIFO (named pipe)`. */
export function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'a special file';
}
