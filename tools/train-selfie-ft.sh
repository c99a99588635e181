#!/usr/bin/env bash
# Makes models/selfie-ft: MediaPipe's selfie model fine-tuned with `backdrop train --init selfie` on the shared
# people material. Usage: tools/train-selfie-ft.sh [TESTDATA]  (default ../shared/testdata)
# Photos and clips without masks are labelled by rvm (kept in the label cache, so a rerun labels nothing).
# The fixed validation split (tools/training-data.sh) is never loaded; tools/eval-selfie-ft.sh scores it.
# About 40 minutes on 2 idle cores (labelling 10, training 30); TensorFlow's sums on several threads are not
# bit-exact, so a rerun gives a model close to the bundled one, not the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata}"
out=target/selfie-ft
mapfile -t labelled < <(tools/training-data.sh --labelled "$data")
mapfile -t unlabelled < <(tools/training-data.sh --unlabelled "$data")
mapfile -t split < <(tools/training-data.sh --exclude-args)
./backdrop train --init selfie --teacher rvm --out "$out" "${labelled[@]}" "${unlabelled[@]}" "${split[@]}" \
  --epochs "${EPOCHS:-30}" --batch 8 --lr 0.0003 --val-split 0.05 --webcam-crops 0.3 --seed 1
rm -rf models/selfie-ft && mkdir -p models/selfie-ft
cp "$out"/{model.pb,model.yaml} models/selfie-ft/
# The base model's and the data's terms travel with the weights: the bundled NOTICE says so in full, and the
# run's own NOTICE (what it trained on, its validation IoU) follows it.
{ cat tools/selfie-ft-NOTICE.md; echo; echo "## This build"; echo; tail -n +3 "$out/NOTICE.md"; } > models/selfie-ft/NOTICE.md
