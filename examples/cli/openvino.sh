# Quantizing for OpenVINO (NNCF's rules): the bundled digits CNN and its samples (raw float32, 1x8x8)
model=fixtures/digits/digits_cnn.onnx
x=fixtures/digits/digits_x_f32_n1797_1x8x8.bin

# NNCF's quantize: preset performance (symmetric int8 activations, zero point 0), the
# first 300 samples, fast bias correction
qtk quantize $model -o digits.ov.onnx --backend openvino --calib $x --calib-shape N,1,8,8

# preset mixed (asymmetric uint8 activations) for the CPU, the Gemm kept float
qtk quantize $model -o digits.ov-mixed.onnx --backend openvino --calib $x --calib-shape N,1,8,8 \
    --preset mixed --target-device CPU --ignored-scope-types Gemm

# accuracy control: the metric of examples/cli/digits-accuracy.mjs on every sample may drop
# by 0.005 at most; the quantized nodes that hurt it most go back to float until it holds
qtk quantize $model -o digits.ov-ac.onnx --backend openvino --calib $x --calib-shape N,1,8,8 \
    --subset-size 200 --validation $x --metric examples/cli/digits-accuracy.mjs --max-drop 0.005
