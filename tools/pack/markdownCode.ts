/** Reads code examples out of Markdown documents, so tests run the examples the docs show. */

/**
 * The body of the first fenced code block under the `##`-or-deeper heading `heading`
 * (exact text, without the hashes), before the next heading of the same or a higher level.
 * Throws when the heading or a block under it is missing, so a renamed section fails loudly.
 */
export function codeBlockUnder(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^#{2,6} /.test(l) && l.replace(/^#+ /, '').trim() === heading);
  if (start < 0) throw new Error(`no heading '${heading}' in the document`);
  const level = lines[start]!.indexOf(' ');
  let open = -1;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const h = /^(#+) /.exec(line);
    if (open < 0 && h && h[1]!.length <= level) break;
    if (line.startsWith('```')) {
      if (open < 0) open = i;
      else return lines.slice(open + 1, i).join('\n') + '\n';
    }
  }
  throw new Error(`no fenced code block under '${heading}'`);
}
