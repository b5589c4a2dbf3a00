#!/usr/bin/env bash
# Regenerates the campaign table in README.md's "Reliability" section (issue 15) from the counts the campaign tests
# record themselves: the declaration fuzzer, the generated checkpoint corruptions and the generated bad data files.
# Usage: bash tests/campaign-table.sh   (FUZZ_DECLARATIONS=N to change the fuzzer's size, default 10000;
#        CAMPAIGN_LOG=file keeps the test log, with each campaign's own summary line, e.g. the fuzzer's
#        "10000 declarations in 50 compilations: ... files generated, ... CN diagnostics, 0 failures")
set -uo pipefail
cd "$(dirname "$0")/.."
figures=$(mktemp)
log=$(mktemp)
CAMPAIGN_FIGURES_FILE="$figures" FUZZ_DECLARATIONS="${FUZZ_DECLARATIONS:-10000}" \
  dotnet test tests/CompiledNets.Tests -c Release \
  --filter "FullyQualifiedName~DeclarationFuzzTests|FullyQualifiedName~GeneratedCorruptionsOfARealCheckpoint|FullyQualifiedName~GeneratedBadFiles" \
  --logger "console;verbosity=detailed" > "$log" 2>&1
status=$?
if [ -n "${CAMPAIGN_LOG:-}" ]; then cp "$log" "$CAMPAIGN_LOG"; fi
if [ "$status" != 0 ]; then tail -n 40 "$log"; echo "campaign tests failed: the table below shows the failures"; fi
if [ ! -s "$figures" ]; then echo "no figures were recorded"; exit 1; fi

table=$(
  echo "| campaign | cases tried | clear error (or valid code) | failures |"
  echo "|---|---:|---:|---:|"
  sort "$figures" | awk -F'\t' '{ printf "| %s | %d | %d | %d |\n", $1, $2, $3, $4; t += $2; c += $3; f += $4 }
    END { printf "| **all** | **%d** | **%d** | **%d** |\n", t, c, f }'
)
echo "$table"
TABLE="$table" python3 - <<'PY'
import os, re
path = "README.md"
text = open(path, encoding="utf-8").read()
begin, end = "<!-- campaign-table:begin -->", "<!-- campaign-table:end -->"
new = begin + "\n" + os.environ["TABLE"] + "\n" + end
text, count = re.subn(re.escape(begin) + ".*?" + re.escape(end), lambda _: new, text, flags=re.S)
if count != 1: raise SystemExit("README.md has no campaign-table markers")
open(path, "w", encoding="utf-8").write(text)
PY
rm -f "$figures" "$log"
exit "$status"
