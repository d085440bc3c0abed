#!/usr/bin/env bash
# Long fuzzing runs of every parser a user's file reaches.
#
# scripts/fuzz.sh [SECONDS] [FILTER]   e.g. scripts/fuzz.sh 300 Nifti
#   Mutation fuzzing (NIfTI, PNG, .npy, safetensors, RLE, CSV, dataset.json, augmentation, loss and config JSON): the
#   CsCheck properties of tests/MedSeg.Tests/Fuzzing, each for SECONDS (default 60) instead of CI's few seconds. A failure
#   prints the shrunk input and its seed; keep it in FuzzFindingsTests.
#
# scripts/fuzz.sh afl --target TARGET [--minutes M] [--out DIR]   e.g. scripts/fuzz.sh afl --target nifti --minutes 5
#   Coverage-guided fuzzing with afl++ and SharpFuzz of one binary parser (targets: nifti, nifti-gz, png16, rgbpng, npy,
#   safetensors, rle, csv): installs afl++ (apt, as root) and the sharpfuzz tool when missing, builds fuzz/MedSeg.Fuzz,
#   instruments its copy of MedSeg.Core.dll, writes small valid seed files, runs afl-fuzz for M minutes (default 5) and
#   prints executions, corpus, crashes and hangs. Findings land in DIR (default out/fuzz/TARGET); replay one with
#   `dotnet out/fuzz/bin/MedSeg.Fuzz.dll check TARGET FILE` and keep it in MalformedInputCorpusTests.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'fuzz: %s\n' "$*"; }
die() { printf 'fuzz: error: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" != afl ]; then
  seconds="${1:-60}"
  filter="FullyQualifiedName~MedSeg.Tests.Fuzzing${2:+&FullyQualifiedName~$2}"
  dotnet build tests/MedSeg.Tests/MedSeg.Tests.csproj -c Release -nologo -v quiet -clp:NoSummary
  source scripts/runtime-env.sh
  MEDSEG_FUZZ_SECONDS="$seconds" dotnet test tests/MedSeg.Tests/bin/Release/net10.0/MedSeg.Tests.dll --filter "$filter" --logger "console;verbosity=detailed"
  exit
fi

shift
target="" minutes=5 out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="${2:-}"; shift 2 ;;
    --minutes) minutes="${2:-}"; shift 2 ;;
    --out) out="${2:-}"; shift 2 ;;
    *) die "unknown option $1; usage: scripts/fuzz.sh afl --target TARGET [--minutes M] [--out DIR]" ;;
  esac
done
[ -n "$target" ] || die "--target is missing; one of nifti, nifti-gz, png16, rgbpng, npy, safetensors, rle, csv."
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || die "--minutes must be a whole number of minutes above 0, not '$minutes'."
out="${out:-out/fuzz/$target}"

# 1. afl++ (Debian: afl++ 4.04c) and SharpFuzz's instrumenter (a dotnet tool, kept in out/fuzz/tools).
if command -v afl-fuzz >/dev/null 2>&1; then
  say "afl-fuzz present ($(command -v afl-fuzz)): nothing to do."
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  say "apt-get install -y --no-install-recommends afl++"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++
else
  die "afl-fuzz is not on PATH; install afl++ (Debian/Ubuntu: apt-get install afl++) and run this again."
fi
tools=out/fuzz/tools
if [ -x "$tools/sharpfuzz" ]; then
  say "sharpfuzz present ($tools/sharpfuzz): nothing to do."
else
  say "dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path $tools"
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

# 2. The harness, plain (seeds, replay) and instrumented (afl-fuzz): only MedSeg.Core.dll is instrumented.
say "dotnet build fuzz/MedSeg.Fuzz -c Release"
dotnet build fuzz/MedSeg.Fuzz/MedSeg.Fuzz.csproj -c Release -nologo -v quiet -clp:NoSummary -o out/fuzz/bin
rm -rf out/fuzz/instrumented
cp -r out/fuzz/bin out/fuzz/instrumented
say "sharpfuzz out/fuzz/instrumented/MedSeg.Core.dll"
"$tools/sharpfuzz" out/fuzz/instrumented/MedSeg.Core.dll

# 3. Seeds: small valid files of the target's format, written by the harness.
seeds="$out/seeds"
rm -rf "$seeds"
dotnet out/fuzz/bin/MedSeg.Fuzz.dll seeds "$target" "$seeds"
say "$(ls "$seeds" | wc -l) seed file(s) in $seeds"

# 4. afl-fuzz for the time asked. The target is the .NET host (not compiled with afl's instrumentation, hence
#    AFL_SKIP_BIN_CHECK); a crash is any exception but MedSegException, a hang a run over 10 s.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
rm -rf "$out/findings"
say "afl-fuzz -t 10000 -m none -V $((minutes * 60)) on $target"
afl-fuzz -i "$seeds" -o "$out/findings" -t 10000 -m none -V "$((minutes * 60))" -- dotnet out/fuzz/instrumented/MedSeg.Fuzz.dll run "$target" > "$out/afl.log" 2>&1 \
  || { tail -20 "$out/afl.log" >&2; die "afl-fuzz failed (log: $out/afl.log)."; }
stats="$out/findings/default/fuzzer_stats"
value() { awk -v k="$1" '$1 == k {print $3}' "$stats"; }
say "$target: $(value execs_done) executions in $(value run_time) s ($(value execs_per_sec)/s), corpus $(value corpus_count), edge coverage $(value bitmap_cvg), crashes $(value saved_crashes), hangs $(value saved_hangs)"
crashes=$(find "$out/findings/default/crashes" "$out/findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
if [ "$crashes" -gt 0 ]; then
  say "$crashes finding(s); replaying them on the plain build:"
  dotnet out/fuzz/bin/MedSeg.Fuzz.dll check "$target" $(find "$out/findings/default/crashes" "$out/findings/default/hangs" -type f -name 'id:*') || true
  exit 1
fi
