#!/usr/bin/env bash
# One command: installs the Fashion-MNIST dataset when missing, then runs the hyperparameter search sample.
# Extra arguments go to the sample (e.g. --trials 9 --max-epochs 9 --limit 60000).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash samples/ensure-fashion-mnist.sh
exec dotnet run -c Release --project samples/HyperparameterSearch -- "$@"
