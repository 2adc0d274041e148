/**
 * Reading Markdown for the documentation checks: fenced code blocks with the HTML
 * comment that marks them (`<!-- example: FILE -->`, `<!-- illustrative: why -->`), and
 * the text of a section under a heading.
 */

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's info string: `sh`, `ts`, `json`, or '' for a plain block. */
  lang: string;
  /** The lines between the fences, each ending in a newline. */
  text: string;
  /** The HTML comment on the last non-blank line before the fence, without `<!--`/`-->`, if any. */
  marker?: string;
}

/** The fenced (```) code blocks of `markdown`, in order, with their markers. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```\s*([\w-]*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    if (end === lines.length) throw new Error(`line ${start + 1}: code block is not closed`);
    let prev = start - 1;
    while (prev >= 0 && lines[prev]!.trim() === '') prev--;
    const marker = prev >= 0 ? /^<!--\s*(.*?)\s*-->\s*$/.exec(lines[prev]!)?.[1] : undefined;
    const body = lines.slice(start + 1, end);
    blocks.push({ line: start + 1, lang: open[1]!, text: body.map((l) => l + '\n').join(''), ...(marker !== undefined && { marker }) });
    i = end;
  }
  return blocks;
}

/**
 * The text under the heading whose title is `title` (any level), up to the next heading
 * of the same or a higher level; undefined when there is no such heading. Headings inside
 * code blocks are not headings.
 */
export function section(markdown: string, title: string): string | undefined {
  const lines = markdown.split('\n');
  let inCode = false;
  let level = 0;
  const out: string[] = [];
  for (const line of lines) {
    if (/^```/.test(line)) inCode = !inCode;
    const h = inCode ? null : /^(#+)\s+(.*?)\s*$/.exec(line);
    if (level > 0) {
      if (h && h[1]!.length <= level) break;
      out.push(line);
    } else if (h && h[2] === title) {
      level = h[1]!.length;
    }
  }
  return level > 0 ? out.join('\n') : undefined;
}
