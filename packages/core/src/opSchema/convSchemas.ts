/** Attribute schemas of the convolutions: Conv, ConvInteger, QLinearConv, ConvTranspose. */
import { int, ints, str, type OpSchema, type SchemaTable } from './types.js';

/** auto_pad values of windowed ops. */
export const AUTO_PAD = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'] as const;

/** The window attributes a convolution shares with pooling. */
export const windowAttrs = {
  auto_pad: str(AUTO_PAD),
  kernel_shape: ints({ min: 1, nonEmpty: true }),
  strides: ints({ min: 1, nonEmpty: true }),
  dilations: ints({ min: 1, nonEmpty: true }),
  pads: ints({ min: 0, nonEmpty: true }),
} as const;

function conv(weight: number): OpSchema {
  return {
    attrs: { ...windowAttrs, group: int({ min: 1 }) },
    rules: [{ rule: 'window', weight }, { rule: 'group', weight }],
  };
}

/** Convolutions, with the index of their weight input. */
export const CONV_SCHEMAS: SchemaTable = {
  Conv: conv(1),
  ConvInteger: conv(1),
  QLinearConv: conv(3),
  ConvTranspose: {
    attrs: { ...windowAttrs, group: int({ min: 1 }), output_padding: ints({ min: 0 }), output_shape: ints({ min: 1 }) },
    rules: [{ rule: 'window', weight: 1 }, { rule: 'group', weight: 1, transposed: true }],
  },
};
