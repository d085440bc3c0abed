#!/usr/bin/env bash
# Sharded prediction on one machine: the same predict run as 1 process, then as N shard processes at the same time
# (`medseg predict --shard I/N`, then `medseg merge`), on a temporary synthetic UW-Madison dataset. Prints one JSON
# object per line: each configuration's wall time, the speed-up over 1 process, whether the merged submission is
# byte-identical to the single-process one, and the 1-minute load average before and after (the machine may be shared).
# Each configuration runs MEDSEG_BENCH_REPEATS times (default 3), the configurations taking turns, after one untimed
# warm-up run (builds MedSeg if needed, loads libtorch from disk); wall_s is the median, walls_s every run.
# Sizes: MEDSEG_BENCH_CASES (default 4 cases x 1-2 days), MEDSEG_BENCH_SLICES (16), MEDSEG_BENCH_SIZE (128x128), N = MEDSEG_BENCH_SHARDS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${MEDSEG_BENCH_CASES:-4}"; slices="${MEDSEG_BENCH_SLICES:-16}"; size="${MEDSEG_BENCH_SIZE:-128x128}"; n="${MEDSEG_BENCH_SHARDS:-2}"; repeats="${MEDSEG_BENCH_REPEATS:-3}"
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
  out="$work/$label"; rm -rf "$out"; mkdir -p "$out"
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

./medseg predict --model "$work/run" --data "$work/test" --out "$work/warm-up.csv" --shard 0/"$cases" >/dev/null
configs=("one-process||1" "shards-default-threads||$n" "shards-1-thread-each|1|$n")
declare -A walls befores afters
for ((r = 0; r < repeats; r++)); do
  for c in "${configs[@]}"; do
    IFS='|' read -r label threads processes <<<"$c"
    read -r _ _ _ wall before after <<<"$(run "$label" "$threads" "$processes")"
    walls[$label]+="$wall "; befores[$label]+="$before "; afters[$label]+="$after "
    identical=true
    cmp -s "$work/one-process/submission.csv" "$work/$label/submission.csv" || identical=false
    [ "$identical" = true ] || { echo "$label: merged submission differs from the single-process one" >&2; exit 1; }
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
base=$(echo "${walls[one-process]}" | median)
for c in "${configs[@]}"; do
  IFS='|' read -r label threads processes <<<"$c"
  wall=$(echo "${walls[$label]}" | median)
  printf '{"bench": "shard_predict", "config": "%s", "processes": %s, "threads_per_process": %s, "cores": %s, "slices": %s, "size": "%s", "wall_s": %.2f, "walls_s": [%s], "slices_per_s": %.2f, "speedup_vs_one_process": %.3f, "identical_to_one_process": true, "load_1min_before": [%s], "load_1min_after": [%s]}\n' \
    "$label" "$processes" "${threads:-$cores}" "$cores" "$slices_total" "$size" "$wall" "$(echo ${walls[$label]} | tr ' ' ',')" \
    "$(awk -v s="$slices_total" -v w="$wall" 'BEGIN { print s / w }')" "$(awk -v b="$base" -v w="$wall" 'BEGIN { print b / w }')" \
    "$(echo ${befores[$label]} | tr ' ' ',')" "$(echo ${afters[$label]} | tr ' ' ',')"
done
