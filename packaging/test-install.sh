#!/usr/bin/env bash
# Installs the built package and checks it works like an installed program, then does the same with
# the tarball. Run as root on Debian 12 after `mvn -B -ntp -DskipTests package -Pdist` (CI runs it from
# .ci/run; by hand: packaging/test-install.sh). Removes the package again at the end. Fails loudly.
set -euo pipefail
repo="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
dist="$repo/target/dist"
export DEBIAN_FRONTEND=noninteractive
debs=("$dist"/backdrop_*_amd64.deb)
tars=("$dist"/backdrop-*-linux-x86_64.tar.gz)
[[ ${#debs[@]} == 1 && -f "${debs[0]}" && ${#tars[@]} == 1 && -f "${tars[0]}" ]] \
  || { echo "test-install: build the package first: mvn -B -ntp -DskipTests package -Pdist" >&2; exit 1; }
deb="${debs[0]}"; tarball="${tars[0]}"
sample="$repo/samples/astronaut.mp4"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$repo/pom.xml" | head -1)"
work="$(mktemp -d /tmp/backdrop-test-install.XXXXXX)"
trap 'rm -rf "$work"' EXIT
fail() { echo "test-install: FAILED: $*" >&2; exit 1; }
# Pipelines end in `grep >/dev/null`, never `grep -q`: with pipefail, grep -q quits at the first match and
# the writer's SIGPIPE (exit 141) fails the pipeline when its output outgrows the pipe's buffer.
step() { echo "== $*"; }

# The package's own ffmpeg program (beside its libraries) counts frames: Debian's ffmpeg is not installed.
ffmpeg_in() { local root="$1"; shift; LD_LIBRARY_PATH="$root/lib/native" "$root/lib/native/ffmpeg" "$@"; }
frames() { # frames BACKDROP_ROOT FILE: the number of video frames FFmpeg decodes from FILE
  ffmpeg_in "$1" -hide_banner -nostdin -i "$2" -map 0:v:0 -f null - 2>&1 \
    | tr '\r' '\n' | sed -n 's/^frame= *\([0-9]*\).*/\1/p' | tail -1
}

# The checks both the .deb and the tarball must pass. $1: the command; $2: its root. Run in a fresh folder
# outside the repository, with relative paths, and with a home of its own (config, models, cache).
check_installed() {
  local backdrop="$1" root="$2" dir="$work/run-$3"
  mkdir -p "$dir" && cd "$dir"
  export HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/config" XDG_DATA_HOME="$dir/home/data" XDG_CACHE_HOME="$dir/home/cache"
  mkdir -p "$HOME"

  step "$3: backdrop --version"
  "$backdrop" --version | tee version.txt
  grep -qx "backdrop $version" version.txt || fail "--version does not say backdrop $version"
  if grep -q "not found" version.txt; then fail "--version: a library was not found"; fi
  grep -q "($root/runtime)" version.txt || fail "not running on the packaged Java runtime"

  step "$3: backdrop process (relative output path)"
  cp "$sample" in.mp4
  "$backdrop" process in.mp4 out.mp4 | tee process.txt
  local want got summary
  want="$(frames "$root" in.mp4)"; got="$(frames "$root" out.mp4)"
  summary="$(sed -n 's/^\([0-9]*\) frames in .*/\1/p' process.txt)"
  [[ "$want" == 150 ]] || fail "the sample clip should have 150 frames, FFmpeg counts '$want'"
  [[ "$got" == "$want" && "$summary" == "$want" ]] || fail "frames in $want, frames out $got (summary: '$summary')"
  echo "frames in $want = frames out $got"
  # the same with the input given by an absolute path and another model, and a background image
  ffmpeg_in "$root" -hide_banner -loglevel error -nostdin -y -ss 2 -i "$sample" -frames:v 1 photo.png
  "$backdrop" process "$sample" out2.mkv --model selfie --background photo.png >/dev/null
  [[ "$(frames "$root" out2.mkv)" == 150 ]] || fail "--background photo.png: not 150 frames out"

  step "$3: backdrop segment on a photo"
  local photo=photo.png
  if [[ -f "$repo/../shared/testdata/photos/webcam-man.png" ]]; then photo="$repo/../shared/testdata/photos/webcam-man.png"; fi
  "$backdrop" segment "$photo" --mask mask.png --output composited.png
  [[ -s mask.png && -s composited.png ]] || fail "segment wrote no mask or image"

  step "$3: config lookup, config --init, user models"
  [[ "$("$backdrop" config --path)" == "$root/config/backdrop.yaml" ]] || fail "config --path is not the packaged default"
  "$backdrop" config --init
  [[ "$("$backdrop" config --path)" == "$XDG_CONFIG_HOME/backdrop/backdrop.yaml" ]] || fail "config --path after --init"
  if "$backdrop" config --init 2>/dev/null; then fail "config --init overwrote an existing file"; fi
  mkdir -p "$XDG_DATA_HOME/backdrop/models" && cp -r "$root/models/selfie" "$XDG_DATA_HOME/backdrop/models/mine"
  "$backdrop" process "lavfi:testsrc2=size=320x180:rate=10:duration=0.5" mine.mp4 --model mine >/dev/null
  [[ "$(frames "$root" mine.mp4)" == 5 ]] || fail "a user model by name"

  step "$3: live into a virtual-camera file and a recording, with the control page"
  "$backdrop" live --input "lavfi:testsrc2=size=640x360:rate=30" --seconds 1 --v4l2 frames.yuv --record rec.mkv \
    --control 0 >live.txt 2>&1 || { cat live.txt; fail "live"; }
  [[ -s frames.yuv && -s rec.mkv ]] || fail "live wrote no frames"

  step "$3: nothing extracted or copied at start"
  [[ ! -e "$XDG_CACHE_HOME/backdrop/javacpp" && ! -e "$HOME/.javacpp" ]] || fail "JavaCPP extracted natives into a cache"
  if find /tmp -maxdepth 1 -name 'lwjgl*' -newer in.mp4 | grep . >/dev/null; then fail "LWJGL extracted natives into /tmp"; fi
  cd "$work"
}

check_contents() { # the tree's natives: Linux x86-64 only, each once, none inside jars
  local root="$1"
  if find "$root" \( -name '*.dll' -o -name '*.dylib' -o -name '*.jnilib' \) | grep . >/dev/null; then fail "other platforms' natives"; fi
  for jar in "$root"/lib/app/*.jar; do
    if unzip -l "$jar" | grep -E '\.so(\.[0-9]+)*$' >/dev/null; then fail "$(basename "$jar") holds natives"; fi
  done
  local dups; dups="$(find "$root" -path "$root/runtime" -prune -o -name '*.so*' -printf '%f\n' | sort | uniq -d)"
  [[ -z "$dups" ]] || fail "natives twice: $dups"
  if find "$root" -path '*/test-classes/*' -o -name '*-tests.jar' -o -name 'surefire*' | grep . >/dev/null; then fail "test artifacts"; fi
}

# ---------------------------------------------------------------- the .deb
step "deb: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
started_ms=$(( $(date +%s%N) / 1000000 ))
apt-get install -y -qq "$deb" >/dev/null
"/usr/bin/backdrop" process "lavfi:testsrc2=size=1280x720:rate=30:duration=0.034" "$work/first.mp4" >/dev/null 2>"$work/first.log" \
  || { cat "$work/first.log"; fail "the first run after installing"; }
took_ms=$(( $(date +%s%N) / 1000000 - started_ms ))
echo "from apt-get install to the first processed frame (720p): $(( took_ms / 1000 )).$(( took_ms % 1000 / 100 )) s"
dpkg -s backdrop | grep -E '^(Version|Installed-Size|Depends|Recommends):'
for f in /opt/backdrop/bin/backdrop /usr/share/man/man1/backdrop.1.gz /usr/share/bash-completion/completions/backdrop \
  /usr/lib/systemd/user/backdrop-vcam.service /etc/modprobe.d/backdrop-v4l2loopback.conf \
  /usr/lib/modules-load.d/backdrop.conf /usr/share/doc/backdrop/copyright; do
  [[ -e "$f" ]] || fail "$f is not installed"
done
[[ "$(readlink -f /usr/bin/backdrop)" == /opt/backdrop/bin/backdrop ]] || fail "/usr/bin/backdrop"
grep -qx 'options v4l2loopback devices=1 video_nr=10 exclusive_caps=1 card_label=Backdrop' \
  /etc/modprobe.d/backdrop-v4l2loopback.conf || fail "modprobe options"
grep -qx v4l2loopback /usr/lib/modules-load.d/backdrop.conf || fail "modules-load"
grep -q 'GPL-3.0-or-later' /usr/share/doc/backdrop/copyright || fail "copyright"
zcat /usr/share/man/man1/backdrop.1.gz | grep '^\.SH EXIT STATUS' >/dev/null || fail "man page"
if command -v man >/dev/null; then
  [[ "$(man -w backdrop)" == /usr/share/man/man1/backdrop.1.gz ]] || fail "man -w backdrop"
fi
bash -c 'source /usr/share/bash-completion/completions/backdrop
  COMP_WORDS=(backdrop pro); COMP_CWORD=1; _complete_backdrop backdrop pro backdrop; [[ "${COMPREPLY[*]}" == process ]]' \
  || fail "bash completion does not complete 'backdrop pro'"
if command -v systemd-analyze >/dev/null; then
  # --man=no: the man page it names is checked above; systemd-analyze would call man on its own.
  systemd-analyze verify --man=no /usr/lib/systemd/user/backdrop-vcam.service || fail "systemd-analyze verify"
  echo "backdrop-vcam.service: systemd-analyze verify passed"
else
  echo "test-install: SKIPPED systemd-analyze verify of backdrop-vcam.service: systemd-analyze is not installed"
fi
check_contents /opt/backdrop
( check_installed /usr/bin/backdrop /opt/backdrop deb )

step "deb: remove"
apt-get remove -y -qq backdrop >/dev/null
[[ ! -e /opt/backdrop && ! -e /usr/bin/backdrop ]] || { find /opt/backdrop | head; fail "left behind after apt-get remove"; }
apt-get purge -y -qq backdrop >/dev/null
[[ ! -e /etc/modprobe.d/backdrop-v4l2loopback.conf ]] || fail "the modprobe snippet is left after purge"
echo "removed: nothing left under /opt/backdrop"

# ---------------------------------------------------------------- the tarball
step "tarball: $(basename "$tarball") ($(du -h "$tarball" | cut -f1))"
mkdir -p "$work/unpacked" && tar -xzf "$tarball" -C "$work/unpacked"
root="$(echo "$work"/unpacked/backdrop-*-linux-x86_64)"
[[ -x "$root/bin/backdrop" ]] || fail "no bin/backdrop in the tarball"
check_contents "$root"
# through a symlink in another folder, as a user would put it on PATH
mkdir -p "$work/bin" && ln -s "$root/bin/backdrop" "$work/bin/backdrop"
( check_installed "$work/bin/backdrop" "$root" tarball )
echo "test-install: all passed"
