#!/usr/bin/env bash
# Trains models/unet, Backdrop's own mask model, with `backdrop train` on the shared portraits-train set
# (131 photos with person masks). Usage: tools/train-unet.sh [DATA_DIR]  (default ../shared/testdata/portraits-train)
# Three stages, each fine-tuning the last with a fresh cosine schedule (2600 epochs in all, about 22-25 minutes
# on 2 idle cores). On one thread a run repeats exactly; on several, TensorFlow's sums need not be bit-exact, so a rerun gives a model close to
# the bundled one, not the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata/portraits-train}"
work=target/unet-stages
common=(--images "$data/images" --masks "$data/masks" --batch 8 --val-split 0.1)
./backdrop train "${common[@]}" --out "$work/1" --size 192x192 --widths 8,16,24,32 --convs 2 \
  --epochs 1000 --lr 0.003 --seed 1
./backdrop train "${common[@]}" --out "$work/2" --init "$work/1" --epochs 600 --lr 0.001 --seed 2
./backdrop train "${common[@]}" --out "$work/3" --init "$work/2" --epochs 1000 --lr 0.001 --seed 3
rm -rf models/unet && mkdir -p models/unet
cp -r "$work/3"/{saved_model.pb,variables,model.yaml,weights.bin} models/unet/
# The data's terms must travel with the weights: the bundled NOTICE says so in full.
cp tools/unet-NOTICE.md models/unet/NOTICE.md
