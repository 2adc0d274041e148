# Output SQNR of each calibration method on the digits CNN (docs/quantization.md, "Which to
# pick"): 256 samples drawn, 16 of them held back; quality is measured on those
# (each summary prints it: quality: output 'logits': SQNR ... dB).
model=fixtures/digits/digits_cnn.onnx
x=fixtures/digits/digits_x_f32_n1797_1x8x8.bin
qtk quantize $model -o minmax.onnx --calib $x --calib-shape N,1,8,8 --calib-size 256 --batch-size 16 --method minmax --report minmax.json
qtk quantize $model -o percentile.onnx --calib $x --calib-shape N,1,8,8 --calib-size 256 --batch-size 16 --method percentile --report percentile.json
qtk quantize $model -o mse.onnx --calib $x --calib-shape N,1,8,8 --calib-size 256 --batch-size 16 --method mse --report mse.json
qtk quantize $model -o entropy.onnx --calib $x --calib-shape N,1,8,8 --calib-size 256 --batch-size 16 --method entropy --report entropy.json
qtk quantize $model -o moving-average.onnx --calib $x --calib-shape N,1,8,8 --calib-size 256 --batch-size 16 --method moving-average --report moving-average.json
qtk quantize $model -o mean-minmax.onnx --calib $x --calib-shape N,1,8,8 --calib-size 256 --batch-size 16 --method mean-minmax --report mean-minmax.json
