#!/usr/bin/env bash
# One command on a fresh machine: installs the Fashion-MNIST dataset when missing, then trains and evaluates
# the 784-256-128-10 MLP and saves its weights. Extra arguments go to the sample (e.g. --epochs 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash samples/ensure-fashion-mnist.sh
exec dotnet run -c Release --project samples/FashionMnist -- "$@"
