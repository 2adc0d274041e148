/**
 * Files to remove should the process be stopped by SIGINT or SIGTERM: temporary outputs
 * and output locks. While any is registered a handler is installed; it removes them and
 * re-raises the signal, so the process ends with the usual status (130, 143) unless the
 * program has listeners of its own, which then decide.
 */
import { rmSync } from 'node:fs';

const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function onSignal(signal: NodeJS.Signals): void {
  for (const file of live) {
    try { rmSync(file, { force: true }); } catch { /* nothing more can be done while stopping */ }
  }
  live.clear();
  uninstall();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function uninstall(): void {
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Removes `file` if the process is stopped by SIGINT or SIGTERM before `forgetOnSignal(file)`. */
export function removeOnSignal(file: string): void {
  if (live.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  live.add(file);
}

/** Stops removing `file` on a signal (it was renamed into place or removed). */
export function forgetOnSignal(file: string): void {
  if (live.delete(file) && live.size === 0) uninstall();
}
