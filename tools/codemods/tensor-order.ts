/**
 * Codemod: rewrites calls that still use core Tensor's deprecated argument order into the
 * onnxruntime-common order, `new Tensor(dtype, dims, data)` -> `new Tensor(dtype, data, dims)`
 * and `Tensor.fromFloat32(dims, data)` -> `Tensor.fromFloat32(data, dims)`.
 *
 * A call is rewritten only when the TypeScript checker resolves it to an overload marked
 * `@deprecated` in packages/core/src/ir/tensor.ts; its arguments are reordered to follow the
 * parameter names of that function's first (current) overload. Calls already in the new order
 * resolve to the current overload and are left alone, so the script is idempotent and can be
 * re-run after other branches merge.
 *
 * A call whose arguments are typed `any`, `never` or `unknown` cannot be placed by the checker;
 * it is listed as "check by hand" and left alone (it still runs: the constructor tells the
 * orders apart at run time).
 *
 * A call on a line ending with, or right below a line holding, the comment `tensor-order: keep`
 * is left as written (tests of the deprecated order use it).
 *
 * Usage: `npx tsx tools/codemods/tensor-order.ts [--check] [root]`
 * (root defaults to the repository; --check lists the calls and exits 1 without writing).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The declaration file whose deprecated overloads this codemod migrates. */
export const TENSOR_SOURCE = path.join('packages', 'core', 'src', 'ir', 'tensor.ts');

/** One call to reorder: its argument nodes and, per argument slot, the index of the argument that moves there. */
interface Reorder {
  call: ts.CallExpression | ts.NewExpression;
  args: readonly ts.Expression[];
  order: readonly number[];
}

/** A file's rewritten text, the calls rewritten in it and those left to check by hand (1-based lines). */
export interface FileRewrite {
  file: string;
  text: string;
  lines: number[];
  unsure: number[];
}

/** Files the codemod scans under `root`: TypeScript sources outside node_modules, dist and AssemblyScript. */
export function sourceFiles(root: string): string[] {
  return ts.sys
    .readDirectory(root, ['.ts', '.mts', '.cts'], ['**/node_modules', '**/dist', '**/.git', 'packages/wasm/assembly'])
    .filter((f) => !f.endsWith('.d.ts'));
}

/** A program over `files` resolving workspace packages to their sources, as the tests do. */
export function createProgram(files: readonly string[]): ts.Program {
  return ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['@qtk/source'],
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    strict: true,
  });
}

/** Parameter names of a signature declaration. */
function paramNames(decl: ts.SignatureDeclaration): string[] {
  return decl.parameters.map((p) => p.name.getText());
}

/** The name a declaration is called by (`constructor` for constructors). */
function nameOf(decl: ts.Node): string | undefined {
  if (ts.isConstructorDeclaration(decl)) return 'constructor';
  const name = (decl as ts.Node & { name?: ts.Node }).name;
  return name?.getText();
}

/** Every overload declared next to `decl` under the same name, in source order. */
function overloadsOf(decl: ts.SignatureDeclaration): ts.SignatureDeclaration[] {
  const parent = decl.parent;
  const siblings: readonly ts.Node[] = ts.isClassLike(parent) ? parent.members : ts.isSourceFile(parent) || ts.isModuleBlock(parent) ? parent.statements : [];
  return siblings.filter((s): s is ts.SignatureDeclaration => s.kind === decl.kind && nameOf(s) === nameOf(decl));
}

/**
 * For a call resolved to a deprecated overload of TENSOR_SOURCE, the argument order that
 * matches the current overload; undefined for any other call.
 */
function reorderOf(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, tensorFile: string): number[] | 'unsure' | undefined {
  const args = call.arguments;
  if (!args || args.some(ts.isSpreadElement)) return undefined;
  const decl = checker.getResolvedSignature(call)?.getDeclaration();
  if (!decl || path.resolve(decl.getSourceFile().fileName) !== tensorFile) return undefined;
  const overloads = overloadsOf(decl);
  if (!ts.getJSDocDeprecatedTag(decl)) {
    const loose = ts.TypeFlags.Any | ts.TypeFlags.Never | ts.TypeFlags.Unknown;
    const migrated = overloads.some((d) => ts.getJSDocDeprecatedTag(d));
    return migrated && args.some((a) => checker.getTypeAtLocation(a).flags & loose) ? 'unsure' : undefined;
  }
  const current = overloads.find((d) => !ts.getJSDocDeprecatedTag(d));
  if (!current) return undefined;
  const from = paramNames(decl);
  const to = paramNames(current);
  const order = to.slice(0, args.length).map((name) => from.indexOf(name));
  if (order.some((i) => i < 0 || i >= args.length) || new Set(order).size !== args.length) return undefined;
  return order.every((i, k) => i === k) ? undefined : order;
}

/** The marker that keeps a call in the deprecated order. */
const KEEP = 'tensor-order: keep';

/** True when the call's line, or the line above it, carries the KEEP marker. */
function isKept(sf: ts.SourceFile, call: ts.Node): boolean {
  const line = sf.getLineAndCharacterOfPosition(call.getStart(sf)).line;
  const starts = sf.getLineStarts();
  const from = starts[Math.max(0, line - 1)]!;
  const to = starts[line + 1] ?? sf.text.length;
  return sf.text.slice(from, to).includes(KEEP);
}

/** The calls of `sf` still in a deprecated argument order, and those the checker cannot place. */
function findReorders(checker: ts.TypeChecker, sf: ts.SourceFile, tensorFile: string): { reorders: Reorder[]; unsure: ts.Node[] } {
  const reorders: Reorder[] = [];
  const unsure: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.arguments && node.arguments.length > 1 && !isKept(sf, node)) {
      const order = reorderOf(checker, node, tensorFile);
      if (order === 'unsure') unsure.push(node);
      else if (order) reorders.push({ call: node, args: node.arguments, order });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { reorders, unsure };
}

/** The text of `[start, end)` of `sf` with every reorder inside it applied (nested calls included). */
function render(sf: ts.SourceFile, start: number, end: number, reorders: readonly Reorder[]): string {
  const text = sf.text;
  const inside = reorders.filter((r) => r.call.getStart(sf) >= start && r.call.end <= end);
  const outer = inside.filter((r) => !inside.some((o) => o !== r && o.call.getStart(sf) <= r.call.getStart(sf) && o.call.end >= r.call.end));
  outer.sort((a, b) => a.call.getStart(sf) - b.call.getStart(sf));
  let out = '';
  let pos = start;
  for (const r of outer) {
    out += text.slice(pos, r.call.getStart(sf));
    out += renderCall(sf, r, inside.filter((o) => o !== r));
    pos = r.call.end;
  }
  return out + text.slice(pos, end);
}

/** A reordered call: arguments moved into their new slots, the text between slots kept. */
function renderCall(sf: ts.SourceFile, r: Reorder, nested: readonly Reorder[]): string {
  const { call, args, order } = r;
  let out = render(sf, call.getStart(sf), args[0]!.getStart(sf), nested);
  for (let k = 0; k < args.length; k++) {
    const moved = args[order[k]!]!;
    out += render(sf, moved.getStart(sf), moved.end, nested);
    const next = k + 1 < args.length ? args[k + 1]!.getStart(sf) : call.end;
    out += render(sf, args[k]!.end, next, nested);
  }
  return out;
}

/** Rewrites of every file of `program` among `files` that still has calls in a deprecated order. */
export function planRewrites(program: ts.Program, files: readonly string[], root: string): FileRewrite[] {
  const checker = program.getTypeChecker();
  const tensorFile = path.resolve(root, TENSOR_SOURCE);
  const out: FileRewrite[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf || !/\bTensor\b/.test(sf.text)) continue;
    const { reorders, unsure } = findReorders(checker, sf, tensorFile);
    if (reorders.length === 0 && unsure.length === 0) continue;
    const lineOf = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    out.push({ file, text: render(sf, 0, sf.text.length, reorders), lines: reorders.map((r) => lineOf(r.call)), unsure: unsure.map(lineOf) });
  }
  return out;
}

/** Runs the codemod over `root`; writes the files unless `check`. Returns the rewrites. */
export function run(root: string, check: boolean): FileRewrite[] {
  const files = sourceFiles(root);
  const rewrites = planRewrites(createProgram(files), files, root);
  for (const r of rewrites) {
    const rel = path.relative(root, r.file);
    if (r.lines.length > 0) {
      if (!check) fs.writeFileSync(r.file, r.text);
      console.log(`${rel}: ${r.lines.length} call(s) at line ${r.lines.join(', ')}`);
    }
    if (r.unsure.length > 0) console.log(`${rel}: check by hand (arguments typed any/never/unknown) at line ${r.unsure.join(', ')}`);
  }
  const calls = rewrites.reduce((n, r) => n + r.lines.length, 0);
  const changed = rewrites.filter((r) => r.lines.length > 0).length;
  console.log(`${check ? 'found' : 'rewrote'} ${calls} call(s) in the deprecated Tensor order in ${changed} file(s)`);
  return rewrites.filter((r) => r.lines.length > 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const check = argv.includes('--check');
  const root = path.resolve(argv.find((a) => !a.startsWith('--')) ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..'));
  const rewrites = run(root, check);
  if (check && rewrites.length > 0) process.exitCode = 1;
}
