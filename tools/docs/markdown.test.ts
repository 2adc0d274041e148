import { describe, expect, it } from 'vitest';
import { exampleBlock, exampleText, parseExampleMarker } from './exampleText.js';
import { codeBlocks, section } from './markdown.js';

describe('codeBlocks', () => {
  it('returns each fenced block with its language, first line, text and the comment just above it', () => {
    const md = 'text\n<!-- example: examples/a.sh -->\n\n```sh\nqtk --help\n```\n\n```\ndiagram\n```\n';
    expect(codeBlocks(md)).toEqual([
      { line: 4, lang: 'sh', text: 'qtk --help\n', marker: 'example: examples/a.sh' },
      { line: 8, lang: '', text: 'diagram\n' },
    ]);
  });

  it('throws on a block that is never closed', () => {
    expect(() => codeBlocks('```ts\nconst a = 1;\n')).toThrow('line 1: code block is not closed');
  });
});

describe('section', () => {
  it('runs from its heading to the next heading of the same level, keeping subsections and ignoring # lines in code', () => {
    const md = '## qtk a\none\n### sub\ntwo\n```sh\n# comment\n```\n## qtk b\nthree\n';
    expect(section(md, 'qtk a')).toBe('one\n### sub\ntwo\n```sh\n# comment\n```');
    expect(section(md, 'qtk b')).toBe('three\n');
    expect(section(md, 'qtk c')).toBeUndefined();
  });
});

describe('exampleText', () => {
  const file = '// #region one\nconst a = 1;\n// #endregion\nconst b = 2;\n// #region two\nconst c = 3;\n// #endregion\n';

  it('gives a region without its comment lines, or the whole file without any region comments', () => {
    expect(exampleText(file, 'two')).toBe('const c = 3;\n');
    expect(exampleText(file)).toBe('const a = 1;\nconst b = 2;\nconst c = 3;\n');
  });

  it('throws for a region the file does not have', () => {
    expect(() => exampleText(file, 'three')).toThrow("no '#region three'");
  });

  it('writes a block (exampleBlock) that codeBlocks reads back with its marker and the file text', () => {
    const md = `intro\n\n${exampleBlock('examples/x.ts', file, 'ts')}\n`;
    const [block] = codeBlocks(md);
    expect(block).toEqual({ line: 4, lang: 'ts', text: exampleText(file), marker: 'example: examples/x.ts' });
  });

  it('parses example markers with and without a region and ignores other comments', () => {
    expect(parseExampleMarker('example: examples/api/quantize.ts#static')).toEqual({ file: 'examples/api/quantize.ts', region: 'static' });
    expect(parseExampleMarker('example: examples/cli/help.sh')).toEqual({ file: 'examples/cli/help.sh' });
    expect(parseExampleMarker('illustrative: needs a browser')).toBeUndefined();
  });
});
