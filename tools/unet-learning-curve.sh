#!/usr/bin/env bash
# How the U-Net's IoU grows with the photos it trains on: nested sets of labelled photos (portraits-train and
# ccp, outside the selfie-ft validation split), then all of them plus the teacher-labelled clips and photos,
# each trained from scratch for about 5,000 steps of batch 8 (192x192, widths 8-16-24-32, two convolutions per
# block), then all scored by tools/eval-selfie-ft.sh on the split. Usage: tools/unet-learning-curve.sh [TESTDATA]
set -euo pipefail -f  # -f: the --exclude globs are for backdrop, not the shell
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata}"
mapfile -t labelled < <(tools/training-data.sh --labelled "$data")
mapfile -t unlabelled < <(tools/training-data.sh --unlabelled "$data")
mapfile -t split < <(tools/training-data.sh --exclude-args)
work=target/unet-curve
common=(--size 192x192 --widths 8,16,24,32 --convs 2 --batch 8 --lr 0.003 --val-split 0.05 --seed 1)
# name | epochs | what is left out beyond the split (nested: each set holds the one before)
runs=("200|200|ccp_01* ccp_02* ccp_03* ccp_04* ccp_05* ccp_06* ccp_07* ccp_1*"
      "400|100|ccp_03* ccp_04* ccp_05* ccp_06* ccp_07* ccp_1*"
      "all|54|")
for r in "${runs[@]}"; do
  IFS='|' read -r name epochs more <<< "$r"
  extra=()
  for g in $more; do extra+=(--exclude "$g"); done
  ./backdrop train "${labelled[@]}" "${split[@]}" "${extra[@]}" "${common[@]}" --epochs "$epochs" \
    --out "$work/$name" | grep -v '^epoch'
done
./backdrop train "${labelled[@]}" --teacher rvm "${unlabelled[@]}" "${split[@]}" "${common[@]}" --epochs 34 \
  --out "$work/all+teacher" | grep -v '^epoch'
tools/eval-selfie-ft.sh "$data" "$work/200" "$work/400" "$work/all" "$work/all+teacher" selfie
