/**
 * What a document shows of an example file: the whole file, or one region of it
 * (`// #region NAME` … `// #endregion`), without the region comment lines.
 */

const REGION = /^\s*(\/\/|#)\s*#(region|endregion)\b\s*(\S*)/;

/**
 * The text of `fileText` a document includes as `FILE` (region undefined) or `FILE#REGION`.
 * Throws when the region does not exist.
 */
export function exampleText(fileText: string, region?: string): string {
  const lines = fileText.replace(/\n$/, '').split('\n');
  if (region === undefined) return lines.filter((l) => !REGION.test(l)).map((l) => l + '\n').join('');
  const start = lines.findIndex((l) => REGION.exec(l)?.[2] === 'region' && REGION.exec(l)?.[3] === region);
  if (start < 0) throw new Error(`no '#region ${region}' in the file`);
  const end = lines.findIndex((l, i) => i > start && REGION.exec(l)?.[2] === 'endregion');
  if (end < 0) throw new Error(`'#region ${region}' has no '#endregion'`);
  return lines.slice(start + 1, end).filter((l) => !REGION.test(l)).map((l) => l + '\n').join('');
}

/** A block marker `example: FILE` or `example: FILE#REGION`, split; undefined for other markers. */
export function parseExampleMarker(marker: string | undefined): { file: string; region?: string } | undefined {
  const m = marker === undefined ? null : /^example:\s*([^\s#]+)(?:#(\S+))?$/.exec(marker);
  if (!m) return undefined;
  return { file: m[1]!, ...(m[2] !== undefined && { region: m[2] }) };
}

/** `text` of the example `file` as a Markdown block that the docs check accepts: the marker line, then the fenced text. */
export function exampleBlock(file: string, text: string, lang: string): string {
  return `<!-- example: ${file} -->\n\`\`\`${lang}\n${exampleText(text)}\`\`\``;
}
