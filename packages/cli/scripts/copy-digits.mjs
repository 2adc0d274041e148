// Copies the digits fixture (the workspace's fixtures/digits) into dist/fixtures/digits, so
// the published package carries the model and data that `qtk demo` and `qtk bench --models
// digits` read: findDigitsDir() walks up from dist/commands and finds it there.
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../../fixtures/digits/', import.meta.url));
const to = fileURLToPath(new URL('../dist/fixtures/digits/', import.meta.url));
mkdirSync(to, { recursive: true });
for (const file of ['README.md', 'digits_cnn.onnx', 'digits_x_f32_n1797_1x8x8.bin', 'digits_y_u8_n1797.bin']) {
  copyFileSync(from + file, to + file);
}
