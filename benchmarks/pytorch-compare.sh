#!/usr/bin/env bash
# MedSeg beside PyTorch on this machine: the same U-Net/ResNet-34 shape (batch 8 × 3 × 256 × 256, 3 classes, 2 threads
# by default), one training step (forward, BCE+Dice, backward, AdamW) and one inference batch, as JSON lines:
# PyTorch default (fp32 NCHW), tuned (channels-last + bf16 autocast) and tuned-fp32 (channels-last alone), then MedSeg's default (bf16) bench train and
# bench infer. Needs Debian's python3-torch (apt-get install -y python3-torch libopenblas0-pthread); only this
# benchmark uses it. Each line carries the load average it ran under: compare lines measured under similar load.
#   benchmarks/pytorch-compare.sh [--batch 8] [--size 256] [--threads 2] [--steps 3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
batch=8 size=256 threads=2 steps=3
while [ $# -gt 0 ]; do
  case "$1" in
    --batch) batch="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    *) echo "pytorch-compare.sh: unknown option $1 (valid: --batch --size --threads --steps)" >&2; exit 2 ;;
  esac
done
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "pytorch-compare.sh: $python cannot import torch; install it (apt-get install -y python3-torch libopenblas0-pthread) or set PYTHON." >&2
  exit 1
fi
load() { cut -d' ' -f1 /proc/loadavg; }
common=(--batch "$batch" --size "$size" --threads "$threads" --steps "$steps")
"$python" "$root/benchmarks/pytorch_compare.py" "${common[@]}" --in-channels 3 --classes 3
for what in train infer; do
  "$root/medseg" bench "$what" "${common[@]}" --in-channels 3 --classes 3 --precision bf16 \
    | sed "s/}\$/,\"framework\":\"medseg\",\"mode\":\"default\",\"load_average\":$(load)}/"
done
