/**
 * The published packages work outside this workspace: `npm pack` of every package, an
 * `npm install` of the tarballs into an empty project under the OS temp folder (third-party
 * dependencies from the npm registry, no install scripts), then the `qtk` command, the
 * README's API example and a browser bundle of @qtk/core run there. Needs the packages
 * built (`dist/`), as `npm ci` and `npm test` leave them.
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, transform } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy, parseRawFloat32, sliceRows } from '@qtk/core';
import { useTempDir } from '../../packages/cli/src/test-support/tempDir.js';
import { codeBlockUnder } from './markdownCode.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIGITS = path.join(ROOT, 'fixtures', 'digits');
const PACKAGES = ['bench', 'cli', 'core', 'models', 'onnxruntime', 'openvino', 'tensorrt', 'wasm'];
/** Rows of the digits data used as calibration data in the temp project. */
const CALIB_ROWS = 64;

/** What `npm pack --json` reports of one tarball. */
interface Packed { name: string; version: string; filename: string; files: { path: string }[] }

/**
 * The environment for npm in the temp project: npm's own variables from an enclosing
 * `npm test` (which name this workspace as the prefix) removed, the registry and cache
 * settings kept, and onnxruntime-node's download step off in case a script runs anyway.
 */
function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig', 'npm_config_globalconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || keep.has(k.toLowerCase())) env[k] = v;
  delete env.INIT_CWD;
  return { ...env, ONNXRUNTIME_NODE_INSTALL: 'skip', NO_COLOR: '1' };
}

/** Runs `cmd args` in `cwd`; resolves to its output, rejects with it on a non-zero exit. */
async function sh(cwd: string, cmd: string, args: string[], timeout = 240_000): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(cmd, args, { cwd, env: childEnv(), timeout, maxBuffer: 64 << 20 });
  } catch (e) {
    const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${(e as Error).message}\n${stdout}\n${stderr}`);
  }
}

/** Every path a package.json's `exports` and `bin` name, with the export conditions leading to it. */
function manifestTargets(pkg: { exports?: unknown; bin?: string | Record<string, string> }): { file: string; conditions: string[] }[] {
  const out: { file: string; conditions: string[] }[] = [];
  const walk = (v: unknown, conditions: string[]) => {
    if (typeof v === 'string') out.push({ file: v, conditions });
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...conditions, k]);
  };
  walk(pkg.exports, []);
  walk(pkg.bin, ['bin']);
  return out;
}

describe('packed packages installed in a project outside the workspace', () => {
  const tmp = useTempDir('qtk-pack-');
  let packed: Packed[] = [];
  let project = '';
  let install = { stdout: '', stderr: '' };

  beforeAll(async () => {
    const missing = PACKAGES.filter((p) => !existsSync(path.join(ROOT, 'packages', p, 'dist')));
    if (missing.length) throw new Error(`packages not built (${missing.join(', ')}): run npm run build first`);
    const tarballs = path.join(tmp(), 'tarballs');
    project = path.join(tmp(), 'project');
    await fs.mkdir(tarballs);
    await fs.mkdir(project);
    const pack = await sh(ROOT, 'npm', ['pack', '--workspaces', '--pack-destination', tarballs, '--json', '--silent']);
    packed = JSON.parse(pack.stdout) as Packed[];
    await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({
      name: 'qtk-pack-check', version: '0.0.0', private: true, type: 'module',
      allowScripts: { 'onnxruntime-node': false, protobufjs: false },
    }, null, 2));
    install = await sh(project, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packed.map((p) => path.join(tarballs, p.filename))]);
    await fs.copyFile(path.join(DIGITS, 'digits_cnn.onnx'), path.join(project, 'model.onnx'));
    // The README's API example reads the digits fixture by its workspace path.
    await fs.mkdir(path.join(project, 'fixtures', 'digits'), { recursive: true });
    for (const f of ['digits_cnn.onnx', 'digits_x_f32_n1797_1x8x8.bin']) await fs.copyFile(path.join(DIGITS, f), path.join(project, 'fixtures', 'digits', f));
    const x = parseRawFloat32(await fs.readFile(path.join(DIGITS, 'digits_x_f32_n1797_1x8x8.bin')), [1797, 1, 8, 8]);
    const calib = sliceRows(x, 0, CALIB_ROWS);
    await fs.writeFile(path.join(project, 'x.bin'), calib.data as Float32Array);
    await fs.writeFile(path.join(project, 'calib.npy'), encodeNpy(calib));
  }, 400_000);

  it('packs every package, each manifest pointing only at files in its tarball (the @qtk/source condition aside), with pinned @qtk ranges, engines and a license', async () => {
    expect(packed.map((p) => p.name).sort()).toEqual(PACKAGES.map((p) => `@qtk/${p}`));
    for (const p of packed) {
      const pkg = JSON.parse(await fs.readFile(path.join(ROOT, 'packages', p.name.slice('@qtk/'.length), 'package.json'), 'utf8'));
      const files = new Set(p.files.map((f) => f.path));
      for (const t of manifestTargets(pkg)) {
        if (t.conditions.includes('@qtk/source')) continue;
        expect(files.has(path.posix.normalize(t.file)), `${p.name}: ${t.conditions.join('>')} -> ${t.file}`).toBe(true);
      }
      expect([...files].some((f) => f.endsWith('.test.js')), `${p.name} ships compiled tests`).toBe(false);
      for (const field of ['dependencies', 'peerDependencies'] as const) {
        for (const [dep, range] of Object.entries<string>(pkg[field] ?? {})) {
          if (!dep.startsWith('@qtk/')) continue;
          const version = packed.find((q) => q.name === dep)?.version;
          expect(range, `${p.name} ${field} ${dep}`).toBe(`^${version}`);
        }
      }
      expect(pkg.engines?.node, `${p.name} engines.node`).toMatch(/^>=\d/);
      expect(pkg.license, `${p.name} license`).toBe('Apache-2.0');
    }
    expect(packed.find((p) => p.name === '@qtk/cli')!.files.map((f) => f.path)).toContain('dist/fixtures/digits/digits_cnn.onnx');
  });

  it('installs from the tarballs and the npm registry without install-script or npm config warnings', () => {
    const output = install.stdout + install.stderr;
    expect(output).not.toMatch(/npm warn (install-scripts|Unknown|config)/i);
    expect(existsSync(path.join(project, 'node_modules', '@qtk', 'cli', 'bin', 'qtk.js'))).toBe(true);
    expect(existsSync(path.join(project, 'node_modules', 'onnxruntime-node', 'package.json'))).toBe(true);
  });

  it('npx qtk --help lists the commands and npm prints no warning', async () => {
    const { stdout, stderr } = await sh(project, 'npx', ['--no', '--', 'qtk', '--help']);
    expect(stderr).not.toMatch(/npm warn/i);
    for (const cmd of ['quantize', 'inspect', 'compare', 'bench', 'demo']) expect(stdout).toContain(cmd);
  });

  it('npx qtk quantize writes an INT8 digits model from raw float32 calibration data, smaller than the FP32 one', async () => {
    await sh(project, 'npx', ['--no', '--', 'qtk', 'quantize', 'model.onnx', '-o', 'cli.int8.onnx', '--calib', 'x.bin', '--calib-shape', `${CALIB_ROWS},1,8,8`]);
    const [fp32, int8] = await Promise.all([fs.stat(path.join(project, 'model.onnx')), fs.stat(path.join(project, 'cli.int8.onnx'))]);
    expect(int8.size).toBeGreaterThan(0);
    expect(int8.size).toBeLessThan(fp32.size / 2);
  });

  it('npx qtk demo runs on the digits fixture shipped in @qtk/cli and keeps the accuracy', async () => {
    const { stdout } = await sh(project, 'npx', ['--no', '--', 'qtk', 'demo', '--runs', '5', '--out', 'demo']);
    expect(stdout).toContain(path.join('node_modules', '@qtk', 'cli', 'dist', 'fixtures', 'digits'));
    const m = /demo: fp32_acc=([\d.]+) int8_acc=([\d.]+)/.exec(stdout);
    expect(m, stdout).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(0.9);
  });

  it("runs the README's API example against the installed packages", async () => {
    const example = codeBlockUnder(await fs.readFile(path.join(ROOT, 'README.md'), 'utf8'), 'API');
    const { code } = await transform(example, { loader: 'ts', format: 'esm' });
    await fs.writeFile(path.join(project, 'api.mjs'), code);
    const { stdout } = await sh(project, process.execPath, ['api.mjs']);
    expect(stdout).toMatch(/^\d+ nodes quantized, \d+ left float/m);
    expect(Number(/^(\d+) nodes quantized/m.exec(stdout)![1])).toBeGreaterThan(0);
    const [fp32, int8] = await Promise.all([fs.stat(path.join(project, 'fixtures', 'digits', 'digits_cnn.onnx')), fs.stat(path.join(project, 'digits.int8.onnx'))]);
    expect(int8.size).toBeLessThan(fp32.size / 2);
  });

  it('bundles @qtk/core for the browser (no Node built-ins) from the installed package', async () => {
    const entry = path.join(project, 'browser-entry.js');
    await fs.writeFile(entry, "import { quantizeModel, parseNpy, createRegistry } from '@qtk/core';\nconsole.log(typeof quantizeModel, typeof parseNpy, typeof createRegistry);\n");
    const r = await build({ entryPoints: [entry], absWorkingDir: project, bundle: true, write: false, platform: 'browser', format: 'esm', logLevel: 'silent' });
    expect(r.errors).toEqual([]);
    const text = r.outputFiles[0]!.text;
    expect(text.length).toBeGreaterThan(10_000);
    expect(text).not.toMatch(/from\s*["']node:/);
  });
});
