#!/usr/bin/env bash
# One command on a fresh machine: installs the Fashion-MNIST dataset when missing, then trains and evaluates the LSTM that
# reads each image as 28 rows of 28 pixels, and saves its weights. Extra arguments go to the sample (e.g. --epochs 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash samples/ensure-fashion-mnist.sh
exec dotnet run -c Release --project samples/SequentialFashionMnist -- "$@"
