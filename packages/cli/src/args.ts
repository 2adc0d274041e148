/**
 * Command-line parsing over `node:util` parseArgs: option tables per command, help text,
 * and typed conversions whose errors are QtkError('E_OPTION') naming the option.
 */
import { parseArgs } from 'node:util';
import { QtkError } from '@qtk/core';

/** One option of a command: `--name VALUE` (string) or `--name` (boolean). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help: `--out DIR`. */
  value?: string;
  help: string;
}

/** What a command declares so that it can be parsed and documented. */
export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage line after `qtk `: `quantize IN.onnx -o OUT.onnx [options]`. */
  usage: string;
  options: Readonly<Record<string, OptionSpec>>;
  /** Extra help paragraphs after the option list. */
  notes?: string;
}

/** Parsed arguments: option values by long name, positionals in order. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

/** Parses `argv` (after the command name) by `spec`; unknown options and missing values throw E_OPTION. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, o] of Object.entries({ ...spec.options, help: HELP })) {
    options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw usageError(spec, e);
  }
}

function usageError(spec: CommandSpec, e: unknown): QtkError {
  const err = e as { code?: string; message?: string };
  const opt = /'(-[^']*)'/.exec(err.message ?? '')?.[1];
  const see = `(see 'qtk ${spec.name} --help')`;
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new QtkError('E_OPTION', `unknown option '${opt}' for 'qtk ${spec.name}' ${see}`, { option: opt });
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = (opt && /--[\w-]+/.exec(opt)?.[0]) ?? opt;
      const what = /argument missing/.test(err.message ?? '') ? 'needs a value' : 'takes no value';
      return new QtkError('E_OPTION', `option '${name}' ${what} ${see}`, { option: name });
    }
    default:
      return new QtkError('E_OPTION', `${err.message ?? String(e)} ${see}`);
  }
}

/** Help text of a command: usage, summary, options, notes. */
export function formatHelp(spec: CommandSpec): string {
  const rows = Object.entries({ ...spec.options, help: HELP }).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return [flag, o.help] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  const lines = [`usage: qtk ${spec.usage}`, '', spec.summary, '', 'options:', ...rows.map(([f, h]) => `  ${f.padEnd(width)}${h}`)];
  if (spec.notes) lines.push('', spec.notes);
  return lines.join('\n') + '\n';
}

/** A string option's value, or undefined when absent. */
export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A positive integer option (`--batch-size 32`), or undefined when absent. */
export function positiveIntOpt(args: ParsedArgs, name: string): number | undefined {
  const s = stringOpt(args, name);
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s.trim()) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) {
    throw new QtkError('E_OPTION', `--${name} must be a positive integer, got '${s}'`, { option: name });
  }
  return Number(s);
}

/** One of `choices` (`--mode static`), or undefined when absent. */
export function choiceOpt<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const s = stringOpt(args, name);
  if (s === undefined) return undefined;
  if (!(choices as readonly string[]).includes(s)) {
    throw new QtkError('E_OPTION', `--${name} must be one of ${choices.join(', ')}; got '${s}'`, { option: name });
  }
  return s as T;
}

/** A comma-separated list (`--op-types Conv,Gemm`), empty items dropped; undefined when absent. */
export function listOpt(args: ParsedArgs, name: string): string[] | undefined {
  const s = stringOpt(args, name);
  if (s === undefined) return undefined;
  const items = s.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
  if (items.length === 0) throw new QtkError('E_OPTION', `--${name} needs at least one name, got '${s}'`, { option: name });
  return items;
}

/**
 * Dims such as `"1797,1,8,8"`; the first dim may be `N`, `?` or `-1` (returned as -1:
 * inferred from the data). Throws E_OPTION naming the option and the bad item.
 */
export function parseDims(text: string, option: string): number[] {
  const items = text.split(',').map((x) => x.trim());
  return items.map((item, i) => {
    if (i === 0 && (item === 'N' || item === '?' || item === '-1')) return -1;
    if (!/^\d+$/.test(item) || Number(item) < 1) {
      throw new QtkError(
        'E_OPTION',
        `--${option} '${text}': dim ${i} is '${item}'; dims are positive integers separated by commas (the first may be N)`,
        { option },
      );
    }
    return Number(item);
  });
}
