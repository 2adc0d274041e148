/**
 * The code blocks of README.md and docs/*.md cannot drift from what runs: every sh, ts or
 * json block is an example file shown verbatim (`<!-- example: FILE -->` or
 * `FILE#REGION` on the line before it), or is marked `<!-- illustrative: why -->`; the
 * `qtk` commands of illustrative blocks still parse with the command's options.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCommand } from '@qtk/cli';
import { parseCommandArgs } from '../../packages/cli/src/args.js';
import { ROOT, documentFiles } from './docFiles.js';
import { exampleText, parseExampleMarker } from './exampleText.js';
import { codeBlocks, type CodeBlock } from './markdown.js';
import { shellCommands } from './shellScript.js';

/** Block languages that hold examples; plain blocks (diagrams, printed output) are not checked. */
const EXAMPLE_LANGS = new Set(['sh', 'bash', 'ts', 'js', 'json']);

const blocks: Array<CodeBlock & { doc: string }> = documentFiles().flatMap((doc) =>
  codeBlocks(readFileSync(path.join(ROOT, doc), 'utf8')).map((b) => ({ ...b, doc })),
);
const exampleBlocks = blocks.filter((b) => EXAMPLE_LANGS.has(b.lang));
const where = (b: { doc: string; line: number }) => `${b.doc}:${b.line}`;

describe('documentation code blocks', () => {
  it('every sh, ts and json block is an example file or marked illustrative with a reason', () => {
    const unmarked = exampleBlocks
      .filter((b) => !parseExampleMarker(b.marker) && !/^illustrative:\s*\S/.test(b.marker ?? ''))
      .map((b) => `${where(b)} (\`\`\`${b.lang})`);
    expect(unmarked.join('\n'), 'blocks with neither <!-- example: FILE --> nor <!-- illustrative: why --> before them').toBe('');
  });

  it('every block marked as an example shows its file (or region) verbatim', () => {
    const differ: string[] = [];
    for (const b of blocks) {
      const ref = parseExampleMarker(b.marker);
      if (!ref) continue;
      const file = path.join(ROOT, ref.file);
      if (!existsSync(file)) {
        differ.push(`${where(b)}: ${ref.file} does not exist`);
        continue;
      }
      const want = exampleText(readFileSync(file, 'utf8'), ref.region);
      if (b.text !== want) differ.push(`${where(b)}: differs from ${ref.file}${ref.region ? `#${ref.region}` : ''}; paste the file's text:\n${want}`);
    }
    expect(differ.join('\n'), 'example blocks that no longer match their files').toBe('');
  });

  it('the qtk commands of illustrative shell blocks take only options their command has', async () => {
    const bad: string[] = [];
    const shell = exampleBlocks.filter((b) => (b.lang === 'sh' || b.lang === 'bash') && /^illustrative:/.test(b.marker ?? '') && /\bqtk\b/.test(b.text));
    expect(shell.length).toBeGreaterThan(0);
    for (const b of shell) {
      for (const { line, argv } of shellCommands(b.text)) {
        const words = argv[0] === 'npx' ? argv.slice(1) : argv;
        // `qtk`, `qtk --help` and `qtk --version` take no command.
        if (words[0] !== 'qtk' || words.length < 2 || words[1]!.startsWith('--')) continue;
        const command = await loadCommand(words[1] ?? '');
        if (!command) {
          bad.push(`${b.doc}:${b.line + line}: unknown command '${words[1]}'`);
          continue;
        }
        try {
          parseCommandArgs(command, words.slice(2));
        } catch (e) {
          bad.push(`${b.doc}:${b.line + line}: ${(e as Error).message}`);
        }
      }
    }
    expect(bad.join('\n')).toBe('');
  });
});
