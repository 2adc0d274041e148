# the bundled digits CNN and its samples: raw float32, 1797 images of 1x8x8
model=fixtures/digits/digits_cnn.onnx
x=fixtures/digits/digits_x_f32_n1797_1x8x8.bin

# static, the defaults (a raw file needs its shape; a .npy file carries its own)
qtk quantize $model -o digits.int8.onnx --calib $x --calib-shape N,1,8,8

# 256 samples drawn at random, batch 16, per-tensor weights, int8 activations, a report
qtk quantize $model -o q.onnx --calib $x --calib-shape N,1,8,8 --calib-size 256 --seed 7 \
    --batch-size 16 --per-tensor --activation-type int8 --report report.json

# percentile calibration that keeps 99.99 % of the values, the first Conv left float
qtk quantize $model -o q.onnx --calib $x --calib-shape N,1,8,8 --method percentile --percentile 99.99 \
    --exclude /f/f.0/Conv

# dynamic, Gemm only
qtk quantize $model -o digits.dyn.onnx --mode dynamic --op-types Gemm

# weight-only 4-bit in blocks of 32
qtk quantize $model -o digits.w4.onnx --mode weight-only --weight-type int4 --block-size 32

# QOperator format with mixed precision
qtk quantize $model -o q.onnx --calib $x --calib-shape N,1,8,8 --format qoperator --min-output-sqnr 30
