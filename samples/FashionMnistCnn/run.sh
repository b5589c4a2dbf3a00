#!/usr/bin/env bash
# One command on a fresh machine: installs the Fashion-MNIST dataset when missing, then trains and evaluates
# the conv(32)-pool-conv(64)-pool-128-10 CNN and saves its weights. Extra arguments go to the sample (e.g. --epochs 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=/usr/share/datasets/fashion-mnist
if [ ! -f "$DATA/train-images-idx3-ubyte.gz" ]; then
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
  echo "Installing the Fashion-MNIST dataset (Debian package dataset-fashion-mnist)..."
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq dataset-fashion-mnist
fi
exec dotnet run -c Release --project samples/FashionMnistCnn -- "$@"
