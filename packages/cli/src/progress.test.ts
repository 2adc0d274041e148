import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration } from './progress.js';

/** A stream that records writes, and a clock the test moves by hand. */
function setup(isTTY: boolean) {
  const writes: string[] = [];
  let t = 0;
  return {
    writes,
    stream: { isTTY, write: (s: string) => writes.push(s) },
    now: () => t,
    advance: (ms: number) => { t += ms; },
  };
}

describe('progress', () => {
  it('prints plain periodic lines (no carriage returns or escape codes) when not a TTY', () => {
    const s = setup(false);
    const bar = createProgress(s.stream, { label: 'calibrate', total: 10, unit: 'batches', intervalMs: 1000, now: s.now });
    for (let i = 1; i <= 10; i++) {
      s.advance(400);
      bar.update(i);
    }
    bar.finish('320 samples');
    // updates at 400, 800, ..., 4000 ms with a 1 s interval: lines at 1200 (i=3), 2400 (i=6), 3600 (i=9)
    expect(s.writes).toEqual([
      'calibrate: 3/10 batches (30%), 2.5 batch/s, ETA 0:03\n',
      'calibrate: 6/10 batches (60%), 2.5 batch/s, ETA 0:02\n',
      'calibrate: 9/10 batches (90%), 2.5 batch/s, ETA 0:00\n',
      'calibrate: 10 batches in 4.0 s, 320 samples\n',
    ]);
    for (const w of s.writes) expect(w).not.toMatch(/[\r\x1b]/);
  });

  it('a phase shorter than one interval prints only the closing line', () => {
    const s = setup(false);
    const bar = createProgress(s.stream, { label: 'calibrate', total: 8, unit: 'batches', now: s.now });
    for (let i = 1; i <= 8; i++) { s.advance(10); bar.update(i); }
    bar.finish();
    expect(s.writes).toEqual(['calibrate: 8 batches in 0.1 s\n']);
  });

  it('without a total, plain lines show the count and rate but no ETA', () => {
    const s = setup(false);
    const bar = createProgress(s.stream, { label: 'run', unit: 'items', now: s.now });
    s.advance(2000);
    bar.update(4);
    expect(s.writes).toEqual(['run: 4 items, 2.0 item/s\n']);
  });

  it('redraws one bar line with rate and ETA on a TTY', () => {
    const s = setup(true);
    const bar = createProgress(s.stream, { label: 'calibrate', total: 4, unit: 'batches', now: s.now });
    s.advance(500);
    bar.update(1);
    s.advance(500);
    bar.update(2);
    bar.finish();
    expect(s.writes[0]).toBe('\r\x1b[2Kcalibrate [######------------------] 1/4  25%  2.0 batch/s  ETA 0:02');
    expect(s.writes[1]).toContain('[############------------] 2/4  50%');
    expect(s.writes.at(-1)).toBe('\r\x1b[2Kcalibrate: 2/4 batches in 1.0 s\n');
  });

  it('formats durations as m:ss and h:mm:ss', () => {
    expect([formatDuration(5), formatDuration(65), formatDuration(3725), formatDuration(NaN)]).toEqual(['0:05', '1:05', '1:02:05', '?']);
  });
});
