/**
 * The commands of a documentation shell script, as argument lists, so that the `qtk`
 * lines can run in-process. The scripts keep to a small part of sh: commands, `\` line
 * continuations, `#` comments, '…' and "…" quoting, and `NAME=value` variables expanded
 * as `$NAME` or `${NAME}`. Anything else (pipes, redirections, `;`, `&&`, command
 * substitution) is refused, so that a script never means more than what runs.
 */

/** One command of a script: its first line (1-based) and its words after quoting and expansion. */
export interface ShellCommand {
  line: number;
  argv: string[];
}

/** The commands of `script` in order; variable assignments are applied, not returned. Throws on what it does not take. */
export function shellCommands(script: string): ShellCommand[] {
  const vars = new Map<string, string>();
  const commands: ShellCommand[] = [];
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    let text = lines[i]!;
    while (/\\$/.test(text) && i + 1 < lines.length) text = text.slice(0, -1) + ' ' + lines[++i]!;
    const words = splitWords(text, vars, first + 1);
    if (words.length === 0) continue;
    const assign = /^([A-Za-z_]\w*)=(.*)$/s.exec(words[0]!);
    if (assign && words.length === 1) {
      vars.set(assign[1]!, assign[2]!);
      continue;
    }
    commands.push({ line: first + 1, argv: words });
  }
  return commands;
}

/** Splits one logical line into words: quoting, `$NAME` expansion, `#` comments. */
function splitWords(text: string, vars: ReadonlyMap<string, string>, line: number): string[] {
  const fail = (why: string): never => {
    throw new Error(`line ${line}: ${why}`);
  };
  const words: string[] = [];
  let word: string | undefined;
  const expand = (at: number): [string, number] => {
    const m = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/.exec(text.slice(at));
    if (!m) return fail(`'$' must start a variable ($NAME or \${NAME})`);
    const name = m[1] ?? m[2]!;
    const value = vars.get(name);
    if (value === undefined) return fail(`variable '${name}' is not set`);
    return [value, at + m[0].length];
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === '#' && word === undefined) {
      break;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail('unclosed single quote');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      word ??= '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '$') {
          const [value, next] = expand(i);
          word += value;
          i = next;
        } else if (text[i] === '\\' && /["\\$]/.test(text[i + 1] ?? '')) {
          word += text[i + 1];
          i += 2;
        } else {
          word += text[i++];
        }
      }
      if (i >= text.length) fail('unclosed double quote');
      i++;
    } else if (c === '$') {
      const [value, next] = expand(i);
      word = (word ?? '') + value;
      i = next;
    } else if (/[|&;<>()`]/.test(c)) {
      fail(`'${c}' is not taken by documentation scripts (one plain command per line)`);
    } else if (c === '\\') {
      word = (word ?? '') + (text[i + 1] ?? '');
      i += 2;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
