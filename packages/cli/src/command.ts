/**
 * What every command module provides, and the streams it writes to. Commands write
 * results to `stdout`, progress and warnings (`warning: ...`) to `stderr`; they throw
 * QtkError for user errors.
 */
import type { CommandSpec, ParsedArgs } from './args.js';

/** A writable text stream: `process.stdout`, or a collector in tests. */
export interface TextOut {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** The streams and environment one CLI run uses. */
export interface CliIO {
  stdout: TextOut;
  stderr: TextOut;
  /** Environment (QTK_DEBUG); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A `qtk` sub-command: its spec (options and help) and what it does. */
export interface Command extends CommandSpec {
  /** Runs with parsed arguments; resolves to the exit code. */
  run(args: ParsedArgs, io: CliIO): Promise<number>;
  /** The spec to parse `argv` (and show help) by, when options depend on the arguments (a plugin's flags); default: the command's own. */
  specFor?(argv: readonly string[]): Promise<CommandSpec>;
}

/** Writes one line to a stream. */
export function println(out: TextOut, line = ''): void {
  out.write(line + '\n');
}

/** Writes a warning, `warning: <message>`, to stderr: for what was given but does part of what was asked, or nothing. */
export function warn(io: CliIO, message: string): void {
  println(io.stderr, `warning: ${message}`);
}
