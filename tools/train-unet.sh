#!/usr/bin/env bash
# Trains models/unet, Backdrop's own mask model, with `backdrop train` on the shared portraits-train set
# (131 photos with person masks). Usage: tools/train-unet.sh [DATA_DIR]  (default ../shared/testdata/portraits-train)
# About 20 minutes on 2 cores. TensorFlow's multi-threaded sums are not bit-exact, so a rerun gives a model
# within a fraction of an IoU point of the bundled one, not the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata/portraits-train}"
./backdrop train --images "$data/images" --masks "$data/masks" --out models/unet \
  --size 192x192 --widths 8,16,24,32 --convs 2 --epochs 1000 --batch 8 --lr 0.003 --val-split 0.1 --seed 1
# The data's terms must travel with the weights: the bundled NOTICE says so in full.
cp tools/unet-NOTICE.md models/unet/NOTICE.md
rm -rf models/unet/checkpoint
