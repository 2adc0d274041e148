#!/bin/sh
# Packs the ResNet18 benchmark for a machine without Node or node_modules: a bundle of the
# bench (workspace sources inlined), the minimal onnxruntime-web files, and an xz'd node
# binary, under packages/wasm/.devicebench (git-ignored). Run there: devicebench/run.sh resnet18 [runs] [--profile].
set -e
cd "$(dirname "$0")/../../.."
out=packages/wasm/.devicebench
mkdir -p "$out/node_modules/onnxruntime-web/dist"
[ -f "$out/node.xz" ] || xz -T2 -6 -c "$(readlink -f "$(command -v node)")" > "$out/node.xz"
for b in resnet18 kernels; do
  npx esbuild "packages/wasm/bench/$b.ts" --bundle --platform=node --format=esm --conditions=@qtk/source \
    --external:onnxruntime-web --external:onnxruntime-node --outfile="$out/$b.mjs" --log-level=warning \
    --banner:js="import { createRequire } from 'module'; const require = createRequire(import.meta.url);"
done
cp node_modules/onnxruntime-web/package.json "$out/node_modules/onnxruntime-web/"
cp node_modules/onnxruntime-web/dist/ort.node.min.mjs node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm \
  node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs "$out/node_modules/onnxruntime-web/dist/"
rm -rf "$out/node_modules/onnxruntime-common" && cp -r node_modules/onnxruntime-common "$out/node_modules/"
cat > "$out/run.sh" <<'RUN'
#!/bin/sh
set -e
cd "$(dirname "$0")"
[ -x /tmp/node ] || xz -dc node.xz > /tmp/node && chmod +x /tmp/node
script="$1"; shift
/tmp/node "$script.mjs" "$@"
RUN
chmod +x "$out/run.sh"
