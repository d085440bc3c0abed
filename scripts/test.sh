#!/usr/bin/env bash
# Sets the machine up (idempotent), packs and checks the NuGet packages (scripts/pack.sh) and runs every test; prints the TRX-derived totals as its last line.
# A test that runs 20 minutes is reported by name and the run stops (--blame-hang-timeout) instead of CI timing out.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# The NuGet packages and the dotnet tool, packed and used from outside the repository (issue 15's packages).
if ! ./scripts/pack.sh; then
  echo "0 passed, 1 failed"
  echo "test: scripts/pack.sh failed (above): the packages do not work" >&2
  exit 1
fi
results="$(pwd)/TestResults"
rm -rf "$results"
source scripts/runtime-env.sh
status=0
dotnet test MedSeg.slnx -c Release --no-build --blame-hang-timeout 20m --blame-hang-dump-type none --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@" || status=$?
trx=$(find "$results" -name '*.trx' | head -n 1)
if [ -z "$trx" ]; then
  echo "0 passed, 1 failed"
  echo "test: no test results were written (the test run did not start)" >&2
  exit 1
fi
passed=$(grep -o '<Counters [^>]*' "$trx" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
failed=$(grep -o '<Counters [^>]*' "$trx" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
echo "${passed:-0} passed, ${failed:-0} failed"
exit $status
