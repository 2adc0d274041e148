/**
 * API reports of the workspace packages (api-extractor): one committed `<name>.api.md` per
 * public entry of each package's `exports` (`./internal` is not public and gets none), in
 * packages/<pkg>/api/. Reads the built .d.ts files, so run the build first (`npm test` does).
 * Usage: `npx tsx tools/api/apiReport.ts --check` fails (exit 1) when an entry's exported API
 * differs from its committed report, printing the diff; `--update` rewrites the reports.
 * Works offline: api-extractor reads only the workspace and node_modules.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel, ExtractorMessageCategory, type ExtractorMessage, type IConfigFile } from '@microsoft/api-extractor';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Subpaths of `exports` that are not public API and get no report. */
const NOT_PUBLIC = new Set(['./internal']);

/** One public entry point of a workspace package. */
export interface ApiEntry {
  /** Package folder, e.g. packages/core. */
  folder: string;
  /** Subpath in `exports`, e.g. '.' or './node'. */
  subpath: string;
  /** Built declaration file of the entry (absolute). */
  dts: string;
  /** Report name without extension: `core`, `core-node`. */
  reportName: string;
}

/** The public entries of every package under packages/, from their package.json `exports`. */
export function apiEntries(root = ROOT): ApiEntry[] {
  const entries: ApiEntry[] = [];
  const packages = fs.readdirSync(path.join(root, 'packages')).sort();
  for (const dir of packages) {
    const folder = path.join(root, 'packages', dir);
    const manifest = path.join(folder, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name: string; exports?: Record<string, { types?: string }> };
    const base = pkg.name.replace(/^@[^/]+\//, '');
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      if (NOT_PUBLIC.has(subpath) || typeof target !== 'object' || !target.types) continue;
      const suffix = subpath === '.' ? '' : `-${subpath.replace(/^\.\//, '').replace(/\//g, '-')}`;
      entries.push({ folder, subpath, dts: path.join(folder, target.types), reportName: `${base}${suffix}` });
    }
  }
  return entries;
}

/** api-extractor's settings for one entry: the API report only, no doc model or rollup. */
function configOf(entry: ApiEntry, tempFolder: string): IConfigFile {
  return {
    projectFolder: entry.folder,
    mainEntryPointFilePath: entry.dts,
    bundledPackages: [],
    compiler: {
      // The built .d.ts files resolve workspace packages through their `types` export condition.
      overrideTsconfig: {
        compilerOptions: { target: 'ES2022', lib: ['ES2023', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'] },
        include: [entry.dts],
      },
    },
    apiReport: { enabled: true, reportFileName: entry.reportName, reportFolder: path.join(entry.folder, 'api'), reportTempFolder: tempFolder },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Warning },
        'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
        // Doc comments are checked by review (one line per export), not member by member here.
        'ae-undocumented': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
        // A public signature naming a type the entry does not export is listed in the report.
        'ae-forgotten-export': { logLevel: ExtractorLogLevel.None, addToApiReportFile: true },
      },
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
    },
  };
}

/** Result of one entry's run: whether the report matched (or was written) and what was said. */
export interface EntryResult {
  entry: ApiEntry;
  ok: boolean;
  changed: boolean;
  messages: string[];
  /** The report written from the current build (for the diff on failure). */
  tempReport: string;
  committedReport: string;
}

/** Runs api-extractor for `entry`; with `update` the committed report is rewritten. */
export function runEntry(entry: ApiEntry, update: boolean, tempFolder: string): EntryResult {
  if (!fs.existsSync(entry.dts)) {
    return { entry, ok: false, changed: false, messages: [`${path.relative(ROOT, entry.dts)} is missing: build first (npx nx run-many -t build)`], tempReport: '', committedReport: '' };
  }
  if (update) fs.mkdirSync(path.join(entry.folder, 'api'), { recursive: true });
  const config = ExtractorConfig.prepare({
    configObject: configOf(entry, tempFolder),
    configObjectFullPath: undefined,
    packageJsonFullPath: path.join(entry.folder, 'package.json'),
  });
  const messages: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild: update,
    messageCallback: (m: ExtractorMessage) => {
      const said = m.logLevel === ExtractorLogLevel.Error || m.logLevel === ExtractorLogLevel.Warning;
      if (said && m.category !== ExtractorMessageCategory.Console) messages.push(m.formatMessageWithLocation(ROOT));
      m.handled = true;
    },
  });
  return {
    entry,
    ok: result.succeeded && (update || !result.apiReportChanged),
    changed: result.apiReportChanged,
    messages,
    tempReport: path.join(tempFolder, `${entry.reportName}.api.md`),
    committedReport: path.join(entry.folder, 'api', `${entry.reportName}.api.md`),
  };
}

/** Lines of `a` and `b` that differ, as a unified-style list (removed -, added +). */
export function lineDiff(a: string, b: string): string[] {
  const x = a.split('\n'), y = b.split('\n');
  const inY = new Set(y), inX = new Set(x);
  return [...x.filter((l) => !inY.has(l)).map((l) => `- ${l}`), ...y.filter((l) => !inX.has(l)).map((l) => `+ ${l}`)];
}

function main(): void {
  const update = process.argv.includes('--update');
  if (!update && !process.argv.includes('--check')) {
    console.error('usage: tsx tools/api/apiReport.ts --check | --update');
    process.exit(2);
  }
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'qtk-api-'));
  let failed = 0;
  try {
    for (const entry of apiEntries()) {
      const r = runEntry(entry, update, temp);
      const name = `${path.relative(ROOT, r.committedReport)} (${path.basename(entry.folder)} '${entry.subpath}')`;
      for (const m of r.messages) console.error(`  ${m}`);
      if (r.ok) {
        console.log(`${update && r.changed ? 'updated' : 'ok'}  ${name}`);
        continue;
      }
      failed++;
      console.error(`FAIL ${name}: the exported API differs from the committed report`);
      if (fs.existsSync(r.tempReport)) {
        const before = fs.existsSync(r.committedReport) ? fs.readFileSync(r.committedReport, 'utf8') : '';
        for (const l of lineDiff(before, fs.readFileSync(r.tempReport, 'utf8')).slice(0, 60)) console.error(`    ${l}`);
      }
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  if (failed) {
    console.error(`\n${failed} API report(s) differ. If the change is intended, run \`npm run api:update\` and commit packages/*/api/.`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
