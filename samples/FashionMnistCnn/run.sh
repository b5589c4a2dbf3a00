#!/usr/bin/env bash
# One command on a fresh machine: installs the Fashion-MNIST dataset when missing, then trains and evaluates
# the conv(32)-pool-conv(64)-pool-128-10 CNN and saves its weights. Extra arguments go to the sample (e.g. --epochs 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash samples/ensure-fashion-mnist.sh
exec dotnet run -c Release --project samples/FashionMnistCnn -- "$@"
