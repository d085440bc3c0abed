#!/usr/bin/env bash
# Sharded prediction on one machine: the same predict run as 1 process, then as N shard processes at the same time
# (`medseg predict --shard I/N`, then `medseg merge`), on a temporary synthetic UW-Madison dataset. Prints one JSON
# object per line: each configuration's wall time, the speed-up over 1 process, whether the merged submission is
# byte-identical to the single-process one, and the 1-minute load average before and after (the machine may be shared).
# Sizes: MEDSEG_BENCH_CASES (default 6 cases x 2 days), MEDSEG_BENCH_SLICES (40), MEDSEG_BENCH_SIZE (160x192), N = MEDSEG_BENCH_SHARDS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${MEDSEG_BENCH_CASES:-6}"; slices="${MEDSEG_BENCH_SLICES:-40}"; size="${MEDSEG_BENCH_SIZE:-160x192}"; n="${MEDSEG_BENCH_SHARDS:-2}"
work="$(mktemp -d -t medseg-shard-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }
./medseg synth --layout uwmgi --out "$work/train" --cases 2 --days 1 --slices 8 --size "$size" --seed 1 >/dev/null
./medseg synth --layout uwmgi --out "$work/test" --cases "$cases" --days 2 --slices "$slices" --size "$size" --seed 2 >/dev/null
./medseg train --data "$work/train" --out "$work/run" --encoder resnet18 --image-size "$size" --epochs 1 --folds 2 --fold 0 \
  --precision fp32 --batch-size 4 >/dev/null
slices_total=$(find "$work/test" -name '*.png' | wc -l)
cores=$(nproc)

# One configuration: $1 = label, $2 = OMP threads per process ("" = libtorch's default, one per core), $3 = processes.
run() {
  local label="$1" threads="$2" processes="$3" before start end out
  out="$work/$label"; mkdir -p "$out"
  before=$(load); start=$(now)
  if [ "$processes" = 1 ]; then
    OMP_NUM_THREADS="${threads:-$cores}" ./medseg predict --model "$work/run" --data "$work/test" --out "$out/submission.csv" >/dev/null
  else
    local pids=()
    for ((i = 0; i < processes; i++)); do
      OMP_NUM_THREADS="${threads:-$cores}" ./medseg predict --model "$work/run" --data "$work/test" --out "$out/part_$i.csv" --shard "$i/$processes" >/dev/null &
      pids+=("$!")
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    ./medseg merge "$out"/part_*.csv --out "$out/submission.csv" >/dev/null
  fi
  end=$(now)
  echo "$label $processes ${threads:-$cores} $(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }') $before $(load)"
}

results=("$(run one-process "" 1)" "$(run shards-default-threads "" "$n")" "$(run shards-1-thread-each 1 "$n")")
base=$(echo "${results[0]}" | cut -d' ' -f4)
for r in "${results[@]}"; do
  read -r label processes threads wall before after <<<"$r"
  identical=true
  cmp -s "$work/one-process/submission.csv" "$work/$label/submission.csv" || identical=false
  printf '{"bench": "shard_predict", "config": "%s", "processes": %s, "threads_per_process": %s, "cores": %s, "slices": %s, "size": "%s", "wall_s": %.2f, "slices_per_s": %.2f, "speedup_vs_one_process": %.3f, "identical_to_one_process": %s, "load_1min_before": %s, "load_1min_after": %s}\n' \
    "$label" "$processes" "$threads" "$cores" "$slices_total" "$size" "$wall" "$(awk -v s="$slices_total" -v w="$wall" 'BEGIN { print s / w }')" "$(awk -v b="$base" -v w="$wall" 'BEGIN { print b / w }')" "$identical" "$before" "$after"
done
