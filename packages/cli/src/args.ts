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
  /** A string option that may be given more than once (every occurrence kept in `ParsedArgs.lists`). */
  multiple?: boolean;
  /** Heading the option is listed under in help (options without one come first, under `options:`). */
  group?: string;
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
  /** Each option's value; for a repeatable option, its last occurrence. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Every occurrence of each repeatable option that was given, in order. */
  lists?: Record<string, string[]>;
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

/** Parses `argv` (after the command name) by `spec`; unknown options and missing values throw E_OPTION. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries({ ...spec.options, help: HELP })) {
    options[name] = { type: o.type, ...(o.short && { short: o.short }), ...(o.multiple && { multiple: true }) };
  }
  try {
    const parsed = parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
    const values: ParsedArgs['values'] = {};
    const lists: Record<string, string[]> = {};
    for (const [name, v] of Object.entries(parsed.values as Record<string, string | boolean | Array<string | boolean> | undefined>)) {
      if (Array.isArray(v)) {
        lists[name] = v.map(String);
        values[name] = v.at(-1);
      } else {
        values[name] = v;
      }
    }
    return { values, positionals: parsed.positionals, lists };
  } catch (e) {
    throw usageError(spec, e);
  }
}

/**
 * `--name -2.5` as `--name=-2.5` for string options, so that a negative number is taken
 * as the option's value rather than as an unknown option.
 */
function joinNegativeValues(argv: readonly string[], options: Readonly<Record<string, { type: string; short?: string }>>): string[] {
  const byShort = new Map(Object.entries(options).filter(([, o]) => o.short).map(([n, o]) => [o.short!, n]));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : /^-\w$/.test(a) ? byShort.get(a.slice(1)) : undefined;
    if (a === '--') { out.push(...argv.slice(i)); break; }
    if (name && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
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

/** Help text of a command: usage, summary, options (grouped under their headings), notes. */
export function formatHelp(spec: CommandSpec): string {
  const groups = new Map<string, Array<readonly [string, string]>>([['options', []]]);
  for (const [name, o] of Object.entries({ ...spec.options, help: HELP })) {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const heading = o.group ?? 'options';
    if (!groups.has(heading)) groups.set(heading, []);
    groups.get(heading)!.push([flag, o.multiple ? `${o.help} (repeatable)` : o.help]);
  }
  const rows = [...groups.values()].flat();
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  const lines = [`usage: qtk ${spec.usage}`, '', spec.summary];
  for (const [heading, list] of groups) {
    if (list.length) lines.push('', `${heading}:`, ...list.map(([f, h]) => `  ${f.padEnd(width)}${h}`));
  }
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

/**
 * A comma-separated list (`--op-types Conv,Gemm`), empty items dropped; undefined when
 * absent. A repeatable option's occurrences are joined in order. Commas inside a
 * `/regex/` item do not split it: `/a{1,3}/,b` is two items.
 */
export function listOpt(args: ParsedArgs, name: string): string[] | undefined {
  const texts = args.lists?.[name] ?? (stringOpt(args, name) === undefined ? [] : [stringOpt(args, name)!]);
  if (texts.length === 0) return undefined;
  const items: string[] = [];
  for (const text of texts) {
    const got = splitList(text);
    if (got.length === 0) throw new QtkError('E_OPTION', `--${name} needs at least one name, got '${text}'`, { option: name });
    items.push(...got);
  }
  return items;
}

/** Splits `a, /x,y/ ,b` at commas outside `/.../` items; trims and drops empty items. */
export function splitList(text: string): string[] {
  const items: string[] = [];
  let i = 0;
  while (i <= text.length) {
    while (text[i] === ' ') i++;
    let end: number;
    if (text[i] === '/') {
      // A regex item runs to the last '/' before a comma (or the end) that closes it.
      end = i + 1;
      let close = -1;
      for (let j = i + 1; j < text.length; j++) {
        if (text[j] === '\\') { j++; continue; }
        if (text[j] === '/' && /^\s*(,|$)/.test(text.slice(j + 1))) { close = j; break; }
      }
      end = close < 0 ? text.indexOf(',', i) : text.indexOf(',', close);
    } else {
      end = text.indexOf(',', i);
    }
    if (end < 0) end = text.length;
    const item = text.slice(i, end).trim();
    if (item) items.push(item);
    i = end + 1;
  }
  return items;
}

/**
 * A number option (`--percentile 99.99`) or undefined when absent; `integer` asks for a
 * whole number and `min` for a lower bound. Ranges the quantizer checks are left to it.
 */
export function numberOpt(args: ParsedArgs, name: string, rule: { integer?: boolean; min?: number } = {}): number | undefined {
  const s = stringOpt(args, name);
  if (s === undefined) return undefined;
  const v = parseNumber(s);
  const kind = rule.integer ? 'an integer' : 'a number';
  if (v === undefined || (rule.integer && !Number.isInteger(v))) {
    throw new QtkError('E_OPTION', `--${name} must be ${kind}, got '${s}'`, { option: name });
  }
  if (rule.min !== undefined && v < rule.min) throw new QtkError('E_OPTION', `--${name} must be ${kind} ≥ ${rule.min}, got '${s}'`, { option: name });
  return v;
}

/** A finite decimal number or a fraction `a/b` (`1/255`); undefined when it is neither. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  const num = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  const frac = /^([^/]+)\/([^/]+)$/.exec(t);
  if (frac) {
    const [a, b] = [parseNumber(frac[1]!), parseNumber(frac[2]!)];
    return a !== undefined && b !== undefined && b !== 0 && num.test(frac[1]!.trim()) && num.test(frac[2]!.trim()) ? a / b : undefined;
  }
  if (!num.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** Comma-separated numbers (`--mean 0.485,0.456,0.406`, fractions allowed), or undefined when absent. */
export function numberListOpt(args: ParsedArgs, name: string): number[] | undefined {
  const s = stringOpt(args, name);
  if (s === undefined) return undefined;
  const items = s.split(',');
  return items.map((item, i) => {
    const v = parseNumber(item);
    if (v === undefined) {
      throw new QtkError('E_OPTION', `--${name} '${s}': item ${i} is '${item.trim()}'; give numbers separated by commas`, { option: name });
    }
    return v;
  });
}

/**
 * A pair of opposite switches (`--per-channel` / `--per-tensor`): true for `on`, false
 * for `off`, undefined for neither; both together is an E_OPTION error.
 */
export function switchOpt(args: ParsedArgs, on: string, off: string): boolean | undefined {
  const a = args.values[on] === true;
  const b = args.values[off] === true;
  if (a && b) throw new QtkError('E_OPTION', `--${on} and --${off} contradict each other; give one`, { option: on });
  return a ? true : b ? false : undefined;
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
