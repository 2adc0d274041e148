/**
 * Which options of the `qtk` commands docs/cli.md does not document: each command's
 * options (from its CommandSpec) must appear as `--name` in the section `## qtk NAME`.
 */
import type { CommandSpec } from '../../packages/cli/src/args.js';
import { section } from './markdown.js';

/** What docs/cli.md lacks for one command: its whole section, or these options in it. */
export interface MissingDocs {
  command: string;
  /** True when there is no `qtk NAME` heading at all. */
  noSection: boolean;
  /** Option names (without `--`) that the section never mentions. */
  options: string[];
}

/** `--name` as a whole flag: not the start of a longer one (`--calib` in `--calib-shape`). */
function mentions(text: string, option: string): boolean {
  const escaped = option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`--${escaped}(?![\\w-])`).test(text);
}

/** The commands whose section is missing or leaves options out; empty when everything is documented. */
export function missingOptionDocs(markdown: string, specs: readonly CommandSpec[]): MissingDocs[] {
  const missing: MissingDocs[] = [];
  for (const spec of specs) {
    const text = section(markdown, `qtk ${spec.name}`);
    const options = Object.keys(spec.options).filter((o) => text === undefined || !mentions(text, o));
    if (text === undefined || options.length) missing.push({ command: spec.name, noSection: text === undefined, options });
  }
  return missing;
}

/** One line per command that lacks documentation: `qtk bench: --warmup, --root`. */
export function formatMissing(missing: readonly MissingDocs[]): string {
  return missing
    .map((m) => `qtk ${m.command}: ${m.noSection ? `no '## qtk ${m.command}' section; options ` : ''}${m.options.map((o) => `--${o}`).join(', ')}`)
    .join('\n');
}
