#!/usr/bin/env bash
# The shared training material and the fixed validation split, as `backdrop train` arguments, one per line,
# for the scripts that make models/selfie-ft and models/unet. Usage: tools/training-data.sh MODE [TESTDATA]
#   --labelled      photos with human masks: portraits-train, people/labelled/ccp
#   --unlabelled    what the teacher labels: people/clips (one frame in 15), people/photos/*
#   --exclude-args  what keeps the validation split out of training (with all of portraits/, which no
#                   training names): portraits-train photos numbered ...0 or ...5, ccp_08xx, ccp_09xx, 4 clips
#   --clips         the held-out clips (for flicker), one file name per line
set -euo pipefail
data="${2:-../shared/testdata}"
people="$data/people"
photos=('vsh_*[05].*' 'ccp_08*' 'ccp_09*')
clips=(liveportrait_d0.mp4 liveportrait_s13.mp4 grid_bbaf2n.mpg retalking_1.mp4)
case "${1:-}" in
  --labelled) printf '%s\n' --images "$data/portraits-train/images" --masks "$data/portraits-train/masks" \
      --images "$people/labelled/ccp/images" --masks "$people/labelled/ccp/masks" ;;
  --unlabelled) printf '%s\n' --images "$people/clips" --every 15 --images "$people/photos/deepface" \
      --images "$people/photos/u2net-portraits" --images "$people/photos/u2net-web" \
      --images "$people/photos/sam2-bedroom" ;;
  --exclude-args) for p in "${photos[@]}" "${clips[@]}"; do printf -- '--exclude\n%s\n' "$p"; done ;;
  --clips) printf '%s\n' "${clips[@]}" ;;
  *) echo "usage: $0 --labelled|--unlabelled|--exclude-args|--clips [TESTDATA]" >&2; exit 2 ;;
esac
