model=fixtures/digits/digits_cnn.onnx
x=fixtures/digits/digits_x_f32_n1797_1x8x8.bin

qtk quantize $model -o digits.int8.onnx --calib $x --calib-shape N,1,8,8 --method minmax
qtk compare $model digits.int8.onnx --data $x --data-shape N,1,8,8 --top 5 --json quality.json
