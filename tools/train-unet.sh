#!/usr/bin/env bash
# Trains models/unet, Backdrop's own mask model, from random weights with `backdrop train` on the shared
# labelled photos (portraits-train, people/labelled/ccp) and the clips and photos rvm labels as a teacher, all
# outside the fixed validation split (tools/training-data.sh). Usage: tools/train-unet.sh [TESTDATA]
# (default ../shared/testdata). About 20 minutes on 2 idle cores once the teacher's labels are cached
# (tools/train-selfie-ft.sh makes the same ones). On one thread a run repeats exactly; on several,
# TensorFlow's sums need not be bit-exact, so a rerun gives a model close to the bundled one, not the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata}"
work=target/unet
mapfile -t labelled < <(tools/training-data.sh --labelled "$data")
mapfile -t unlabelled < <(tools/training-data.sh --unlabelled "$data")
mapfile -t split < <(tools/training-data.sh --exclude-args)
./backdrop train "${labelled[@]}" --teacher rvm "${unlabelled[@]}" "${split[@]}" --out "$work" \
  --size 192x192 --widths 8,16,24,32 --convs 2 --epochs "${EPOCHS:-100}" --batch 8 --lr 0.003 --val-split 0.05 \
  --seed 1
rm -rf models/unet && mkdir -p models/unet
cp -r "$work"/{saved_model.pb,variables,model.yaml,weights.bin} models/unet/
# The data's terms must travel with the weights: the bundled NOTICE says so in full.
cp tools/unet-NOTICE.md models/unet/NOTICE.md
