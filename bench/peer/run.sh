#!/usr/bin/env bash
# Peer benchmark: MediaPipe selfie segmentation (webgl, tasks-cpu) in headless Chromium on the same clip.
# Prints one JSON line per peer on stdout, logs on stderr. Arguments go to run.js, e.g.
#   bench/peer/run.sh --peer tasks-cpu --clip samples/astronaut.mp4 --size 1280x720 --frames 300
# --peer webgl (default), tasks-cpu, or all (one line each).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v node >/dev/null 2>&1 || { echo "peer benchmark: node not found (Node 18+ needed)" >&2; exit 1; }
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/@mediapipe/selfie_segmentation" ] \
   || [ ! -d "$here/node_modules/@mediapipe/tasks-vision" ] || [ ! -d "$here/node_modules/flatbuffers" ]; then
  echo "peer benchmark: node_modules missing: run npm ci in bench/peer" >&2
  exit 1
fi
# Relative paths (--clip, --sample) are taken from the caller's directory.
exec node "$here/run.js" "$@"
