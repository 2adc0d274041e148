/**
 * NumPy `.npy` bytes to and from core Tensors (format versions 1.0, 2.0 and 3.0).
 * Little-endian, C-order arrays of plain numeric types only.
 *
 * Example: `parseNpy(bytes)` of `np.zeros((4, 1, 8, 8), '<f4')` is a float32 Tensor
 * with dims [4, 1, 8, 8]; `encodeNpy(t)` gives bytes `np.load` reads back.
 */
import { QtkError } from '../errors/QtkError.js';
import { byteLengthOf, bytesOf, dataFromBytes, type DType } from '../ir/dtype.js';
import { checkTensorBytes, resolveMaxTensorBytes } from '../ir/memoryBudget.js';
import { Tensor, sizeOf } from '../ir/tensor.js';

/** The six bytes every .npy file starts with: `\x93NUMPY`. */
export const NPY_MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59);

/** NumPy type code (kind + item size, no byte order) → core dtype. */
const FROM_CODE: Readonly<Record<string, DType>> = {
  f2: 'float16', f4: 'float32', f8: 'float64',
  i1: 'int8', u1: 'uint8', b1: 'bool',
  i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32', i8: 'int64', u8: 'uint64',
};
const TO_CODE = new Map<DType, string>(Object.entries(FROM_CODE).map(([k, v]) => [v, k]));

/** The decoded header of a .npy file. */
export interface NpyHeader {
  /** Format version, `[major, minor]`: `[1, 0]`, `[2, 0]` or `[3, 0]`. */
  version: [number, number];
  /** NumPy dtype string as written, e.g. `'<f4'`. */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the array data from the start of the file. */
  dataOffset: number;
}

function fail(message: string, offset: number, file?: string, code: 'E_CALIB_DATA' | 'E_UNSUPPORTED' = 'E_CALIB_DATA'): never {
  const where = file ? `${file}: ` : '';
  throw new QtkError(code, `${where}${message}`, { file, offset });
}

/** Reads and checks the header of .npy bytes; errors name the byte offset and the field. */
export function parseNpyHeader(bytes: Uint8Array, file?: string): NpyHeader {
  for (let i = 0; i < NPY_MAGIC.length; i++) {
    if (bytes[i] !== NPY_MAGIC[i]) fail(`not a .npy file: bad magic at byte ${i} (expected \\x93NUMPY)`, i, file);
  }
  if (bytes.length < 10) fail(`.npy header truncated: ${bytes.length} bytes, the version and header length need 10`, bytes.length, file);
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3) fail(`unsupported .npy format version ${major}.${minor} at byte 6 (1.0, 2.0 and 3.0 are read)`, 6, file, 'E_UNSUPPORTED');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail(`.npy header length field at byte 8 is truncated`, 8, file);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  const end = start + headerLen;
  if (end > bytes.length) fail(`.npy header length field at byte 8 says ${headerLen} bytes, but only ${bytes.length - start} follow`, 8, file);
  const raw = bytes.subarray(start, end);
  // Version 3 headers are UTF-8; versions 1 and 2 are latin-1.
  const text = major === 3 ? new TextDecoder('utf-8').decode(raw) : Array.from(raw, (b) => String.fromCharCode(b)).join('');
  const dict = new HeaderParser(text, start, file).parseDict();
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (typeof descr !== 'string') fail(`.npy header field 'descr' ${descr === undefined ? 'is missing' : 'is not a string (structured dtypes are not read)'} (header at byte ${start})`, start, file, descr === undefined ? 'E_CALIB_DATA' : 'E_UNSUPPORTED');
  if (typeof fortran !== 'boolean') fail(`.npy header field 'fortran_order' ${fortran === undefined ? 'is missing' : 'is not True/False'} (header at byte ${start})`, start, file);
  if (!Array.isArray(shape)) fail(`.npy header field 'shape' ${shape === undefined ? 'is missing' : 'is not a tuple of integers'} (header at byte ${start})`, start, file);
  return { version: [major, minor], descr, fortranOrder: fortran, shape, dataOffset: end };
}

/** The core dtype of a NumPy dtype string such as `'<f4'` or `'|u1'`; throws E_UNSUPPORTED otherwise. */
export function dtypeFromNpyDescr(descr: string, file?: string, offset = 0): DType {
  const order = descr[0];
  const code = descr.slice(1);
  const dtype = FROM_CODE[code];
  if (!dtype || !'<>|='.includes(order ?? '')) {
    fail(`.npy header field 'descr' is '${descr}'; supported: ${[...TO_CODE.keys()].map(npyDescrOf).join(', ')}`, offset, file, 'E_UNSUPPORTED');
  }
  const single = code.endsWith('1');
  if (order === '>' && !single) fail(`.npy header field 'descr' is '${descr}': big-endian data is not read; save it little-endian ('<${code}')`, offset, file, 'E_UNSUPPORTED');
  return dtype;
}

/** The NumPy dtype string of a core dtype: `npyDescrOf('float32') === '<f4'`. */
export function npyDescrOf(dtype: DType): string {
  const code = TO_CODE.get(dtype);
  if (!code) throw new QtkError('E_DTYPE', `${dtype} has no .npy dtype`);
  return (code.endsWith('1') ? '|' : '<') + code;
}

/** Options of `parseNpy`. */
export interface ParseNpyOptions {
  /**
   * Memory budget: largest array in bytes (default `DEFAULT_MAX_TENSOR_BYTES`, 1 GiB).
   * A header declaring more is E_MEMORY_BUDGET before the data is copied.
   */
  maxTensorBytes?: number;
}

/**
 * Parses .npy bytes into a Tensor (data copied); `file` only labels errors. The header's
 * shape is checked before anything is allocated: its byte size must be what the file
 * holds (E_CALIB_DATA) and within `maxTensorBytes` (E_MEMORY_BUDGET).
 */
export function parseNpy(bytes: Uint8Array, file?: string, options: ParseNpyOptions = {}): Tensor {
  const budget = resolveMaxTensorBytes(options.maxTensorBytes);
  const h = parseNpyHeader(bytes, file);
  const headerStart = h.version[0] === 1 ? 10 : 12;
  const dtype = dtypeFromNpyDescr(h.descr, file, headerStart);
  if (h.fortranOrder) fail(`.npy header field 'fortran_order' is True: Fortran-order arrays are not read; save with np.ascontiguousarray`, headerStart, file, 'E_UNSUPPORTED');
  const count = sizeOf(h.shape);
  const need = byteLengthOf(dtype, count);
  const have = bytes.length - h.dataOffset;
  if (have !== need) {
    fail(`.npy data at byte ${h.dataOffset} has ${have} bytes; shape (${h.shape.join(', ')}) of ${h.descr} needs ${need}`, h.dataOffset, file);
  }
  checkTensorBytes(need, budget, `${file ? `${file}: ` : ''}.npy array of shape (${h.shape.join(', ')}) and dtype ${h.descr}`, { file, offset: headerStart });
  const data = dataFromBytes(dtype, bytes.subarray(h.dataOffset), count, file);
  return new Tensor(dtype, data, h.shape);
}

/** Encodes a Tensor as .npy bytes (version 1.0, or 2.0 for a header over 64 KiB). */
export function encodeNpy(t: Tensor): Uint8Array {
  const shape = t.dims.length === 1 ? `(${t.dims[0]},)` : `(${t.dims.join(', ')})`;
  const dict = `{'descr': '${npyDescrOf(t.dtype)}', 'fortran_order': False, 'shape': ${shape}, }`;
  let major = 1;
  let pre = 10;
  // Total header (magic, version, length, dict, padding, '\n') is a multiple of 64.
  let total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  if (total - pre > 0xffff) {
    major = 2;
    pre = 12;
    total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  }
  const header = dict.padEnd(total - pre - 1, ' ') + '\n';
  const data = bytesOf(t.data);
  const out = new Uint8Array(total + data.byteLength);
  out.set(NPY_MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(data, total);
  return out;
}

type HeaderValue = string | boolean | number[] | number | null;

/** A parser for the Python dict literal of a .npy header (strings, booleans, int tuples). */
class HeaderParser {
  private i = 0;
  constructor(private readonly s: string, private readonly base: number, private readonly file?: string) {}

  private err(what: string): never {
    fail(`.npy header malformed at byte ${this.base + this.i}: ${what} in ${JSON.stringify(this.s.trim())}`, this.base + this.i, this.file);
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private eat(ch: string): boolean {
    this.ws();
    if (this.s[this.i] === ch) { this.i++; return true; }
    return false;
  }

  parseDict(): Map<string, HeaderValue> {
    const out = new Map<string, HeaderValue>();
    if (!this.eat('{')) this.err("expected '{'");
    while (!this.eat('}')) {
      const key = this.parseString();
      if (!this.eat(':')) this.err(`expected ':' after key '${key}'`);
      if (out.has(key)) this.err(`duplicate key '${key}'`);
      out.set(key, this.parseValue(key));
      if (!this.eat(',')) {
        if (this.eat('}')) break;
        this.err(`expected ',' or '}' after field '${key}'`);
      }
    }
    this.ws();
    if (this.i !== this.s.length) this.err('unexpected text after the header dict');
    return out;
  }

  private parseString(): string {
    this.ws();
    const q = this.s[this.i];
    if (q !== "'" && q !== '"') this.err('expected a quoted string');
    const end = this.s.indexOf(q, this.i + 1);
    if (end < 0) this.err('unterminated string');
    const v = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return v;
  }

  private parseValue(key: string): HeaderValue {
    this.ws();
    const c = this.s[this.i];
    if (c === "'" || c === '"') return this.parseString();
    if (c === '(') return this.parseTuple(key);
    if (c === '[') this.err(`field '${key}' is a list (structured dtypes are not read)`);
    const m = /^(True|False|None|-?\d+L?)/.exec(this.s.slice(this.i));
    if (!m) this.err(`cannot read the value of field '${key}'`);
    this.i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number.parseInt(m[0], 10);
  }

  private parseTuple(key: string): number[] {
    this.eat('(');
    const out: number[] = [];
    while (!this.eat(')')) {
      this.ws();
      const m = /^\d+L?/.exec(this.s.slice(this.i));
      if (!m) this.err(`field '${key}' holds a non-integer (dims are non-negative integers)`);
      this.i += m[0].length;
      const v = Number.parseInt(m[0], 10);
      if (!Number.isSafeInteger(v)) this.err(`field '${key}' holds a dim too large`);
      out.push(v);
      if (!this.eat(',')) {
        if (this.eat(')')) break;
        this.err(`expected ',' or ')' in field '${key}'`);
      }
    }
    return out;
  }
}
