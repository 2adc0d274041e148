import { describe, expect, it } from 'vitest';
import { codeBlockUnder } from './markdownCode.js';

const doc = ['# t', '', '## A', 'text', '```sh', 'a1', '```', '```sh', 'a2', '```', '## B', '### B.1', '```ts', 'b', '```', '## C', 'none', '## D', '```'].join('\n');

describe('codeBlockUnder', () => {
  it('returns the first fenced block under the heading, without its fences', () => {
    expect(codeBlockUnder(doc, 'A')).toBe('a1\n');
  });
  it('finds a block in a sub-section of the heading', () => {
    expect(codeBlockUnder(doc, 'B')).toBe('b\n');
  });
  it('throws for a missing heading, a section without a block and an unclosed block', () => {
    expect(() => codeBlockUnder(doc, 'Z')).toThrow(/no heading 'Z'/);
    expect(() => codeBlockUnder(doc, 'C')).toThrow(/no fenced code block under 'C'/);
    expect(() => codeBlockUnder(doc, 'D')).toThrow(/no fenced code block under 'D'/);
  });
});
