#!/usr/bin/env bash
# Line and branch coverage of the product assemblies by the test suite (coverlet.collector), per project, with the
# uncovered lines listed per file.
#
#   tests/coverage.sh [--filter EXPR] [--no-build]
#
# Writes TestResults/coverage/summary.md (the table tests/README.md quotes) and uncovered.txt (file: line ranges).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) args+=(--filter "$2"); shift 2 ;;
    --no-build) args+=(--no-build); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
out="$root/TestResults/coverage"
rm -rf "$out" && mkdir -p "$out"
# Only the product assemblies; the test assembly (and the networks the generator compiled into it) is not product code.
# The GPU kernels stay uninstrumented: ILGPU compiles them from their IL, and coverlet's hit counters in that IL make
# it fail ("Could not start a Cpu accelerator: An internal compiler error has been detected").
set +e
dotnet test tests/CompiledNets.Tests -c Release "${args[@]}" --results-directory "$out/raw" \
  --collect:"XPlat Code Coverage" -- \
  'DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.Format=cobertura' \
  'DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.Include=[CompiledNets.Runtime]*,[CompiledNets.Generator]*,[CompiledNets.Onnx]*,[CompiledNets.Gpu]*' \
  'DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.Exclude=[CompiledNets.Gpu]CompiledNets.Gpu.Kernels.*' \
  'DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.ExcludeByAttribute=GeneratedCodeAttribute,CompilerGeneratedAttribute'
status=$?
set -e
[ "$status" = 0 ] || echo "warning: tests failed under coverage (exit $status); the report covers the tests that ran" >&2
report=$(find "$out/raw" -name 'coverage.cobertura.xml' | head -n 1)
[ -n "$report" ] || { echo "no coverage report was written" >&2; exit 1; }
python3 "$root/tests/coverage-summary.py" "$report" "$root" "$out"
