// Softmax and LogSoftmax over the last axis of rows x cols.

/** y = softmax(x) (log-softmax when `log`) of each of `rows` rows of `cols` floats. */
export function softmaxF32(x: usize, y: usize, rows: i32, cols: i32, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const src = x + ((<usize>r * cols) << 2);
    const dst = y + ((<usize>r * cols) << 2);
    let m: f32 = -Infinity;
    for (let j = 0; j < cols; j++) m = max(m, load<f32>(src + (<usize>j << 2)));
    let s: f64 = 0;
    for (let j = 0; j < cols; j++) {
      const e = Mathf.exp(load<f32>(src + (<usize>j << 2)) - m);
      if (!log) store<f32>(dst + (<usize>j << 2), e);
      s += <f64>e;
    }
    if (log) {
      const ls = <f32>Math.log(s);
      for (let j = 0; j < cols; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)) - m - ls);
    } else {
      const inv = <f32>(1.0 / s);
      for (let j = 0; j < cols; j++) store<f32>(dst + (<usize>j << 2), load<f32>(dst + (<usize>j << 2)) * inv);
    }
  }
}
