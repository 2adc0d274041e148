/**
 * Running the example scripts of examples/ the way a reader would from the workspace
 * root, but in a scratch folder: `fixtures`, `node_modules` and `examples` are linked
 * into it, so the scripts read the bundled data and write their outputs there.
 */
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, type CliRun } from '../../packages/cli/src/test-support/cliRun.js';
import { ROOT } from './docFiles.js';
import { shellCommands } from './shellScript.js';

/** A fresh folder with the workspace's fixtures, node_modules and examples linked in. */
export async function scratchWorkspace(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'qtk-examples-'));
  for (const name of ['fixtures', 'node_modules', 'examples']) await fs.symlink(path.join(ROOT, name), path.join(dir, name));
  return dir;
}

/** Calls `fn` with the working folder set to `dir`, then restores it. */
export async function inFolder<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

/** One command of a script and how it ended. */
export interface ScriptStep {
  line: number;
  argv: string[];
  run: CliRun;
}

/** Options whose value is a file or folder a command writes. */
const OUTPUT_OPTIONS = new Set(['-o', '--output', '--report', '--json', '--out', '--calibration-cache']);

/** The paths `argv` names as outputs (`-o FILE`, `--report FILE`, `--json FILE`, `--out DIR`). */
export function outputPaths(argv: readonly string[]): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    const eq = /^(--[\w-]+)=(.*)$/.exec(a);
    if (eq && OUTPUT_OPTIONS.has(eq[1]!)) out.push(eq[2]!);
    else if (OUTPUT_OPTIONS.has(a) && argv[i + 1] !== undefined) out.push(argv[i + 1]!);
  });
  return out;
}

/**
 * Runs every command of the script `file` (relative to the root) in-process in the
 * current folder; each must be `qtk …` or `npx qtk …`. Stops at the first command that
 * fails, which is then the last step returned.
 */
export async function runScript(file: string): Promise<ScriptStep[]> {
  const steps: ScriptStep[] = [];
  for (const { line, argv } of shellCommands(readFileSync(path.join(ROOT, file), 'utf8'))) {
    const words = argv[0] === 'npx' ? argv.slice(1) : argv;
    if (words[0] !== 'qtk') throw new Error(`${file}:${line}: only qtk commands run in an example script, got '${argv[0]}'`);
    const run = await runCli(...words.slice(1));
    steps.push({ line, argv: words, run });
    if (run.code !== 0) break;
  }
  return steps;
}
