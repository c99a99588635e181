#!/usr/bin/env bash
# Scores models on the fixed validation split of models/selfie-ft (tools/training-data.sh), all in one run:
# mean IoU, share of photos below 0.8 IoU and boundary F over its photos (raw model output, at each photo's
# own size), and flicker on its held-out clips. Usage: tools/eval-selfie-ft.sh [TESTDATA] [MODEL...]
# (default ../shared/testdata; selfie rvm selfie-ft unet). Writes target/selfie-ft-eval/*.json and a table.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata}"
shift || true
models=("${@:-selfie rvm selfie-ft unet}")
read -r -a models <<< "${models[*]}"
out=target/selfie-ft-eval
mkdir -p "$out"
sets=("portraits|$data/portraits/images|$data/portraits/masks|*"
      "portraits-train|$data/portraits-train/images|$data/portraits-train/masks|vsh_*[05].*"
      "ccp|$data/people/labelled/ccp/images|$data/people/labelled/ccp/masks|ccp_0[89]*")
for m in "${models[@]}"; do
  tag=$(basename "$m")
  for s in "${sets[@]}"; do
    IFS='|' read -r name images masks glob <<< "$s"
    ./backdrop eval --model "$m" --images "$images" --masks "$masks" --names "$glob" \
      --json "$out/$tag-$name.json" > /dev/null
  done
  while read -r clip; do
    ./backdrop eval --model "$m" --video "$data/people/clips/$clip" --json "$out/$tag-clip-$clip.json" > /dev/null
  done < <(tools/training-data.sh --clips)
done
python3 - "$out" "${models[@]##*/}" <<'PY'
import json, sys, glob, os
out, models = sys.argv[1], sys.argv[2:]
print("| model | photos | IoU | below 0.8 | boundary F | flicker % (clips) |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for m in models:
    photos = []
    for name in ("portraits", "portraits-train", "ccp"):
        photos += json.load(open(f"{out}/{m}-{name}.json"))["images"]
    clips = [json.load(open(f))["video"] for f in sorted(glob.glob(f"{out}/{m}-clip-*.json"))]
    flicker = [100 * c["flicker"]["raw"] for c in clips]
    n = len(photos)
    iou = sum(p["iouRaw"] for p in photos) / n
    below = sum(p["iouRaw"] < 0.8 for p in photos) / n
    bf = sum(p["boundaryFRaw"] for p in photos) / n
    fl = sum(flicker) / len(flicker) if flicker else float("nan")
    print(f"| {m} | {n} | {iou:.4f} | {100 * below:.1f}% | {bf:.4f} | {fl:.4f} |")
PY
