/**
 * Progress display for long phases: a redrawn bar with rate and ETA on a terminal,
 * plain periodic lines otherwise (logs, CI, pipes).
 *
 * Example (TTY):  `calibrate [########------------]  12/30  40%  5.1 batch/s  ETA 0:04`
 * Example (pipe): `calibrate: 12/30 batches (40%), 5.1 batch/s, ETA 0:04`
 */

/** Where progress goes; `isTTY` picks the bar. */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** Phase name printed first: `calibrate`. */
  label: string;
  /** Expected number of units; without it no percentage or ETA is shown. */
  total?: number;
  /** Unit name, plural: `batches`. */
  unit?: string;
  /** Minimum milliseconds between plain lines (default 2000); TTY redraws at most every 100 ms. */
  intervalMs?: number;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
}

/** A running progress display. */
export interface ProgressBar {
  /** Reports `done` units so far. */
  update(done: number, total?: number): void;
  /** Ends the display with a last line (`done` units in the elapsed time). */
  finish(note?: string): void;
}

/** `m:ss` (or `h:mm:ss`) of a number of seconds. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Starts a progress display on `stream`: a bar when `stream.isTTY`, plain lines otherwise. */
export function createProgress(stream: ProgressStream, options: ProgressOptions): ProgressBar {
  const now = options.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const unit = options.unit ?? 'steps';
  const interval = tty ? 100 : options.intervalMs ?? 2000;
  const start = now();
  let total = options.total;
  let done = 0;
  // A terminal shows the bar at once; plain output waits one interval, so short phases print one line.
  let lastDraw = tty ? -Infinity : start;
  let finished = false;

  const stats = () => {
    const elapsed = (now() - start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = total !== undefined && rate > 0 ? (total - done) / rate : undefined;
    const pct = total ? Math.min(100, Math.floor((100 * done) / total)) : undefined;
    return { elapsed, rate, eta, pct };
  };
  const rateText = (rate: number) => `${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)} ${unitShort(unit)}/s`;

  const draw = () => {
    const { rate, eta, pct } = stats();
    if (tty) {
      const width = 24;
      const filled = total ? Math.round((width * Math.min(done, total)) / total) : 0;
      const bar = total ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
      const count = total !== undefined ? `${done}/${total}` : `${done}`;
      const tail = [pct !== undefined ? `${pct}%` : '', rateText(rate), eta !== undefined ? `ETA ${formatDuration(eta)}` : ''].filter(Boolean);
      stream.write(`\r\x1b[2K${options.label} ${bar}${count}  ${tail.join('  ')}`);
    } else {
      const count = total !== undefined ? `${done}/${total} ${unit}${pct !== undefined ? ` (${pct}%)` : ''}` : `${done} ${unit}`;
      const parts = [count, rateText(rate)];
      if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
      stream.write(`${options.label}: ${parts.join(', ')}\n`);
    }
  };

  return {
    update(n, t) {
      if (finished) return;
      done = n;
      if (t !== undefined) total = t;
      const at = now();
      if (at - lastDraw >= interval) {
        lastDraw = at;
        draw();
      }
    },
    finish(note) {
      if (finished) return;
      finished = true;
      const { elapsed } = stats();
      const took = elapsed < 60 ? `${elapsed.toFixed(1)} s` : formatDuration(elapsed);
      const summary = `${options.label}: ${done}${total !== undefined && total !== done ? `/${total}` : ''} ${unit} in ${took}${note ? `, ${note}` : ''}`;
      stream.write(tty ? `\r\x1b[2K${summary}\n` : `${summary}\n`);
    },
  };
}

function unitShort(unit: string): string {
  return unit === 'batches' ? 'batch' : unit.endsWith('s') ? unit.slice(0, -1) : unit;
}
