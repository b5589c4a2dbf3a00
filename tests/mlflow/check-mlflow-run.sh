#!/usr/bin/env bash
# Reads runs written by CompiledNets' MlflowRunLogger back with MLflow's own Python client (MlflowClient on the file
# store): experiments, runs, status, params, metric histories with steps, artifacts. Installs the client first when
# missing; when it cannot be installed (no PyPI access, no Debian package) it says so and exits 0 as SKIPPED: the
# layout is still checked against MLflow's file-store format by MlflowFileStoreTests in the test suite.
#   bash tests/mlflow/check-mlflow-run.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}

if ! "$PY" -c "import mlflow" 2>/dev/null; then
  echo "MLflow's Python client is missing; trying pip (mlflow-skinny), then Debian..."
  timeout 30 "$PY" -m pip install --quiet --retries 0 --timeout 10 mlflow-skinny >/dev/null 2>&1 \
    || { command -v apt-cache >/dev/null && apt-cache show python3-mlflow >/dev/null 2>&1 && apt-get install -y -qq python3-mlflow >/dev/null 2>&1; } \
    || true
  if ! "$PY" -c "import mlflow" 2>/dev/null; then
    echo "SKIPPED: MLflow's Python client could not be installed (pip could not reach PyPI and Debian has no mlflow package)."
    echo "         The file-store layout is checked by MlflowFileStoreTests (dotnet test --filter MlflowFileStoreTests)."
    exit 0
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash samples/ensure-fashion-mnist.sh >/dev/null
if ! dotnet run -c Release --project samples/HyperparameterSearch -- --trials 3 --min-epochs 1 --max-epochs 3 --limit 1500 \
     --mlruns "$work/mlruns" --out "$work" > "$work/sample.log" 2>&1; then
  cat "$work/sample.log"; echo "mlflow check: FAILED (the sample failed)"; exit 1
fi

"$PY" - "$work/mlruns" <<'EOF'
import sys
from mlflow.tracking import MlflowClient

client = MlflowClient(tracking_uri="file:" + sys.argv[1])
experiment = client.get_experiment_by_name("fashion-mlp-search")
assert experiment is not None, "experiment fashion-mlp-search not found"
runs = client.search_runs([experiment.experiment_id])
names = sorted(run.info.run_name for run in runs)
assert names == ["default", "trial-1", "trial-2", "trial-3"], names
for run in runs:
    assert run.info.status == "FINISHED", (run.info.run_name, run.info.status)
    assert float(run.data.params["learning_rate"]) > 0, run.data.params
    assert "weight_decay" in run.data.params and run.data.params["optimizer"] == "adamw", run.data.params
    history = client.get_metric_history(run.info.run_id, "val_accuracy")
    steps = [m.step for m in history]
    assert steps == list(range(1, len(steps) + 1)) and len(steps) in (1, 3), steps
    assert all(0 <= m.value <= 1 and m.timestamp > 0 for m in history)
    artifacts = sorted(a.path for a in client.list_artifacts(run.info.run_id))
    assert {"history.csv", "history.json", "training_curves.svg"} <= set(artifacts), artifacts
print(f"mlflow check: ok ({len(runs)} runs read back with MLflow's client)")
EOF
