// A --metric module for `qtk quantize --backend openvino`: top-1 accuracy of the digits
// CNN against the labels of the bundled samples. `run(feeds)` runs the model under test
// and gives its outputs by name; `dataset` is the list of --validation feeds, in file order.
import { readFileSync } from 'node:fs';

const labels = readFileSync('fixtures/digits/digits_y_u8_n1797.bin');

export default async function accuracy(run, dataset) {
  let right = 0;
  for (const [i, feeds] of dataset.entries()) {
    const logits = Object.values(await run(feeds))[0].toNumbers();
    if (logits.indexOf(Math.max(...logits)) === labels[i]) right++;
  }
  return right / dataset.length;
}
