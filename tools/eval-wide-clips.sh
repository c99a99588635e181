#!/usr/bin/env bash
# Scores models on 16:9 video with exact truth, made from people no training sees (the fixed validation
# split of tools/training-data.sh): the 8 `portraits` and 8 held-out `portraits-train` photos and 5 held-out
# ccp people, each swinging over an FFmpeg pattern at 1280x720 (eval --make-clip), and the DAVIS clip.
# Prints refined IoU per clip and model, then each model's mean IoU and boundary F (raw and refined) and on
# how many clips it beats the first model. What a model for 16:9 frames is judged on (BENCHMARKS.md,
# "The limit, paced, and what inference costs live"). Usage: tools/eval-wide-clips.sh [TESTDATA] [MODEL...]
# (default ../shared/testdata; selfie-ft).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata}"
shift || true
models=("${@:-selfie-ft}")
out=target/wide-clips
mkdir -p "$out"
mandelbrot='lavfi:mandelbrot=s=1280x720'
patterns=("$mandelbrot" 'lavfi:testsrc2=s=1280x720' 'lavfi:cellauto=s=1280x720' 'lavfi:gradients=s=1280x720:speed=0.02')
people=() # photo|pattern|frames
i=0
for photo in "$data"/portraits/images/vsh_{131,183,263,30,53,74,8,97}.jpg \
             "$data"/portraits-train/images/vsh_{110,135,160,185,210,235,260,285}.jpg; do
  people+=("$photo|${patterns[$((i % 4))]}|30")
  i=$((i + 1))
done
ccp="$data/people/labelled/ccp/images"
people+=("$ccp/ccp_0850.jpg|$mandelbrot|90" "$ccp/ccp_0900.jpg|$mandelbrot|60" "$ccp/ccp_0930.jpg|${patterns[1]}|60"
         "$ccp/ccp_0960.jpg|${patterns[2]}|60" "$ccp/ccp_0990.jpg|lavfi:life=s=1280x720:mold=10:r=30|60")
clips=("$data/people/eval-video/schoolgirls/schoolgirls.mp4|$data/people/eval-video/schoolgirls/masks")
for p in "${people[@]}"; do
  IFS='|' read -r photo pattern frames <<< "$p"
  name=$(basename "${photo%.*}")
  masks="$(dirname "$(dirname "$photo")")/masks/$name.png"
  if [[ ! -f $out/$name/clip.mkv ]]; then
    ./backdrop eval --make-clip "$out/$name" --person "$photo" --person-mask "$masks" --backdrop-photo "$pattern" \
      --frames "$frames" > /dev/null
  fi
  clips+=("$out/$name/clip.mkv|$out/$name/masks")
done
for m in "${models[@]}"; do
  for c in "${clips[@]}"; do
    IFS='|' read -r clip masks <<< "$c"
    echo "$m $(basename "$(dirname "$clip")") $(./backdrop eval --model "$m" --video "$clip" --masks "$masks" 2>&1 \
      | grep -E '^IoU|boundary F' | tr -s ' ' | tr '\n' ' ')"
  done
done | python3 -c '
import sys, statistics
rows = {}
for line in sys.stdin:
    p = line.split()
    rows.setdefault(p[0], {})[p[1]] = [float(x) for x in p[2:] if x.replace(".", "", 1).isdigit()]
models = list(rows)
clips = list(rows[models[0]])
print("%-12s " % "clip" + " ".join("%14s" % m.rstrip("/").split("/")[-1][-14:] for m in models) + "   (refined IoU)")
for c in clips:
    print("%-12s " % c + " ".join("%14.4f" % rows[m][c][1] for m in models))
for m in models:
    means = [statistics.mean(rows[m][c][k] for c in clips) for k in range(4)]
    better = sum(rows[m][c][1] > rows[models[0]][c][1] for c in clips)
    print("%s: IoU raw %.4f refined %.4f, boundary F raw %.4f refined %.4f; refined IoU above %s on %d of %d"
          % (m, *means, models[0], better, len(clips)))
'
