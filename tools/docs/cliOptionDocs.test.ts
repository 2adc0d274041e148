/**
 * docs/cli.md documents every option of every `qtk` command in that command's section, so
 * that a new flag without documentation fails here, naming what is missing.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandNames, loadCommand, type Command } from '@qtk/cli';
import type { CommandSpec } from '../../packages/cli/src/args.js';
import { ROOT } from './docFiles.js';
import { formatMissing, missingOptionDocs } from './cliOptionDocs.js';

const cliDoc = readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8');

async function commands(): Promise<Command[]> {
  return Promise.all(commandNames().map(async (name) => (await loadCommand(name))!));
}

describe('docs/cli.md', () => {
  it('documents every option of every qtk command under "## qtk <command>"', async () => {
    const missing = formatMissing(missingOptionDocs(cliDoc, await commands()));
    expect(missing, 'options docs/cli.md does not mention in their command\'s section').toBe('');
  });

  it('links every qtk command from its command list', () => {
    const list = /^Commands: [\s\S]*?\.\n/m.exec(cliDoc)?.[0] ?? '';
    expect(commandNames().filter((name) => !list.includes(`(#qtk-${name})`))).toEqual([]);
  });
});

describe('missingOptionDocs', () => {
  const spec: CommandSpec = {
    name: 'thing',
    summary: '',
    usage: 'thing',
    options: { calib: { type: 'string', help: '' }, 'calib-shape': { type: 'string', help: '' }, json: { type: 'boolean', help: '' } },
  };

  it('names the options a section leaves out, and a flag that only starts a documented longer one', () => {
    const doc = '## qtk thing\n\n`--calib-shape DIMS`\n\n## qtk other\n\n`--json`, `--calib`\n';
    const missing = missingOptionDocs(doc, [spec]);
    expect(missing).toEqual([{ command: 'thing', noSection: false, options: ['calib', 'json'] }]);
    expect(formatMissing(missing)).toBe('qtk thing: --calib, --json');
  });

  it('reports a command with no section, with all its options', () => {
    expect(formatMissing(missingOptionDocs('## qtk other\n', [spec]))).toBe("qtk thing: no '## qtk thing' section; options --calib, --calib-shape, --json");
  });

  it('reports nothing when every option is in the section', () => {
    expect(missingOptionDocs('## qtk thing\n\n--calib, --calib-shape and --json.\n', [spec])).toEqual([]);
  });
});
