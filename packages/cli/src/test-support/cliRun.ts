/** Test helpers: run the CLI, or one command, in-process with streams that collect what it prints. */
import type { CliIO } from '../command.js';
import { run } from '../main.js';

/** A run's exit code and everything it wrote to stdout and stderr. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Calls `fn` with collecting stdout/stderr streams and an empty environment; returns its
 * exit code and the output. A rejection of `fn` passes through.
 * Example: `await captureRun((io) => compareCommand.run(args, io))`.
 */
export async function captureRun(fn: (io: CliIO) => Promise<number>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await fn({ stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {} });
  return { code, stdout, stderr };
}

/** Runs `qtk ...argv` in-process (as `main.run`); returns its exit code and what it printed. */
export function runCli(...argv: string[]): Promise<CliRun> {
  return captureRun((io) => run(argv, io));
}
