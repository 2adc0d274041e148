# the digits CNN (with accuracy on its labelled test rows) on onnxruntime-node and qtk's own engine
qtk bench --models digits --runtimes onnxruntime-node,qtk-wasm --iterations 20 --out bench-digits

# a model file against your own quantized file, onnxruntime-node at one and two threads
qtk quantize fixtures/digits/digits_cnn.onnx -o digits.int8.onnx \
    --calib fixtures/digits/digits_x_f32_n1797_1x8x8.bin --calib-shape N,1,8,8
qtk bench --models fixtures/digits/digits_cnn.onnx --precisions fp32,file:digits.int8.onnx \
    --runtimes onnxruntime-node --threads 1,2 --warmup 2 --batch-sizes 1,8 --out bench-file
