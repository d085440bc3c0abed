#!/usr/bin/env bash
# Long mutation-fuzzing run of every parser a user's file reaches (NIfTI, PNG, .npy, safetensors, RLE, CSV, dataset.json,
# augmentation, loss and config JSON): the CsCheck properties of tests/MedSeg.Tests/Fuzzing, each for SECONDS (default 60)
# instead of CI's few seconds. A failure prints the shrunk input and its seed; keep it in FuzzFindingsTests.
# Usage: scripts/fuzz.sh [SECONDS] [FILTER]   e.g. scripts/fuzz.sh 300 Nifti
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
filter="FullyQualifiedName~MedSeg.Tests.Fuzzing${2:+&FullyQualifiedName~$2}"
dotnet build tests/MedSeg.Tests/MedSeg.Tests.csproj -c Release -nologo -v quiet -clp:NoSummary
source scripts/runtime-env.sh
MEDSEG_FUZZ_SECONDS="$seconds" dotnet test tests/MedSeg.Tests/bin/Release/net10.0/MedSeg.Tests.dll --filter "$filter" --logger "console;verbosity=detailed"
