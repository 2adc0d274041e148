#!/usr/bin/env bash
# Side by side on one machine: qtk and onnxruntime's own quantization tool on the same
# models and calibration data. Runs on a machine with Python + onnxruntime; node and
# onnxruntime-node's Linux binaries come from CARRY (see tools/anchors/README.md).
# Usage: [SEEDS=1,2,3] side-by-side.sh models|ocr. Timed work and latency are pinned to the
# same 2 cores on both sides. Results: JSON lines in $OUT/results-PART.jsonl.
# models: per calibration seed S (SEEDS, default 1), qtk quantizes with the qtk command's
# defaults (`qtk quantize M.onnx -o Q.onnx --calib calib_sS.npy`, bundled as qtk.mjs) and
# onnxruntime's tool with each of its settings, on the same bytes (the qtk side prints
# their SHA-256); evaluate.py scores all of them on the seed's evaluation images.
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
  SEEDS=${SEEDS:-1}
  $PIN node "$C/qtk-side.mjs" "$W" "$SEEDS" | tee -a "$R"
  for s in ${SEEDS//,/ }; do
    for m in ${MODELS:-resnet18 mobilenetv2}; do
      t0=$(date +%s.%N)
      $PIN node "$C/qtk.mjs" quantize "$W/$m.onnx" -o "$W/${m}_s${s}_qtk.onnx" --calib "$W/calib_s$s.npy" > "$W/qtk_s$s.log" || cat "$W/qtk_s$s.log"
      echo "{\"tool\": \"qtk\", \"model\": \"$m\", \"seed\": $s, \"quantize_s\": $(python3 -c "print(round($(date +%s.%N) - $t0, 3))")}" | tee -a "$R"
      args="--model $W/$m.onnx --calib-bin $W/calib_s$s.f32 --input input --sample-shape 1,3,224,224 --n 32"
      o="$W/${m}_s${s}_ort"
      $Q $args --out "${o}_default.onnx" | tee -a "$R"
      $Q $args --out "${o}_u8s8pc.onnx" --act u8 --weight s8 --per-channel | tee -a "$R"
      $Q $args --out "${o}_s8s8pc.onnx" --act s8 --weight s8 --per-channel | tee -a "$R"
      $Q $args --out "${o}_u8s8pc_entropy.onnx" --act u8 --weight s8 --per-channel --method Entropy | tee -a "$R"
      $Q $args --out "${o}_u8s8pc_pct.onnx" --act u8 --weight s8 --per-channel --method Percentile | tee -a "$R"
      $PIN python3 tools/anchors/evaluate.py sqnr "$W/$m.onnx" "$W/eval_s$s.f32" input 1,3,224,224 "$W/${m}_s${s}_qtk.onnx" "$o"_*.onnx | tee -a "$R"
    done
  done
else
  $PIN node "$C/qtk-side.mjs" "$W" "$C/ocr/rec.onnx" fixtures/ocr-lines/calib/lines_u8_n200_48x320.bin 100 entropy | tee -a "$R"
  ocr="--model $C/ocr/rec.onnx --calib-bin $W/ocr_calib.f32 --input x --sample-shape 1,3,48,320 --n 100 --per-channel --act u8 --weight s8"
  $PIN $Q $ocr --out "$W/ocr_ort_entropy.onnx" --method Entropy | tee -a "$R"
  $PIN $Q $ocr --out "$W/ocr_ort_minmax.onnx" --method MinMax | tee -a "$R"
fi
