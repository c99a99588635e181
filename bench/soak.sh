#!/usr/bin/env bash
# Soak: `backdrop live` from a paced source for SECONDS (default 600), sampling the process's RSS,
# threads and open file descriptors every 10 s into a CSV, then comparing minute 1 with the end.
# Usage: bench/soak.sh [SECONDS] [SIZE] [OUT.csv]     e.g. bench/soak.sh 600 1280x720 soak.csv
set -euo pipefail
seconds="${1:-600}"; size="${2:-640x360}"; out="${3:-soak.csv}"
cd "$(dirname "$0")/.."
./backdrop --help >/dev/null   # builds if needed, so the timed run starts at once
rec="$(mktemp -d)/soak.mkv"
./backdrop live --input "lavfi:testsrc2=size=${size}:rate=30" --seconds "$seconds" --report 60 --record "$rec" \
  > "${out%.csv}.log" 2>&1 &
launcher=$!
sleep 3
pid="$(pgrep -f "dev.backdrop.cli.Backdrop live --input lavfi:testsrc2=size=${size}" | head -1)"
echo "seconds,rss_kb,threads,fds" > "$out"
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  now=$(( $(date +%s) - start ))
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
  [[ "$rss" != 0 ]] && echo "$now,$rss,$threads,$fds" >> "$out"
  sleep 10
done
wait "$launcher" || true
python3 - "$out" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]))]
one = min(rows, key=lambda r: abs(int(r["seconds"]) - 60))
end = rows[-1]
growth = (int(end["rss_kb"]) - int(one["rss_kb"])) / int(one["rss_kb"]) * 100
print(f"RSS at {one['seconds']} s: {int(one['rss_kb'])//1024} MB; at {end['seconds']} s: {int(end['rss_kb'])//1024} MB"
      f" ({growth:+.1f}%); threads {one['threads']} -> {end['threads']}; fds {one['fds']} -> {end['fds']}")
PY
tail -1 "${out%.csv}.log"
