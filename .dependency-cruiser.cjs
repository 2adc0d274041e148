/**
 * Import rules of the workspace, checked by `npm run check:deps` (dependency-cruiser) in CI.
 * They encode the package table of the architecture notes (packages, and what each may import):
 *   - no import cycles anywhere (type-only imports count);
 *   - @qtk/core imports nothing internal: no other workspace package;
 *   - executor and backend packages (onnxruntime, wasm, eager, openvino, tensorrt) and the
 *     test-model package (models) import only @qtk/core;
 *   - @qtk/core's browser entries ('.' and './internal') reach no Node built-in: only the
 *     Node entry (src/node.ts) and the file helpers listed in CORE_NODE_ONLY may import node:*;
 *   - examples import no `@qtk/core/internal` name;
 *   - shipped sources reach another package through its name (its `exports`), never a
 *     relative path into its folder, and never into a dist/ folder.
 * Shipped sources are a package's src/ minus tests, test-support and benchmark scripts;
 * tests may use their package's devDependencies and cross-package test-support, but no cycles.
 */

/** Files that are not shipped: tests, their helpers, benchmark scripts. */
const NOT_SHIPPED = ['\\.test\\.ts$', '/test-support/', '^packages/core/src/[^/]+/bench\\.ts$'];

/** @qtk/core's Node-only modules: the Node entry and the file helpers only it loads. */
const CORE_NODE_ONLY =
  '^packages/core/src/(node|atomicWrite|externalDataFile|fileKind|outputLock|processAlive|signalCleanup|writeErrors)\\.ts$';

/** @qtk/core's browser-facing entry points. */
const CORE_BROWSER_ENTRIES = '^packages/core/src/(index|internal)\\.ts$';

/** Packages that may import @qtk/core and nothing else internal. */
const CORE_ONLY_PACKAGES = '(onnxruntime|wasm|models|eager|openvino|tensorrt)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles: move the shared type or helper into its own module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-nothing-internal',
      comment: '@qtk/core depends on no other workspace package (the package table of the architecture notes).',
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: NOT_SHIPPED },
      to: { path: '^packages/(?!core/)' },
    },
    {
      name: 'plugin-imports-only-core',
      comment: 'Executor and backend packages import @qtk/core and nothing else of the workspace.',
      severity: 'error',
      from: { path: `^packages/${CORE_ONLY_PACKAGES}/src/`, pathNot: NOT_SHIPPED },
      to: { path: '^packages/', pathNot: '^packages/(core|$1)/' },
    },
    {
      name: 'core-browser-no-node-builtins',
      comment: 'Core bundles for the browser: only src/node.ts and its file helpers may import node:* (move Node code there).',
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: [...NOT_SHIPPED, CORE_NODE_ONLY] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-browser-entries-reach-no-node-module',
      comment: "@qtk/core's '.' and './internal' entries must not load the Node-only modules.",
      severity: 'error',
      from: { path: CORE_BROWSER_ENTRIES },
      to: { path: CORE_NODE_ONLY, reachable: true },
    },
    {
      name: 'cross-package-through-exports',
      comment: "Reach another package by its name (its package.json exports), not by a relative path into its folder.",
      severity: 'error',
      from: { path: '^packages/([^/]+)/src/', pathNot: NOT_SHIPPED },
      to: { path: '^packages/', pathNot: '^packages/$1/', dependencyTypes: ['local'], dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'examples-use-public-api',
      comment: "Examples show what users may rely on: @qtk/core's public entries, never @qtk/core/internal.",
      severity: 'error',
      from: { path: '^examples/' },
      to: { path: '^packages/core/src/internal\\.ts$' },
    },
    {
      name: 'no-dist-imports',
      comment: 'Sources import sources: a dist/ folder is build output.',
      severity: 'error',
      from: { pathNot: '(^|/)dist/' },
      to: { path: '(^|/)packages/[^/]+/dist/' },
    },
    {
      name: 'shipped-not-to-dev-deps',
      comment: "Shipped sources import only their package's dependencies and peerDependencies, not devDependencies.",
      severity: 'error',
      from: { path: '^packages/[^/]+/src/', pathNot: NOT_SHIPPED },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'shipped-not-to-undeclared-deps',
      comment: "Shipped sources import only npm packages their own package.json declares (type-only imports of a dependency's own types aside).",
      severity: 'error',
      from: { path: '^packages/[^/]+/src/', pathNot: NOT_SHIPPED },
      // A declared peer (vitest for @qtk/core/testing) is also typed 'npm-no-pkg' when it has a peerDependenciesMeta entry.
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['type-only', 'npm-peer'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^packages/[^/]+/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@qtk/source', 'import', 'types', 'default'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
