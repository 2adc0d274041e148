/**
 * Runs a campaign's cases in child processes (`worker.ts`), each case bounded: a per-case
 * timeout (a hang kills the child), a V8 heap cap (`--max-old-space-size`) and an RSS cap
 * polled from /proc (runaway memory kills the child), a child that dies mid-case is a crash.
 * A killed child is replaced and the campaign goes on with the next case.
 * Example: `await runCampaign({ entry: 'decode', seed: 1, cases: 1000 })` gives one result per case.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Outcome } from './classify.js';
import type { CaseReply, CaseRequest } from './worker.js';

/** What a campaign runs and within which bounds. */
export interface CampaignOptions {
  entry: string;
  seed: number;
  cases: number;
  /** First case index (default 0): cases `start .. start + cases - 1` run. */
  start?: number;
  /** Child processes running cases side by side (default 1). */
  workers?: number;
  /** Per-case wall-clock limit in ms (default 5000). */
  timeoutMs?: number;
  /** Resident memory a child may reach, in MiB (default 1536). */
  rssCapMb?: number;
  /** V8 old-space limit of a child, in MiB (default 1024). */
  heapMb?: number;
  /** Cases a child runs before it is replaced, so slow leaks do not add up (default 2000). */
  restartEvery?: number;
  /** Called after each case, in completion order. */
  onCase?(result: CaseResult): void;
}

/** One case's outcome and how long it took. */
export interface CaseResult {
  index: number;
  outcome: Outcome;
  ms: number;
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const START_TIMEOUT_MS = 120_000;
const RSS_POLL_MS = 50;

/** Resident set size of a process in bytes (Linux /proc), or undefined where unknown. */
function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** A child that runs one case at a time. */
class Worker {
  private child!: ChildProcess;
  private stderr = '';
  private ran = 0;
  private ready!: Promise<void>;

  constructor(private readonly opts: Required<Omit<CampaignOptions, 'onCase'>>) {
    this.spawn();
  }

  private spawn(): void {
    this.stderr = '';
    this.ran = 0;
    const child = fork(WORKER, [], {
      execArgv: ['--import', TSX, '--conditions=@qtk/source', `--max-old-space-size=${this.opts.heapMb}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr!.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    this.child = child;
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fuzz worker did not start')), START_TIMEOUT_MS);
      child.once('message', () => { clearTimeout(timer); resolve(); });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`fuzz worker exited at start (${code}): ${this.stderr}`)); });
    });
    // awaited before the first case; a failed start is reported there
    this.ready.catch(() => {});
  }

  private kill(): void {
    this.child.removeAllListeners();
    this.child.kill('SIGKILL');
  }

  /** Runs case `index` (ms counts from when the child has started); a killed child is replaced. */
  async run(index: number): Promise<{ outcome: Outcome; ms: number }> {
    if (this.ran >= this.opts.restartEvery) {
      this.kill();
      this.spawn();
    }
    await this.ready;
    this.ran++;
    const t0 = performance.now();
    const child = this.child;
    const outcome = await new Promise<Outcome>((resolve) => {
      const done = (o: Outcome) => {
        clearTimeout(timer);
        clearInterval(poll);
        child.removeListener('message', onMessage);
        child.removeListener('exit', onExit);
        resolve(o);
      };
      const onMessage = (r: CaseReply) => { if (r.index === index) done(r.outcome); };
      const onExit = (code: number | null, signal: string | null) => {
        const oom = /heap out of memory|Allocation failed|Array buffer allocation failed/i.test(this.stderr);
        done({ kind: oom ? 'memory' : 'crash', name: oom ? 'heap limit' : `exit ${code ?? signal}`, message: this.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 200) });
      };
      const timer = setTimeout(() => done({ kind: 'hang', name: 'timeout', message: `no result after ${this.opts.timeoutMs} ms` }), this.opts.timeoutMs);
      const poll = setInterval(() => {
        const rss = rssOf(child.pid!);
        if (rss !== undefined && rss > this.opts.rssCapMb * 2 ** 20) done({ kind: 'memory', name: 'rss cap', message: `resident memory ${Math.round(rss / 2 ** 20)} MiB over ${this.opts.rssCapMb} MiB` });
      }, RSS_POLL_MS);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ seed: this.opts.seed, entry: this.opts.entry, index } satisfies CaseRequest);
    });
    if (outcome.kind === 'hang' || outcome.kind === 'crash' || outcome.kind === 'memory') {
      this.kill();
      this.spawn();
    }
    return { outcome, ms: performance.now() - t0 };
  }

  close(): void {
    this.kill();
  }
}

/** Runs the cases of a campaign and returns their results in index order. */
export async function runCampaign(options: CampaignOptions): Promise<CaseResult[]> {
  const opts = {
    start: 0, workers: 1, timeoutMs: 5000, rssCapMb: 1536, heapMb: 1024, restartEvery: 2000,
    ...options,
  };
  const results: CaseResult[] = [];
  let next = opts.start;
  const end = opts.start + opts.cases;
  const workers = Array.from({ length: Math.max(1, Math.min(opts.workers, opts.cases)) }, () => new Worker(opts));
  try {
    await Promise.all(workers.map(async (w) => {
      while (next < end) {
        const index = next++;
        const r = { index, ...(await w.run(index)) };
        results.push(r);
        options.onCase?.(r);
      }
    }));
  } finally {
    for (const w of workers) w.close();
  }
  return results.sort((a, b) => a.index - b.index);
}
