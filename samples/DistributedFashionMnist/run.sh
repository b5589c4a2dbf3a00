#!/usr/bin/env bash
# Data-parallel training on N processes of this machine (default 2): installs the dataset when missing, builds, then
#   mpirun -np N dotnet .../DistributedFashionMnist.dll [options]
# adding --oversubscribe when N exceeds the cores and --allow-run-as-root when run as root. Extra arguments go to the
# sample (e.g. --epochs 3 --network cnn). Ranks: RANKS=4 bash samples/DistributedFashionMnist/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bash samples/ensure-fashion-mnist.sh
command -v mpirun >/dev/null || { echo "mpirun not found: apt-get install openmpi-bin libopenmpi-dev" >&2; exit 1; }
RANKS=${RANKS:-2}
dotnet build -c Release samples/DistributedFashionMnist -v quiet -nologo
flags=()
[ "$RANKS" -gt "$(nproc)" ] && flags+=(--oversubscribe)
[ "$(id -u)" = 0 ] && flags+=(--allow-run-as-root)
set -x
exec mpirun "${flags[@]}" -np "$RANKS" dotnet samples/DistributedFashionMnist/bin/Release/net10.0/DistributedFashionMnist.dll "$@"
