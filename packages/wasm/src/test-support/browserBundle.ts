/** Test helper: the package bundled for browsers, and where the browser tests find Chromium. */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Debian's chromium, which CI installs; the browser tests skip when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';

/** The package bundled for browsers as a script defining the global `qtkWasm`. */
export async function browserBundle(): Promise<string> {
  const r = await build({
    entryPoints: [fileURLToPath(new URL('../index.ts', import.meta.url))],
    bundle: true, write: false, platform: 'browser', format: 'iife', globalName: 'qtkWasm',
    conditions: ['@qtk/source'], external: ['@qtk/core/node'], logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}
