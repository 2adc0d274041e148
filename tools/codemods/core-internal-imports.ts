/**
 * Codemod: moves names that `@qtk/core` no longer exports but `@qtk/core/internal` does
 * out of `import { ... } from '@qtk/core'` (and `export { ... } from`) declarations into a
 * declaration from '@qtk/core/internal' right below. The internal names are read from
 * packages/core/src/internal.ts; the script is idempotent, so it can be re-run after a merge.
 * Usage: `npx tsx tools/codemods/core-internal-imports.ts [--check] [files...]` (default: every
 * tracked .ts file outside packages/core/src); --check lists what would change and exits 1.
 * Example: `import { Tensor, GraphEditor } from '@qtk/core';` becomes
 * `import { Tensor } from '@qtk/core';` + `import { GraphEditor } from '@qtk/core/internal';`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PUBLIC = '@qtk/core';
const INTERNAL = '@qtk/core/internal';

/** Names exported by a module's `export { ... } from` declarations. */
export function exportedNames(source: string): Set<string> {
  const sf = ts.createSourceFile('entry.ts', source, ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const e of st.exportClause.elements) names.add(e.name.text);
    }
  }
  return names;
}

/** `source` with internal names of its '@qtk/core' import and export lists moved to '@qtk/core/internal'. */
export function rewriteSource(source: string, internal: ReadonlySet<string>): string {
  const sf = ts.createSourceFile('file.ts', source, ts.ScriptTarget.ES2022, true);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const st of sf.statements) {
    const isImport = ts.isImportDeclaration(st);
    if (!isImport && !ts.isExportDeclaration(st)) continue;
    const spec = st.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || spec.text !== PUBLIC) continue;
    const clause = isImport ? st.importClause : undefined;
    const list = isImport ? clause?.namedBindings : st.exportClause;
    if (!list || !(ts.isNamedImports(list) || ts.isNamedExports(list))) continue;
    const elements = list.elements as ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>;
    const moved = elements.filter((e) => internal.has((e.propertyName ?? e.name).text));
    if (moved.length === 0) continue;
    const kept = elements.filter((e) => !moved.includes(e));
    const typeOnly = isImport ? clause!.isTypeOnly : st.isTypeOnly;
    const keyword = `${isImport ? 'import' : 'export'}${typeOnly ? ' type' : ''}`;
    const names = (xs: readonly ts.Node[]) => xs.map((e) => e.getText(sf)).join(', ');
    const movedDecl = `${keyword} { ${names(moved)} } from '${INTERNAL}';`;
    const hasDefault = isImport && clause!.name !== undefined;
    let text: string;
    if (kept.length === 0 && !hasDefault) text = movedDecl;
    else {
      const head = hasDefault ? `${clause!.name!.text}, ` : '';
      text = `${keyword} ${head}{ ${names(kept)} } from '${PUBLIC}';\n${movedDecl}`;
    }
    edits.push({ start: st.getStart(sf), end: st.getEnd(), text });
  }
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const given = args.filter((a) => a !== '--check');
  const internal = exportedNames(fs.readFileSync(path.join(ROOT, 'packages/core/src/internal.ts'), 'utf8'));
  const files = given.length ? given : execFileSync('git', ['ls-files', '*.ts'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n').filter((f) => f && !f.startsWith('packages/core/src/'));
  const changed: string[] = [];
  for (const f of files) {
    const file = path.resolve(ROOT, f);
    const source = fs.readFileSync(file, 'utf8');
    if (!source.includes(PUBLIC)) continue;
    const out = rewriteSource(source, internal);
    if (out === source) continue;
    changed.push(path.relative(ROOT, file));
    if (!check) fs.writeFileSync(file, out);
  }
  for (const f of changed) console.log(`${check ? 'would rewrite' : 'rewrote'} ${f}`);
  if (check && changed.length) process.exit(1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
