#!/usr/bin/env bash
# The 2D vs 2.5D vs 3D study of Avesta et al. (2023) on a synthetic UW-Madison dataset: every mode (2d, 2.5d, 3d) x
# architecture family (unet: U-Net/ResNet-18 and unet3d; capsnet: segcaps and capsnet3d) x training-set size (nested
# subsets of the fold's training cases), all validated on the same held-out case-days, with `medseg compare`.
# Progress goes to stderr. Writes OUT/compare.json, OUT/compare.md (printed at the end) and OUT/report.html (plots), one run folder per
# configuration under OUT/cases-N/MODE-ARCH/, and prints where they are. OUT is kept.
# Settings (environment): MEDSEG_STUDY_OUT (default a new folder under /tmp), MEDSEG_STUDY_ARCHS (unet,capsnet),
# MEDSEG_STUDY_SIZES (100%,50%,25%), MEDSEG_STUDY_CASES (9 cases of 1 day; 3 folds: 6 train, 3 validate),
# MEDSEG_STUDY_SLICES (24), MEDSEG_STUDY_SIZE (64x64 images), MEDSEG_STUDY_EPOCHS (6), MEDSEG_STUDY_DEVICE (cpu).
# Extra arguments are passed to `medseg compare` (e.g. --modes 2d,3d or --max-minutes 10).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${MEDSEG_STUDY_OUT:-$(mktemp -d -t medseg-avesta-XXXXXX)/study}"
archs="${MEDSEG_STUDY_ARCHS:-unet,capsnet}"; sizes="${MEDSEG_STUDY_SIZES:-100%,50%,25%}"
cases="${MEDSEG_STUDY_CASES:-9}"; slices="${MEDSEG_STUDY_SLICES:-24}"; size="${MEDSEG_STUDY_SIZE:-64x64}"
epochs="${MEDSEG_STUDY_EPOCHS:-6}"; device="${MEDSEG_STUDY_DEVICE:-cpu}"
data="$(dirname "$out")/data"
[ -d "$data" ] || ./medseg synth --layout uwmgi --out "$data" --cases "$cases" --days 1 --slices "$slices" --size "$size" --seed 3 >/dev/null
echo "1-minute load before: $(cut -d' ' -f1 /proc/loadavg)" >&2
start=$(date +%s)
./medseg compare --data "$data" --out "$out" --archs "$archs" --train-sizes "$sizes" --modes 2d,2.5d,3d \
  --encoder resnet18 --image-size "$size" --epochs "$epochs" --batch-size 8 --loss dice --lr 3e-3 --folds 3 --fold 0 --seed 7 \
  --patch 16x32x32 --features 16 --levels 3 --batch-size-3d 2 --device "$device" "$@" >&2
echo "1-minute load after: $(cut -d' ' -f1 /proc/loadavg); wall $(( $(date +%s) - start )) s" >&2
cat "$out/compare.md"
echo
echo "results: $out/compare.json, $out/compare.md, $out/report.html (open in a browser); run folders under $out/cases-*/"
