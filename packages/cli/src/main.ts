/**
 * The `qtk` command line as a function: `await run(['inspect', 'model.onnx'])` resolves
 * to the exit code. Commands load lazily, so `qtk inspect` never loads onnxruntime.
 * Errors print `qtk: <message>` on stderr and give exit code 1; unexpected errors show
 * their stack only when QTK_DEBUG=1.
 */
import { readFileSync } from 'node:fs';
import { isQtkError, QtkError } from '@qtk/core';
import { formatHelp, parseCommandArgs } from './args.js';
import { println, type CliIO, type Command } from './command.js';

export type { CliIO, TextOut, Command } from './command.js';

/** The sub-commands, by name, with a one-line summary shown before they load. */
const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<Command> }>> = {
  quantize: { summary: 'quantize an ONNX model (static with calibration data, dynamic, or weight-only)', load: async () => (await import('./commands/quantize.js')).quantizeCommand },
  inspect: { summary: 'show inputs, outputs, opsets, op counts and parameter size of a model', load: async () => (await import('./commands/inspect.js')).inspectCommand },
  compare: { summary: 'compare a quantized model with its float model: SQNR, cosine and max error per node and output', load: async () => (await import('./commands/compare.js')).compareCommand },
  bench: { summary: 'benchmark FP32 against quantized models across runtimes (tables and an HTML report with charts)', load: async () => (await import('./commands/bench.js')).benchCommand },
  demo: { summary: 'quantize the bundled digits CNN and compare FP32 and INT8 accuracy, size and speed', load: async () => (await import('./commands/demo.js')).demoCommand },
};

/** The names of the sub-commands, in the order the help lists them. */
export function commandNames(): string[] {
  return Object.keys(COMMANDS);
}

/** The sub-command `name` (its spec and runner), loaded on demand; undefined for an unknown name. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name]!.load() : undefined;
}

/** The version of this package (from its package.json). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The top-level help text. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  return [
    'usage: qtk <command> [options]',
    '',
    'qtk quantizes ONNX models: FP32 in, INT8 out, with accuracy and size reported.',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    "Run 'qtk <command> --help' for a command's options; 'qtk --version' prints the version.",
    '',
  ].join('\n');
}

/** Runs the CLI on `argv` (without `node` and the script); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const env = io.env ?? process.env;
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      if (topic !== undefined) return run([topic, '--help'], io);
      io.stdout.write(mainHelp());
      return 0;
    }
    if (first === '--version' || first === '-V') {
      println(io.stdout, version());
      return 0;
    }
    const command = await loadCommand(first);
    if (!command) {
      const hint = first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`;
      throw new QtkError('E_OPTION', `${hint}; commands: ${Object.keys(COMMANDS).join(', ')} (see 'qtk --help')`);
    }
    const spec = command.specFor ? await command.specFor(rest) : command;
    const args = parseCommandArgs(spec, rest);
    if (args.values.help) {
      io.stdout.write(formatHelp(spec));
      return 0;
    }
    return await command.run(args, io);
  } catch (e) {
    for (const line of errorLines(e, env.QTK_DEBUG === '1')) println(io.stderr, line);
    return 1;
  }
}

/**
 * What the CLI prints for an error: `qtk: <message>`; QtkError messages as they are,
 * other errors with a hint, and with `debug` (QTK_DEBUG=1) the stack as well.
 */
export function errorLines(e: unknown, debug: boolean): string[] {
  const err = e instanceof Error ? e : new Error(String(e));
  const lines = [`qtk: ${err.message}`];
  if (debug) lines.push(err.stack ?? '');
  else if (!isQtkError(e)) lines.push('qtk: this is unexpected; run with QTK_DEBUG=1 for the stack trace');
  return lines;
}
