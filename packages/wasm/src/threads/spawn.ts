/**
 * Starting pool workers: Node `worker_threads` (unreferenced, so they never keep the process
 * alive) or browser Web Workers from a Blob URL. Both run WORKER_SOURCE and answer 'ready'
 * once their kernels are instantiated.
 */
import { QtkError } from '@qtk/core';
import { WORKER_SOURCE, type WorkerInit } from './workerSource.js';

/** A started worker. */
export interface WorkerHandle {
  /** Stops the worker (after the pool told it to leave its loop). */
  terminate(): Promise<void>;
}

/** True in Node (worker_threads available). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/**
 * Whether this environment can run a pool: Node, or a browser context with Web Workers and
 * SharedArrayBuffer that is cross-origin isolated.
 */
export function threadsAvailable(): { ok: true } | { ok: false; why: string } {
  if (typeof SharedArrayBuffer === 'undefined') return { ok: false, why: 'SharedArrayBuffer is not available' };
  if (isNode()) return { ok: true };
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (g.crossOriginIsolated !== true) return { ok: false, why: 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)' };
  if (typeof g.Worker !== 'function') return { ok: false, why: 'Web Workers are not available' };
  return { ok: true };
}

let live = 0;

/** Pool workers started in this process (or page) and not yet terminated. */
export function liveWorkers(): number {
  return live;
}

interface NodeWorker {
  on(ev: 'message', f: (m: unknown) => void): void;
  on(ev: 'error', f: (e: Error) => void): void;
  on(ev: 'exit', f: (code: number) => void): void;
  off(ev: 'message', f: (m: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

async function spawnNode(init: WorkerInit): Promise<WorkerHandle> {
  // a computed specifier keeps browser bundlers from resolving the Node module
  const name = 'node:worker_threads';
  const wt = (await import(/* @vite-ignore */ name)) as { Worker: new (src: string, o: object) => NodeWorker };
  const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: init });
  w.unref();
  live++;
  let ended = false;
  const end = () => { if (!ended) { ended = true; live--; } };
  let onReady: (m: unknown) => void = () => {};
  await new Promise<void>((resolve, reject) => {
    onReady = () => resolve();
    w.on('message', onReady);
    w.on('error', (e) => reject(new QtkError('E_EXECUTOR', `pool worker failed to start: ${e.message}`, {}, { cause: e })));
    w.on('exit', (code) => { end(); reject(new QtkError('E_EXECUTOR', `pool worker exited (code ${code}) before it was ready`)); });
  }).then(() => {
    // a 'message' listener keeps the worker's port (and so the process) alive
    w.off('message', onReady);
  }, async (e: unknown) => {
    await w.terminate();
    end();
    throw e;
  });
  return {
    async terminate() {
      await w.terminate();
      end();
    },
  };
}

let blobUrl: string | undefined;

async function spawnBrowser(init: WorkerInit): Promise<WorkerHandle> {
  blobUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(blobUrl);
  live++;
  let ended = false;
  const end = () => { if (!ended) { ended = true; live--; } };
  await new Promise<void>((resolve, reject) => {
    w.onmessage = () => resolve();
    w.onerror = (e) => reject(new QtkError('E_EXECUTOR', `pool worker failed to start: ${e.message}`));
    w.postMessage(init);
  }).catch((e: unknown) => {
    w.terminate();
    end();
    throw e;
  });
  w.onmessage = null;
  w.onerror = null;
  return {
    async terminate() {
      w.terminate();
      end();
    },
  };
}

/** Starts one worker with `init` and resolves once its kernels are instantiated. */
export function spawnWorker(init: WorkerInit): Promise<WorkerHandle> {
  return isNode() ? spawnNode(init) : spawnBrowser(init);
}
