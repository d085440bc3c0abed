#!/usr/bin/env bash
# Issue 12, item 5: accuracy of the default configuration on data nobody tuned for. Writes the synthetic brain set
# (`medseg synth --layout nnunet --anatomy brain`: subject sub01 trains, the others are held out), then per mode trains
# on the one training subject for at most MAX_MINUTES, predicts the held-out subjects and scores them (Dice and HD95
# in mm per class, `medseg evaluate`), beside two baselines:
#   copy-labels   the training labels copied unchanged onto every subject (`medseg bench copy-labels`: label
#                 propagation without registration);
#   no-defaults   the same network without the new defaults: trained with MEDSEG_ACC_NO_DEFAULTS added to the flags
#                 (default: no augmentation, one pass over the samples per epoch, and per mode what issue 12 changed:
#                 2D/2.5D no slice oversampling and the 128x128 input of UW-Madison runs, 3D lr 1e-3 and no gradient
#                 clip — the behaviour before issue 12) and predicted with --postprocess none. With MEDSEG_ACC_NO_DEFAULTS set empty the default run is
#                 reused and only its prediction differs (--postprocess none).
# Prints one JSON object per line (method, mode, dice, hd95, per_class, train_s) and a table at the end.
#
# Usage: benchmarks/accuracy-defaults.sh [MAX_MINUTES]   (default 12, the budget of issue 12)
# Environment:
#   MEDSEG_ACC_MODES        modes to run (default "2d 2.5d 3d")
#   MEDSEG_ACC_SIZE         voxels per side of the volumes (default 96: --size 96x96 --slices 96)
#   MEDSEG_ACC_SUBJECTS     subjects, the first one trains (default 4)
#   MEDSEG_ACC_SEED         synth seed (default 0)
#   MEDSEG_ACC_TRAIN_FLAGS  flags added to every train command (e.g. "--threads 2")
#   MEDSEG_ACC_NO_DEFAULTS  flags that restore the behaviour before issue 12 (default "--augment none --steps-per-epoch 0"
#                           plus "--oversample-foreground 0 --image-size 128x128" in 2D/2.5D, "--lr 1e-3 --grad-clip 0" in 3D);
#                           empty: see no-defaults above
#   MEDSEG_ACC_KEEP         a folder to keep the data, runs and predictions in (default: a temporary folder, removed)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-12}"
modes="${MEDSEG_ACC_MODES:-2d 2.5d 3d}"; side="${MEDSEG_ACC_SIZE:-96}"; subjects="${MEDSEG_ACC_SUBJECTS:-4}"; seed="${MEDSEG_ACC_SEED:-0}"
read -r -a train_flags <<<"${MEDSEG_ACC_TRAIN_FLAGS:-}"
# The flags of the no-defaults run of mode $1 (MEDSEG_ACC_NO_DEFAULTS when set, even empty).
no_defaults_for() {
  if [ -n "${MEDSEG_ACC_NO_DEFAULTS+set}" ]; then echo "$MEDSEG_ACC_NO_DEFAULTS"; return; fi
  case "$1" in
    3d) echo "--augment none --steps-per-epoch 0 --lr 1e-3 --grad-clip 0" ;;
    *) echo "--augment none --steps-per-epoch 0 --oversample-foreground 0 --image-size 128x128" ;;
  esac
}
if [ -n "${MEDSEG_ACC_KEEP:-}" ]; then
  work="$MEDSEG_ACC_KEEP"; mkdir -p "$work"
else
  work="$(mktemp -d -t medseg-accuracy-XXXXXX)"; trap 'rm -rf "$work"' EXIT
fi
results="$work/results.jsonl"; : >"$results"

./medseg synth --layout nnunet --anatomy brain --out "$work/raw" --cases "$subjects" --size "${side}x${side}" --slices "$side" --seed "$seed" >&2
data="$(ls -d "$work"/raw/Dataset*_SynthBrain)"

# Scores one prediction folder: $1 = method, $2 = mode, $3 = prediction folder, $4 = training seconds.
score() {
  ./medseg evaluate --pred "$3" --truth "$data" --json "$3.json" >/dev/null
  python3 - "$1" "$2" "$3.json" "$4" >>"$results" <<'PY'
import json, sys
method, mode, path, seconds = sys.argv[1:5]
report = json.load(open(path))
per_class = {name: {"dice": round(v["dice"], 4), "hd95": round(v["hd95"], 2)} for name, v in report["per_class"].items()}
print(json.dumps({"method": method, "mode": mode, "dice": round(report["dice"], 4), "hd95": round(report["hd95"], 2),
                  "train_s": float(seconds) if seconds else None, "per_class": per_class}))
PY
  tail -n 1 "$results"
}

./medseg bench copy-labels --data "$data" --out "$work/copy-labels" >&2
score copy-labels - "$work/copy-labels" ""

for mode in $modes; do
  start=$(date +%s)
  ./medseg train --data "$data" --out "$work/run-$mode" --mode "$mode" --max-minutes "$minutes" "${train_flags[@]}" >&2
  seconds=$(( $(date +%s) - start ))
  ./medseg predict --model "$work/run-$mode" --data "$data" --out "$work/pred-$mode" >&2
  score defaults "$mode" "$work/pred-$mode" "$seconds"
  run="$work/run-$mode"
  read -r -a no_defaults <<<"$(no_defaults_for "$mode")"
  if [ "${#no_defaults[@]}" -gt 0 ]; then
    start=$(date +%s)
    ./medseg train --data "$data" --out "$work/run-$mode-no-defaults" --mode "$mode" --max-minutes "$minutes" "${train_flags[@]}" "${no_defaults[@]}" >&2
    seconds=$(( $(date +%s) - start )); run="$work/run-$mode-no-defaults"
  fi
  ./medseg predict --model "$run" --data "$data" --out "$work/pred-$mode-no-defaults" --postprocess none >&2
  score no-defaults "$mode" "$work/pred-$mode-no-defaults" "$seconds"
done

python3 - "$results" "$minutes" "$side" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"\nheld-out subjects, {sys.argv[3]}^3 voxels of 1 mm, --max-minutes {sys.argv[2]} per training run")
print(f"{'method':<13}{'mode':<6}{'Dice':>7}{'HD95 mm':>9}{'train s':>9}")
for r in rows:
    seconds = "-" if r["train_s"] is None else f"{r['train_s']:.0f}"
    print(f"{r['method']:<13}{r['mode']:<6}{r['dice']:>7.3f}{r['hd95']:>9.2f}{seconds:>9}")
PY
