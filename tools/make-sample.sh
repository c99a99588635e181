#!/usr/bin/env bash
# Rebuilds samples/astronaut.mp4 from the public-domain astronaut photo, with the FFmpeg that JavaCV ships.
# Usage: tools/make-sample.sh PATH/TO/astronaut.png   (e.g. ../shared/testdata/photos/astronaut.png)
set -euo pipefail
photo="${1:?path to astronaut.png}"
cd "$(dirname "$0")/.."
dir="$(ls -d "$HOME"/.javacpp/cache/ffmpeg-*-gpl.jar/org/bytedeco/ffmpeg/linux-x86_64-gpl 2>/dev/null | head -1)"
[[ -x "$dir/ffmpeg" ]] || { echo "run ./backdrop --help once first so JavaCV unpacks its FFmpeg" >&2; exit 1; }
LD_LIBRARY_PATH="$dir" "$dir/ffmpeg" -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=30:duration=5" -loop 1 -framerate 30 -i "$photo" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=5" \
  -filter_complex "[1:v]scale=320:320[p];[0:v][p]overlay=x='160+80*sin(2*PI*t/5)':y=40:shortest=1,format=yuv420p[v]" \
  -map "[v]" -map 2:a -c:v libx264 -preset slow -crf 26 -c:a aac -b:a 64k -t 5 -movflags +faststart \
  samples/astronaut.mp4
