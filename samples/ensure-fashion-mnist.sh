#!/usr/bin/env bash
# Installs the real Fashion-MNIST (Debian package dataset-fashion-mnist) when it is not there yet.
set -euo pipefail
DATA=/usr/share/datasets/fashion-mnist
if [ ! -f "$DATA/train-images-idx3-ubyte.gz" ]; then
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
  echo "Installing the Fashion-MNIST dataset (Debian package dataset-fashion-mnist)..."
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq dataset-fashion-mnist
fi
