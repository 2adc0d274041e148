import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isQtkError, type QtkError } from '@qtk/core';
import { readCalibrationCache } from './readCache.js';
import { writeCalibrationCache } from './writeCache.js';
import { trtVersionDigits } from './trtVersion.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const realCaches = readdirSync(FIXTURES).filter((f) => f.endsWith('.cache'));

/** The QtkError `fn` throws. */
function thrown(fn: () => unknown): QtkError {
  try {
    fn();
  } catch (e) {
    if (isQtkError(e)) return e;
    throw e;
  }
  throw new Error('expected a QtkError');
}

describe('calibration caches that TensorRT wrote', () => {
  it('has at least three of them, from different TensorRT versions', () => {
    const versions = new Set(realCaches.map((f) => readCalibrationCache(readFileSync(FIXTURES + f, 'utf8')).version));
    expect(realCaches.length).toBeGreaterThanOrEqual(3);
    expect(versions.size).toBe(realCaches.length);
  });

  it.each(realCaches)('%s reads and writes back byte for byte', (file) => {
    const text = readFileSync(FIXTURES + file, 'utf8');
    const cache = readCalibrationCache(text);
    expect(cache.scales.size).toBe(text.split('\n').length - 2);
    expect(writeCalibrationCache(cache)).toBe(text);
  });

  it('reads the TensorRT 5 header digits 5101 and the unnamed-layer tensor names in file order', () => {
    const cache = readCalibrationCache(readFileSync(`${FIXTURES}nvdla-resnet50-trt5101.cache`, 'utf8'));
    expect(cache).toMatchObject({ version: '5101', algorithm: 'EntropyCalibration2' });
    expect([...cache.scales.keys()].slice(0, 3)).toEqual(['data', '(Unnamed Layer* 0) [Convolution]_output', '(Unnamed Layer* 1) [Scale]_output']);
    expect(cache.scales.get('data')).toBe(scaleOf('3f9839e4'));
    expect(cache.scales.get('data')).toBeCloseTo(1.18927, 5);
  });

  it("reads TensorRT 10.9's unpadded zero scale '0' and writes it back as '0'", () => {
    const text = readFileSync(`${FIXTURES}deimkit-excerpt-trt100900.cache`, 'utf8');
    const cache = readCalibrationCache(text);
    expect(cache.version).toBe('100900');
    expect(cache.scales.get('ONNXTRT_Broadcast_1855_output')).toBe(0);
    expect(cache.spelling).toBeUndefined();
    expect(writeCalibrationCache(cache)).toContain('\nONNXTRT_Broadcast_1855_output: 0\n');
  });
});

describe('readCalibrationCache and writeCalibrationCache', () => {
  it('writes 1/127 as 3c010204, big-endian float32 bits in lowercase hex', () => {
    const text = writeCalibrationCache({ version: '100300', algorithm: 'MinMaxCalibration', scales: new Map([['x', 1 / 127], ['y', -2], ['z', 1e-40]]) });
    // 1e-40 is a float32 subnormal: its bits 0x000116c2 lose their leading zeros as TensorRT prints them.
    expect(text).toBe('TRT-100300-MinMaxCalibration\nx: 3c010204\ny: c0000000\nz: 116c2\n');
  });

  it('splits a line at its last ": " so tensor names may hold colons', () => {
    const text = 'TRT-7203-EntropyCalibration2\nssd_300_vgg/conv_init/Conv2D__176:0: 400054a6\nweird: name: 3f800000\n';
    const cache = readCalibrationCache(text);
    expect([...cache.scales]).toEqual([['ssd_300_vgg/conv_init/Conv2D__176:0', scaleOf('400054a6')], ['weird: name', 1]]);
    expect(writeCalibrationCache(cache)).toBe(text);
  });

  it('keeps spellings TensorRT does not write (leading zeros, upper case, NaN payloads) for a byte-exact round trip', () => {
    const text = 'TRT-8601-EntropyCalibration2\na: 00000000\nb: 3C010204\nc: 7fc00001\nd: 7fc00000\n';
    const cache = readCalibrationCache(text);
    expect(cache.scales.get('a')).toBe(0);
    expect(Number.isNaN(cache.scales.get('c'))).toBe(true);
    // A NaN payload the engine keeps through a number needs no spelling; one it drops would be spelled.
    expect([...(cache.spelling ?? new Map())].slice(0, 2)).toEqual([['a', '00000000'], ['b', '3C010204']]);
    expect(writeCalibrationCache(cache)).toBe(text);
  });

  it('writes a changed scale in TensorRT spelling even where the file spelled the old value otherwise', () => {
    const cache = readCalibrationCache('TRT-8601-EntropyCalibration2\na: 00000000\n');
    const changed = { ...cache, scales: new Map([['a', 0.5]]) };
    expect(writeCalibrationCache(changed)).toBe('TRT-8601-EntropyCalibration2\na: 3f000000\n');
  });

  it('reads a cache saved with CRLF line endings and writes TensorRT\'s LF', () => {
    const cache = readCalibrationCache('TRT-8601-MinMaxCalibration\r\nx: 3c010204\r\n');
    expect(writeCalibrationCache(cache)).toBe('TRT-8601-MinMaxCalibration\nx: 3c010204\n');
  });

  it.each([
    ['x: 3c010204\n', 1, 'the header is not TRT-<version digits>-<algorithm>: "x: 3c010204"'],
    ['TRT-8601-KLCalibration\n', 1, "the algorithm is not one of TensorRT's"],
    ['TRT-8.6.1-EntropyCalibration2\n', 1, 'the header is not'],
    ['TRT-8601-EntropyCalibration2\na: 3c010204\nb 3c010204\n', 3, `the line is not '<tensor name>: <hex scale>': "b 3c010204"`],
    ['TRT-8601-EntropyCalibration2\na: 3c01020g\n', 2, "the scale '3c01020g' is not 1 to 8 hex digits"],
    ['TRT-8601-EntropyCalibration2\na: 13c010204\n', 2, "the scale '13c010204' is not"],
    ['TRT-8601-EntropyCalibration2\n: 3c010204\n', 2, 'the tensor name is empty'],
    ['TRT-8601-EntropyCalibration2\na: 3c010204\n\nb: 3c010204\n', 3, "the line is not '<tensor name>: <hex scale>': \"\""],
    ['TRT-8601-EntropyCalibration2\na: 3c010204\na: 3c010205\n', 3, "tensor 'a' was already given on line 2"],
  ])('refuses %j with E_CALIB_DATA naming line %i and the line', (text, line, part) => {
    const e = thrown(() => readCalibrationCache(text, { file: 'model.cache' }));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.where.file).toBe('model.cache');
    expect(e.message).toContain(`calibration cache model.cache, line ${line}: `);
    expect(e.message).toContain(part);
  });

  it('refuses an empty text with E_CALIB_DATA saying the header is missing', () => {
    const e = thrown(() => readCalibrationCache(''));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toContain('is empty: it has no TRT-<version>-<algorithm> header');
  });

  it('refuses to write a version that is not digits, and a name with a line break', () => {
    expect(thrown(() => writeCalibrationCache({ version: '10.3.0', algorithm: 'MinMaxCalibration', scales: new Map() })).where.option).toBe('version');
    expect(thrown(() => writeCalibrationCache({ version: '100300', algorithm: 'MinMaxCalibration', scales: new Map([['a\nb', 1]]) })).where.tensor).toBe('a\nb');
  });
});

describe('trtVersionDigits', () => {
  it.each([['10.3.0', '100300'], ['10.9.0', '100900'], ['10.10.0', '101000'], ['8.6.1', '8601'], ['8.5.1', '8501'], ['7.2.3', '7203'], ['5.1.0', '5100'], ['10.3.0.26', '100300'], ['8601', '8601']])('gives %s as %s, as NV_TENSORRT_VERSION', (v, digits) => {
    expect(trtVersionDigits(v)).toBe(digits);
  });

  it.each(['10.3', 'v10.3.0', '8.10.0', '10.100.0'])('refuses %s with E_OPTION on option version', (v) => {
    const e = thrown(() => trtVersionDigits(v));
    expect(e.code).toBe('E_OPTION');
    expect(e.where.option).toBe('version');
  });
});

/** The float32 whose big-endian bits are `hex`, computed with a DataView independent of the module. */
function scaleOf(hex: string): number {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint32(0, Number.parseInt(hex, 16));
  return dv.getFloat32(0);
}
