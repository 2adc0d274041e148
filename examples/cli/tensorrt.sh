# Quantizing for TensorRT: the bundled digits CNN and its samples (raw float32, 1x8x8)
model=fixtures/digits/digits_cnn.onnx
x=fixtures/digits/digits_x_f32_n1797_1x8x8.bin

# INT8 Q/DQ placed by TensorRT's rules, entropy calibration (EntropyCalibration2), and
# TensorRT's calibration cache of the same ranges
qtk quantize $model -o digits.trt.onnx --backend tensorrt --calib $x --calib-shape N,1,8,8 \
    --calib-size 256 --calibration-cache digits.cache

# the same Q/DQ from the cache alone: no calibration data, nothing calibrated
qtk quantize $model -o digits.trt-from-cache.onnx --backend tensorrt --from-cache digits.cache

# the MinMax calibrator, with a cache for TensorRT 8.6.1
qtk quantize $model -o digits.trt-minmax.onnx --backend tensorrt --calib $x --calib-shape N,1,8,8 \
    --method minmax --calibration-cache digits-minmax.cache --trt-version 8.6.1

# FP8 E4M3 (the model is raised to opset 19; scales from each tensor's absolute maximum)
qtk quantize $model -o digits.fp8.onnx --backend tensorrt --precision fp8 --calib $x --calib-shape N,1,8,8
