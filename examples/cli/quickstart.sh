model=fixtures/digits/digits_cnn.onnx                  # the bundled digits CNN
calib=fixtures/digits/digits_x_f32_n1797_1x8x8.bin     # its samples: raw float32 [1797, 1, 8, 8]

npx qtk inspect $model                                   # inputs, outputs, opsets, op counts, parameters
npx qtk quantize $model -o digits.int8.onnx --calib $calib --calib-shape N,1,8,8   # static (QDQ)
npx qtk quantize $model -o digits.dyn.onnx --mode dynamic                          # dynamic
npx qtk quantize $model -o q.onnx --calib $calib --calib-shape N,1,8,8 --method percentile --per-tensor
npx qtk quantize $model -o q.onnx --calib $calib --calib-shape N,1,8,8 \
    --config examples/cli/quant.json --calib-size 256 --report report.json        # JSON options; flags override
npx qtk compare $model digits.int8.onnx --data $calib --data-shape N,1,8,8 --top 5  # SQNR per node and output
npx qtk quantize --help                                  # every option, grouped, with its default
