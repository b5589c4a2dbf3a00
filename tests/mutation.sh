#!/usr/bin/env bash
# Mutation testing with Stryker.NET on one folder (or file glob) of the product, against the tests that cover it.
#
#   tests/mutation.sh FOLDER [--filter EXPR] [--since[=REF]] [--in-place]
#
#   FOLDER    src/Runtime/Training, src/Runtime/Checkpoints, src/Runtime/Data, src/Generator/Shapes, ... or a glob
#             such as 'src/Runtime/Kernels/*Activation*.cs'. Only files under it are mutated.
#   --filter  a dotnet test --filter expression choosing the tests run against each mutant (default: the table below;
#             running the whole suite per mutant would take hours on this machine).
#   --since   mutate only what changed since REF (default main): the way to check a change before review. Runs in
#             place (Stryker reads the git history of this working tree).
#   --in-place  run in this working tree instead of a scratch copy (the copy lets you keep building meanwhile).
#
# Reports: tests/mutation-reports/<folder>/reports/mutation-report.{html,json,md}; the score is printed at the end.
# The tool comes from .config/dotnet-tools.json (dotnet-stryker 5.1.0): `dotnet tool restore` installs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,16p' "$0"; exit 2; }
target=${1%/}; shift
filter="" since="" in_place=0
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) filter=$2; shift 2 ;;
    --since) since="--since:main"; in_place=1; shift ;;
    --since=*) since="--since:${1#--since=}"; in_place=1; shift ;;
    --in-place) in_place=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

case "$target" in
  src/Runtime/*) project=CompiledNets.Runtime.csproj; project_dir=src/Runtime ;;
  src/Generator/*) project=CompiledNets.Generator.csproj; project_dir=src/Generator ;;
  src/Onnx/*) project=CompiledNets.Onnx.csproj; project_dir=src/Onnx ;;
  src/Gpu/*) project=CompiledNets.Gpu.csproj; project_dir=src/Gpu ;;
  *) echo "FOLDER must be under src/Runtime, src/Generator, src/Onnx or src/Gpu" >&2; exit 2 ;;
esac

# The tests that exercise each folder (the ones a mutant there can fail).
if [ -z "$filter" ]; then
  case "$target" in
    src/Runtime/Training/Optimizers*) filter="FullyQualifiedName~OptimizerTests" ;;
    src/Runtime/Training*) filter="FullyQualifiedName~CompiledNets.Tests.Training." ;;
    src/Runtime/Checkpoints*) filter="FullyQualifiedName~CompiledNets.Tests.Checkpoints.|FullyQualifiedName~BatchNormCheckpointTests" ;;
    src/Runtime/Data*) filter="FullyQualifiedName~CompiledNets.Tests.Data." ;;
    src/Runtime/Kernels/*Activation*) filter="FullyQualifiedName~ActivationTests|FullyQualifiedName~SoftmaxTests" ;;
    src/Generator/Shapes*|src/Generator/Diagnostics*) filter="FullyQualifiedName~DiagnosticTests|FullyQualifiedName~ConvDiagnosticTests" ;;
    *) echo "no default test filter for $target: pass --filter" >&2; exit 2 ;;
  esac
fi

# Stryker matches globs against paths relative to the mutated project's folder.
relative=${target#"$project_dir"/}
case "$relative" in *.cs) glob="**/$relative" ;; *) glob="**/$relative/**/*.cs" ;; esac

name=$(echo "$target" | sed 's#^src/##; s#[^A-Za-z0-9]\+#-#g; s#-$##')
reports="$root/tests/mutation-reports/$name"
work="$root"
if [ "$in_place" = 0 ]; then
  # A scratch copy (with the git link, for --since): Stryker builds and swaps assemblies in its bin folders.
  work="${TMPDIR:-/tmp}/compilednets-stryker-$name"
  rm -rf "$work" && mkdir -p "$work"
  (cd "$root" && tar --exclude='./tests/mutation-reports' --exclude='*/bin' --exclude='*/obj' -cf - .) | tar -xf - -C "$work"
fi

cd "$work"
dotnet tool restore > /dev/null
# Stryker's project analysis (Buildalyzer) gives up when `dotnet --info` takes over 10 s, which it does on a loaded
# machine ("Could not find build environment"): give it two minutes.
export DOTNET_INFO_WAIT_TIME=${DOTNET_INFO_WAIT_TIME:-120000}
start=$(date +%s)
cd tests/CompiledNets.Tests
set +e
dotnet stryker --project "$project" --mutate "$glob" --test-case-filter "$filter" \
  --concurrency "${STRYKER_CONCURRENCY:-1}" --configuration Release --skip-version-check \
  --reporter Progress --reporter ClearText --reporter Json --reporter Html --reporter Markdown \
  --threshold-high 90 --threshold-low 80 --output "$work/StrykerOutput/$name" $since
status=$?
set -e
elapsed=$(( $(date +%s) - start ))
mkdir -p "$reports"
cp -r "$work/StrykerOutput/$name/reports" "$reports/" 2>/dev/null || true
echo "mutation run of $target ($glob; tests: $filter) took ${elapsed} s; reports in $reports/reports"
exit $status
