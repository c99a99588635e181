#!/usr/bin/env bash
# Backdrop, as installed (the .deb under /opt/backdrop, or the unpacked tarball): runs the bundled Java
# runtime on the jars in lib/app, with the natives unpacked in lib/native. Works from any folder, through
# any symlink (/usr/bin/backdrop), and needs no JDK or Maven.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
native="$root/lib/native"
# TensorFlow logs its build notes at INFO on stderr; keep warnings and errors.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}"
# See the checkout's ./backdrop launcher: a small young generation keeps TensorFlow's native memory flat.
read -r -a opts <<< "${BACKDROP_JAVA_OPTS:--Xmx768m -Xmn16m}"
# JavaCPP and LWJGL load the natives from lib/native: nothing is extracted from jars at start. JavaCPP's
# cache folder is one that cannot be made (/dev/null is no folder): given one, JavaCPP copies OpenBLAS
# (37 MB) into it under a second name for every user; without one it loads the library where it is.
exec "$root/runtime/bin/java" "${opts[@]}" \
  -Dbackdrop.home="$root" -Dbackdrop.natives="$native" \
  -Djava.library.path="$native" -Dorg.lwjgl.librarypath="$native" \
  -Dorg.bytedeco.javacpp.cachedir=/dev/null/backdrop-no-cache \
  -cp "$root/lib/app/*" dev.backdrop.cli.Backdrop "$@"
