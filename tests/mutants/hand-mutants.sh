#!/usr/bin/env bash
# Applies each hand-seeded mutant of issue 20 to a scratch copy of the working tree, builds, runs the tests meant to
# catch it and reports KILLED (a test failed) or SURVIVED. The working tree itself is never modified.
# The test project is built once; each mutant then rebuilds only CompiledNets.Runtime (every mutant lives there and
# leaves its public surface alone) and drops the assembly next to the tests.
# Usage: tests/mutants/hand-mutants.sh [MUTANT_NAME...]   (default: all)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=${MUTANT_SCRATCH:-/tmp/compilednets-mutants}
mkdir -p "$scratch" && (cd "$root" && tar --exclude=./.git --exclude='*/bin' --exclude='*/obj' -cf - .) | tar -xf - -C "$scratch"
tests_bin="$scratch/tests/CompiledNets.Tests/bin/Release/net10.0"
(cd "$scratch" && dotnet build tests/CompiledNets.Tests -c Release -v q -nologo > "$scratch/baseline.build.log" 2>&1) \
  || { echo "the unmutated tree does not build: see $scratch/baseline.build.log"; exit 1; }

# name | file | sed expression | test filter
mutants=(
  "bn-biased-running-variance|src/Runtime/Kernels/BatchNormKernels.cs|s#double unbiased = count > 1 ? squares / (count - 1) : variance;#double unbiased = variance;#|FullyQualifiedName~ConvNumericsTests|FullyQualifiedName~BatchNormKernelsTests"
  "bn-momentum-swapped|src/Runtime/Kernels/BatchNormKernels.cs|s#(1 - _momentum) \* _runningMean\[ch\] + _momentum \* batchMean#_momentum * _runningMean[ch] + (1 - _momentum) * batchMean#|FullyQualifiedName~ConvNumericsTests|FullyQualifiedName~BatchNormKernelsTests"
  "shuffle-reseeded-every-epoch|src/Runtime/Training/Trainer.Fit.cs|s#if (_options.Shuffle) random.Shuffle(_order);#random = new SeededRandom(seed); if (_options.Shuffle) random.Shuffle(_order);#|FullyQualifiedName~ShuffleTests|FullyQualifiedName~TrainerTests"
  "min-delta-sign-lower|src/Runtime/Training/EarlyStopping.cs|s#value < best - MinDelta#value < best + MinDelta#|FullyQualifiedName~EarlyStoppingTests|FullyQualifiedName~TrainerTests"
  "min-delta-sign-higher|src/Runtime/Training/EarlyStopping.cs|s#value > best + MinDelta#value > best - MinDelta#|FullyQualifiedName~EarlyStoppingTests|FullyQualifiedName~TrainerTests"
  "dropout-scalar-scale|src/Runtime/Kernels/DropoutKernels.cs|s#float m = u >= threshold ? keepScale : 0f;#float m = u >= threshold ? 1f : 0f;#|FullyQualifiedName~DropoutKernelsTests|FullyQualifiedName~DeclaredNetworkNumericsTests|FullyQualifiedName~ConvNumericsTests"
  "seeded-random-rotation|src/Runtime/SeededRandom.cs|s#RotateLeft(_s1 \* 5, 7) \* 9#RotateLeft(_s1 * 5, 8) * 9#|FullyQualifiedName~SeededRandomTests"
  "gemm512-last-row-column|src/Runtime/Kernels/GemmMicroKernel512.cs|s#c71 = SimdMath.MultiplyAdd(a7, b1, c71);#c71 = SimdMath.MultiplyAdd(a7, b0, c71);#|FullyQualifiedName~VectorWidthNetworkTests.WidePredictions"
)

selected=("$@")
for entry in "${mutants[@]}"; do
  IFS='|' read -r name file expr filter <<<"$entry"
  filter=${entry#*|*|*|}
  if [ ${#selected[@]} -gt 0 ] && [[ ! " ${selected[*]} " =~ " $name " ]]; then continue; fi
  cp "$root/$file" "$scratch/$file"
  sed -i "$expr" "$scratch/$file"
  if cmp -s "$root/$file" "$scratch/$file"; then echo "$name: NOT APPLIED (pattern not found in $file)"; continue; fi
  start=$(date +%s)
  if ! (cd "$scratch" && dotnet build src/Runtime -c Release -v q -nologo > "$scratch/$name.build.log" 2>&1 \
        && cp src/Runtime/bin/Release/net10.0/CompiledNets.Runtime.dll "$tests_bin/"); then
    echo "$name: BUILD FAILED (see $scratch/$name.build.log)"
  elif (cd "$scratch" && dotnet test tests/CompiledNets.Tests -c Release --no-build --filter "$filter" > "$scratch/$name.test.log" 2>&1); then
    echo "$name: SURVIVED ($filter) $(( $(date +%s) - start )) s"
  else
    failed=$(grep -oE 'Failed CompiledNets[^ ]+' "$scratch/$name.test.log" | sed 's/Failed //' | sort -u | tr '\n' ' ')
    echo "$name: KILLED by $failed($(( $(date +%s) - start )) s)"
  fi
  cp "$root/$file" "$scratch/$file"
done
# Leave the scratch tree unmutated.
(cd "$scratch" && dotnet build src/Runtime -c Release -v q -nologo > /dev/null 2>&1 && cp src/Runtime/bin/Release/net10.0/CompiledNets.Runtime.dll "$tests_bin/")
