#!/usr/bin/env bash
# What skipping inference costs (segmentation.every, still_below, still_cell_below), in one run: on clips with truth (a
# labelled person swinging over a moving background, made here, and the DAVIS clip) IoU and boundary F,
# and on talking heads (no truth) agreement with the masks of running the model on every frame (that
# run's refined masks, from process --debug-mask: x264 at CRF 20, whose own loss the "every 1" line
# shows; sam2_juggle: hands and balls moving beside a still body). Each line says how many frames the model ran on. Usage: tools/eval-inference-rate.sh [TESTDATA] (default ../shared/testdata).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata}"; P="$data/people"
out=target/inference-rate-eval
mkdir -p "$out"
configs=("1 0 255" "2 0 255" "4 1 255" "8 1 255" "4 1 16" "8 1 12" "8 1 16" "8 1 20")
score() { # every still_below still_cell_below clip [masks]
  ./backdrop eval --segment-every "$1" --still-below "$2" --still-cell-below "$3" --video "$4" ${5:+--masks "$5"} 2>&1 \
    | grep -E 'model ran|^IoU|boundary F' | tr -s ' ' | tr '\n' ';'
}
[[ -d $out/swing ]] || ./backdrop eval --make-clip "$out/swing" --person "$P/labelled/ccp/images/ccp_0850.jpg" \
  --person-mask "$P/labelled/ccp/masks/ccp_0850.png" --backdrop-photo 'lavfi:mandelbrot=s=1280x720' --frames 90 >/dev/null
truth=("$out/swing/clip.mkv|$out/swing/masks" "$P/eval-video/schoolgirls/schoolgirls.mp4|$P/eval-video/schoolgirls/masks")
for t in "${truth[@]}"; do
  IFS='|' read -r clip masks <<< "$t"
  for c in "${configs[@]}"; do read -r e s l <<< "$c"; echo "$(basename "$clip") every $e still_below $s cell $l: $(score "$e" "$s" "$l" "$clip" "$masks")"; done
done
ffmpeg=$(find ~/.javacpp/cache -name ffmpeg -type f | head -1)
for c in liveportrait_d0.mp4 retalking_1.mp4 grid_bbaf2n.mpg liveportrait_s13.mp4 sam2_juggle.mp4; do
  d="$out/${c%.*}"; mkdir -p "$d/masks"
  ./backdrop process --segment-every 1 "$P/clips/$c" "$d/out.mkv" --debug-mask "$d/reference.mkv" >/dev/null 2>&1
  LD_LIBRARY_PATH="$(dirname "$ffmpeg")" "$ffmpeg" -v error -y -i "$d/reference.mkv" -pix_fmt gray "$d/masks/%05d.png"
  for c2 in "${configs[@]}"; do read -r e s l <<< "$c2"; echo "$c every $e still_below $s cell $l: $(score "$e" "$s" "$l" "$P/clips/$c" "$d/masks")"; done
done
