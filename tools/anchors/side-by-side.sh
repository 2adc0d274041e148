#!/usr/bin/env bash
# Side by side on one machine: qtk and onnxruntime's own quantization tool on the same
# models and calibration data. Runs on a machine with Python + onnxruntime; node and
# onnxruntime-node's Linux binaries come from CARRY (see tools/anchors/README.md).
# Usage: side-by-side.sh models|ocr. Timed work and latency are pinned to the same 2 cores
# on both sides. Results: JSON lines in $OUT/results-PART.jsonl.
set -uo pipefail
PART=${1:-models}
C=${CARRY:-.carry}; W=/tmp/sbs; OUT=${OUT:-/tmp/sbs-out}; mkdir -p "$W/bin" "$OUT"
if [ ! -x "$W/bin/node" ]; then
  xz -dc "$C/node.xz" > "$W/bin/node" && chmod +x "$W/bin/node"
  mkdir -p "$C/node_modules/onnxruntime-node/bin/napi-v6/linux/x64"
  tar xJf "$C/ort-linux-x64.tar.xz" -C "$C/node_modules/onnxruntime-node/bin/napi-v6/linux/x64"
fi
export PATH="$W/bin:$PATH"
PIN="taskset -c 0,1"; R="$OUT/results-$PART.jsonl"; : > "$R"
Q="python3 $C/ort_quantize.py"
if [ "$PART" = models ]; then
  $PIN node "$C/qtk-side.mjs" "$W" | tee -a "$R"
  for m in resnet18 mobilenetv2; do
    args="--model $W/$m.onnx --calib-bin $W/calib.f32 --input input --sample-shape 1,3,224,224 --n 32"
    $Q $args --out "$W/${m}_ort_default.onnx" | tee -a "$R"
    $Q $args --out "$W/${m}_ort_u8s8pc.onnx" --act u8 --weight s8 --per-channel | tee -a "$R"
    $Q $args --out "$W/${m}_ort_s8s8pc.onnx" --act s8 --weight s8 --per-channel | tee -a "$R"
    $Q $args --out "$W/${m}_ort_u8s8pc_entropy.onnx" --act u8 --weight s8 --per-channel --method Entropy | tee -a "$R"
    $Q $args --out "$W/${m}_ort_u8s8pc_pct.onnx" --act u8 --weight s8 --per-channel --method Percentile | tee -a "$R"
    $PIN python3 tools/anchors/evaluate.py sqnr "$W/$m.onnx" "$W/eval.f32" input 1,3,224,224 "$W/${m}_qtk.onnx" "$W"/${m}_ort_*.onnx | tee -a "$R"
  done
  for f in resnet18_ort_default resnet18_ort_u8s8pc mobilenetv2_ort_default mobilenetv2_ort_u8s8pc mobilenetv2_ort_s8s8pc; do cp "$W/$f.onnx" "$OUT/" 2>/dev/null; done
else
  $PIN node "$C/qtk-side.mjs" "$W" "$C/ocr/rec.onnx" fixtures/ocr-lines/calib/lines_u8_n200_48x320.bin 100 entropy | tee -a "$R"
  ocr="--model $C/ocr/rec.onnx --calib-bin $W/ocr_calib.f32 --input x --sample-shape 1,3,48,320 --n 100 --per-channel --act u8 --weight s8"
  $PIN $Q $ocr --out "$W/ocr_ort_entropy.onnx" --method Entropy | tee -a "$R"
  $PIN $Q $ocr --out "$W/ocr_ort_minmax.onnx" --method MinMax | tee -a "$R"
fi
