/** Attribute schemas of data movement ops: reshaping, slicing, gathering, padding, resizing, casts, constants. */
import { flag, float, int, ints, plain, str, type SchemaTable } from './types.js';

/** Resize modes of every opset (Upsample's 'bilinear' of opset 1 included). */
const RESIZE_MODES = ['nearest', 'linear', 'cubic', 'bilinear'];

/** Shape, layout and indexing ops. */
export const SHAPE_SCHEMAS: SchemaTable = {
  Reshape: { attrs: { allowzero: flag(), shape: ints(), consumed_inputs: ints() } },
  Flatten: { attrs: { axis: int({ axis: { input: 0, inclusive: true } }) } },
  Squeeze: { attrs: { axes: ints({ axes: { input: 0 }, unique: true }) } },
  Unsqueeze: { attrs: { axes: ints({ unique: true }) } },
  Transpose: { attrs: { perm: ints({ min: 0, unique: true }) }, rules: [{ rule: 'permutation', attr: 'perm', input: 0 }] },
  Concat: { attrs: { axis: int({ axis: { input: 0 } }) } },
  Split: { attrs: { axis: int({ axis: { input: 0 } }), split: ints({ min: 0 }), num_outputs: int({ min: 1 }) } },
  Slice: { attrs: { starts: ints(), ends: ints(), axes: ints({ axes: { input: 0 }, unique: true }) } },
  Gather: { attrs: { axis: int({ axis: { input: 0 } }) } },
  GatherElements: { attrs: { axis: int({ axis: { input: 0 } }) } },
  GatherND: { attrs: { batch_dims: int({ min: 0 }) } },
  Expand: { attrs: {} },
  Tile: { attrs: {} },
  Shape: { attrs: { start: int(), end: int() } },
  Size: { attrs: {} },
  Range: { attrs: {} },
  DepthToSpace: { attrs: { blocksize: int({ min: 1 }), mode: str(['DCR', 'CRD']) }, rules: [{ rule: 'required', attrs: ['blocksize'] }] },
  SpaceToDepth: { attrs: { blocksize: int({ min: 1 }) }, rules: [{ rule: 'required', attrs: ['blocksize'] }] },
  Pad: { attrs: { mode: str(['constant', 'reflect', 'edge', 'wrap']), pads: ints(), paddings: ints(), value: float() } },
  Resize: {
    attrs: {
      mode: str(RESIZE_MODES),
      coordinate_transformation_mode: str(['half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn', 'tf_crop_and_resize']),
      nearest_mode: str(['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']),
      cubic_coeff_a: float(),
      exclude_outside: flag(),
      extrapolation_value: float(),
      antialias: flag(),
      axes: ints({ axes: { input: 0 }, unique: true }),
      keep_aspect_ratio_policy: str(['stretch', 'not_larger', 'not_smaller']),
    },
  },
  Upsample: { attrs: { mode: str(RESIZE_MODES), scales: plain('floats'), height_scale: float({ min: 0 }), width_scale: float({ min: 0 }) } },
  TopK: { attrs: { axis: int({ axis: { input: 0 } }), largest: flag(), sorted: flag(), k: int({ min: 0 }) } },
  CumSum: { attrs: { exclusive: flag(), reverse: flag() } },
};

/** Type conversion and constants. */
export const VALUE_SCHEMAS: SchemaTable = {
  Cast: { attrs: { to: int({ min: 1 }), saturate: flag(), round_mode: str() }, rules: [{ rule: 'required', attrs: ['to'] }] },
  CastLike: { attrs: { saturate: flag(), round_mode: str() } },
  Constant: {
    attrs: {
      value: plain('tensor'), sparse_value: plain('opaque'), value_float: float(), value_floats: plain('floats'),
      value_int: int(), value_ints: ints(), value_string: str(), value_strings: plain('strings'),
    },
    rules: [{ rule: 'exactlyOne', attrs: ['value', 'sparse_value', 'value_float', 'value_floats', 'value_int', 'value_ints', 'value_string', 'value_strings'] }],
  },
  ConstantOfShape: { attrs: { value: plain('tensor') } },
};
