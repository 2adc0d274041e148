// LayerNormalization over the trailing `cols` elements of each row.

/**
 * y = (x - mean) / sqrt(var + eps) * scale + bias per row; bias pointer 0 means none. The
 * row means and 1/sqrt(var + eps) are written to meanOut/invOut unless those are 0.
 */
export function layerNormF32(x: usize, y: usize, rows: i32, cols: i32, scale: usize, bias: usize, eps: f32, meanOut: usize, invOut: usize): void {
  for (let r = 0; r < rows; r++) {
    const src = x + ((<usize>r * cols) << 2);
    const dst = y + ((<usize>r * cols) << 2);
    let s: f64 = 0;
    for (let j = 0; j < cols; j++) s += <f64>load<f32>(src + (<usize>j << 2));
    const mean = <f32>(s / <f64>cols);
    let v: f64 = 0;
    for (let j = 0; j < cols; j++) {
      const d = <f64>(load<f32>(src + (<usize>j << 2)) - mean);
      v += d * d;
    }
    const inv = <f32>(1.0 / Math.sqrt(v / <f64>cols + <f64>eps));
    if (meanOut) store<f32>(meanOut + (<usize>r << 2), mean);
    if (invOut) store<f32>(invOut + (<usize>r << 2), inv);
    for (let j = 0; j < cols; j++) {
      const b: f32 = bias ? load<f32>(bias + (<usize>j << 2)) : 0;
      store<f32>(dst + (<usize>j << 2), (load<f32>(src + (<usize>j << 2)) - mean) * inv * load<f32>(scale + (<usize>j << 2)) + b);
    }
  }
}
