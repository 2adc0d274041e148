qtk quantize fixtures/digits/digits_cnn.onnx -o q.onnx --calib fixtures/digits/digits_x_f32_n1797_1x8x8.bin \
    --calib-shape N,1,8,8 --config examples/cli/quant.json --per-tensor
