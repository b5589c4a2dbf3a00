#!/usr/bin/env bash
# Reproduces the deployment figures in README.md: binary size, start-to-first-prediction time, peak RSS and
# per-image latency of Native AOT builds (three instruction sets) next to the JIT limited to the same instructions.
#   bash samples/EdgeInference/measure.sh [fashion-mlp.safetensors]      (train first: bash samples/FashionMnist/run.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
weights=$(readlink -f "${1:-fashion-mlp.safetensors}")
out=${OUT:-/tmp/compilednets-edge}
mkdir -p "$out"

publish() {  # NAME [msbuild args]: a Native AOT binary with the weights compiled in
  local name=$1; shift
  dotnet publish samples/EdgeInference -c Release -r linux-x64 -p:EmbedWeights="$weights" -o "$out/$name" "$@" > "$out/$name.log"
}
publish default                                   # no IlcInstructionSet: x86-64-v2 (SSE4.2, Vector128)
publish x86-64-v3 -p:IlcInstructionSet=x86-64-v3  # AVX2 + FMA (Vector256)
publish native -p:IlcInstructionSet=native        # this CPU (AVX-512 here: Vector512)
dotnet build samples/EdgeInference -c Release -o "$out/jit" > "$out/jit.log"   # JIT, weights from the file

median_us() {  # COMMAND...: median wall time of 21 whole-process runs, in microseconds
  for _ in $(seq 21); do
    local start end; start=$(date +%s%N); "$@" > /dev/null; end=$(date +%s%N); echo $(((end - start) / 1000))
  done | sort -n | sed -n 11p
}
peak_rss_kb() { /usr/bin/time -v "$@" 2>&1 > /dev/null | sed -nE 's/.*Maximum resident set size \(kbytes\): //p'; }
latency() { "$@" | sed -nE 's/^latency per image: //p'; }

echo "== binary size (bytes)"
for name in default x86-64-v3 native; do echo "$name: $(stat -c %s "$out/$name/EdgeInference")"; done
echo "jit (framework-dependent, needs the 79 MB shared runtime): $(du -cb "$out/jit"/*.dll | tail -n 1 | cut -f1) bytes of assemblies"

echo "== process start to first prediction, whole process (median of 21; us) and peak RSS (kB)"
for name in default x86-64-v3 native; do
  echo "AOT $name: $(median_us "$out/$name/EdgeInference" --first) us, peak RSS $(peak_rss_kb "$out/$name/EdgeInference" --first) kB"
done
echo "JIT: $(median_us dotnet "$out/jit/EdgeInference.dll" --weights "$weights" --first) us, peak RSS $(peak_rss_kb dotnet "$out/jit/EdgeInference.dll" --weights "$weights" --first) kB"
echo "peak RSS of a full 10,000-image run: AOT default $(peak_rss_kb "$out/default/EdgeInference") kB, JIT $(peak_rss_kb dotnet "$out/jit/EdgeInference.dll" --weights "$weights") kB"

echo "== per-image latency, 10,000 test images, one thread (AOT vs JIT limited to the same instruction set)"
echo "x86-64-v2 / Vector128: AOT $(latency "$out/default/EdgeInference"); JIT $(DOTNET_EnableAVX=0 latency dotnet "$out/jit/EdgeInference.dll" --weights "$weights")"
echo "x86-64-v3 / Vector256: AOT $(latency "$out/x86-64-v3/EdgeInference"); JIT $(DOTNET_EnableAVX512F=0 latency dotnet "$out/jit/EdgeInference.dll" --weights "$weights")"
echo "native / Vector512:    AOT $(latency "$out/native/EdgeInference"); JIT $(latency dotnet "$out/jit/EdgeInference.dll" --weights "$weights")"
echo "== accuracy (every build)"
for name in default x86-64-v3 native; do echo "AOT $name: $("$out/$name/EdgeInference" | sed -nE 's/^accuracy: //p')"; done
echo "JIT: $(dotnet "$out/jit/EdgeInference.dll" --weights "$weights" | sed -nE 's/^accuracy: //p')"
