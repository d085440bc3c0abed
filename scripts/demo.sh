#!/usr/bin/env bash
# The main job on the embedded default: set up, synthesise a small UW-Madison-layout dataset and a held-out one,
# train a 2D U-Net (ResNet-34) for a few minutes on CPU, predict the held-out cases, evaluate, compare with an
# all-empty submission. Outputs go to a new folder under out/ (nothing existing is touched).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
minutes="${MEDSEG_DEMO_MINUTES:-7}"
out="out/demo-$(date +%Y%m%d-%H%M%S)"
mkdir -p out
step() { printf '\n== %s\n' "$*"; }

step "synthesise training data (10 cases) and held-out data (2 unseen cases)"
./medseg synth --layout uwmgi --out "$out/data" --cases 10 --days 2 --slices 40 --size 160x192 --seed 1
./medseg synth --layout uwmgi --out "$out/heldout" --cases 2 --days 2 --slices 40 --size 160x192 --seed 2

step "train a 2D U-Net (resnet34) for at most $minutes minutes"
./medseg train --data "$out/data" --out "$out/run" --mode 2d --arch unet --encoder resnet34 \
  --image-size 160x192 --epochs 8 --batch-size 8 --lr 3e-3 --loss dice --folds 4 --fold 0 --seed 42 --max-minutes "$minutes"

step "predict the held-out cases"
./medseg predict --model "$out/run" --data "$out/heldout" --out "$out/submission.csv" --min-pixels 20

step "evaluate against the held-out ground truth (uwmgi score)"
./medseg evaluate --pred "$out/submission.csv" --truth "$out/heldout" --metric uwmgi --json "$out/evaluation.json"

step "outputs"
echo "data:        $out/data, $out/heldout"
echo "run folder:  $out/run (model.safetensors, config.json, log.jsonl, curves.png)"
echo "submission:  $out/submission.csv"
echo "evaluation:  $out/evaluation.json"
