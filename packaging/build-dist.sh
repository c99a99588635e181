#!/usr/bin/env bash
# Builds the installable Backdrop: target/dist/backdrop_<version>_amd64.deb and
# target/dist/backdrop-<version>-linux-x86_64.tar.gz. Run by `mvn -Pdist package` (after the jar and
# target/lib are made), or by hand: packaging/build-dist.sh VERSION [TARGET_DIR].
#
# Both hold the same tree: a jlink'd Java runtime with only the modules Backdrop uses, Backdrop's jar and
# the Java libraries, the Linux x86-64 natives it loads (unpacked, stripped, each once), the bundled
# models with their NOTICEs, the shaders, the default config, the man page and bash completion, and
# bin/backdrop, which runs from wherever the tree is.
# Needs: a JDK 17 (jlink, jdeps), strip (binutils), unzip, dpkg-deb.
set -euo pipefail
project="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
version="${1:?usage: build-dist.sh VERSION [TARGET_DIR]}"
target="${2:-$project/target}"
dist="$target/dist"
stage="$dist/stage"
# A Debian version may not hold '-' without a revision: 0.1.0-SNAPSHOT is packaged as 0.1.0~snapshot,
# which sorts before 0.1.0.
debversion="$(tr 'A-Z' 'a-z' <<< "${version//-/\~}")"
for tool in jlink jdeps strip unzip dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "build-dist: $tool is missing (JDK 17, binutils, unzip, dpkg)" >&2; exit 1; }
done
[[ -f "$target/backdrop.jar" && -d "$target/lib" ]] || { echo "build-dist: run mvn package first" >&2; exit 1; }
started=$SECONDS
rm -rf "$dist"
app="$stage/app"            # the tree, as unpacked from the tarball or under /opt/backdrop
mkdir -p "$app/bin" "$app/lib/app" "$app/lib/native" "$app/config"

# --- Java libraries: every runtime jar except the natives (unpacked below) and JavaFX (JavaCV's
# JavaFXFrameConverter; Backdrop never loads it).
cp "$target/backdrop.jar" "$app/lib/app/"
for jar in "$target"/lib/*.jar; do
  case "$(basename "$jar")" in
    *-linux-x86_64*.jar | *-natives-linux.jar | javafx-*) ;;
    *) cp "$jar" "$app/lib/app/" ;;
  esac
done

# --- Natives: only the libraries Backdrop loads (found by running every command with LD_DEBUG=libs;
# test-install.sh runs them from the package), unpacked so nothing is extracted at start. Left out:
# OpenCV's other 40-odd modules, its headers, Haar cascades and Python module, ffprobe, OpenBLAS's
# LAPACK JNI (libjniopenblas_full), and the natives of other platforms (none are on the class path).
natives() { # natives JAR PATTERN...: unpack the matching entries of JAR into lib/native, flat
  local jar="$target/lib/$1"; shift
  [[ -f "$jar" ]] || { echo "build-dist: $jar is missing" >&2; exit 1; }
  local tmp; tmp="$(mktemp -d)"
  unzip -q -o "$jar" "${@/#/*/}" -d "$tmp"
  find "$tmp" -type f -exec mv -f {} "$app/lib/native/" \;
  rm -rf "$tmp"
}
shopt -s nullglob
jarof() { local j=("$target"/lib/$1); [[ ${#j[@]} == 1 ]] || { echo "build-dist: no single jar $1" >&2; exit 1; }; basename "${j[0]}"; }
natives "$(jarof 'javacpp-*-linux-x86_64.jar')" libjnijavacpp.so
natives "$(jarof 'ffmpeg-*-linux-x86_64-gpl.jar')" 'lib*.so*' ffmpeg
natives "$(jarof 'openblas-*-linux-x86_64.jar')" libopenblas.so.0 libgfortran.so.5 libquadmath.so.0 libgcc_s.so.1 \
  libjniopenblas.so libjniopenblas_nolapack.so
natives "$(jarof 'opencv-*-linux-x86_64.jar')" 'libopencv_core.so.*' 'libopencv_imgproc.so.*' 'libopencv_imgcodecs.so.*' \
  libjniopencv_core.so libjniopencv_imgproc.so libjniopencv_imgcodecs.so
natives "$(jarof 'tensorflow-core-native-*-linux-x86_64.jar')" 'lib*.so*'
for lwjgl in lwjgl lwjgl-opengl lwjgl-glfw; do
  natives "$(jarof "$lwjgl-[0-9]*-natives-linux.jar")" '*.so'
done
cd "$app/lib/native"
chmod 0755 ffmpeg
# TensorFlow's libraries carry 170 MB of symbol tables; the dynamic symbols the loader needs stay.
for lib in *.so*; do
  if [[ ! -L "$lib" ]]; then strip --strip-unneeded "$lib"; fi
done
# JavaCPP loads a library it finds no jar entry for by its plain name (libavutil.so) from
# java.library.path; the versioned file's soname then satisfies the others' dependencies.
for lib in *.so.*; do
  plain="${lib%%.so.*}.so"
  [[ -e "$plain" ]] || ln -s "$lib" "$plain"
done
# OpenBLAS's JNI library without LAPACK links libopenblas_nolapack.so.0: the same library.
ln -sf libopenblas.so.0 libopenblas_nolapack.so.0
ln -sf libopenblas.so.0 libopenblas_nolapack.so
missing="$(LD_LIBRARY_PATH="$PWD" ldd ./*.so* 2>/dev/null | grep 'not found' | sort -u || true)"
[[ -z "$missing" ]] || { echo "build-dist: a kept native needs a library that is not there:" >&2; echo "$missing" >&2; exit 1; }
cd "$project"

# --- Java runtime: the modules jdeps finds, and those reached by reflection or only by name:
# jdk.unsupported (sun.misc.Signal), jdk.httpserver (the control page), java.desktop (ImageIO for
# uploaded images), jdk.management (com.sun.management for the CPU figure).
modules="$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 -q \
  --class-path "$(ls "$app"/lib/app/*.jar | tr '\n' ':')" "$app/lib/app/backdrop.jar")"
modules="$(tr , "\n" <<< "$modules,jdk.unsupported,jdk.httpserver,java.desktop,jdk.management" | sort -u | paste -sd,)"
echo "build-dist: runtime modules: $modules"
# No compression of lib/modules: the .deb's xz and the tarball's gzip pack it better than jlink's zip.
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --output "$app/runtime"
# The runtime's own class-data archive (JDK classes), so every start maps them instead of parsing them.
"$app/runtime/bin/java" -Xshare:dump >/dev/null

# --- Data: bundled models (each with its NOTICE), shaders, the sample clip (260 KB), default config, launcher.
cp -r "$project/models" "$project/shaders" "$project/samples" "$app/"   # samples: bench's default clip
cp "$project/config/backdrop.yaml" "$app/config/"
install -m 0755 "$project/packaging/backdrop.sh" "$app/bin/backdrop"

# --- Docs made from the command line itself, by the packaged runtime (a first check that it runs).
share="$stage/share"
mkdir -p "$share/man/man1" "$share/bash-completion/completions" "$share/doc/backdrop" "$share/systemd/user"
"$app/runtime/bin/java" -cp "$app/lib/app/*" dev.backdrop.cli.InstallDocs man "$share/man/man1/backdrop.1"
gzip -9n "$share/man/man1/backdrop.1"
"$app/runtime/bin/java" -cp "$app/lib/app/*" dev.backdrop.cli.InstallDocs bash-completion \
  "$share/bash-completion/completions/backdrop"
sed "s/@VERSION@/$version/" "$project/packaging/copyright" > "$share/doc/backdrop/copyright"
cp "$project/README.md" "$share/doc/backdrop/"
cp "$project/packaging/backdrop-vcam.service" "$share/systemd/user/"

# Reproducible-ish: one timestamp for every file (the last commit's, else now).
epoch="$(git -C "$project" log -1 --format=%ct 2>/dev/null || date +%s)"

# --- The tarball: the tree, with share/ (man page, completion, unit, copyright) and the system snippets.
name="backdrop-$version-linux-x86_64"
tree="$stage/$name"
mkdir -p "$tree"
cp -a "$app/." "$tree/"
cp -a "$share" "$tree/"
mkdir -p "$tree/share/backdrop"
cp "$project/packaging/backdrop-v4l2loopback.conf" "$project/packaging/modules-load-backdrop.conf" "$tree/share/backdrop/"
cp "$project/LICENSE" "$tree/"
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$stage" -czf "$dist/$name.tar.gz" "$name"
rm -rf "$tree"

# --- The .deb: the tree under /opt/backdrop, the rest where Debian expects it.
deb="$stage/deb"
mkdir -p "$deb/opt" "$deb/usr/bin" "$deb/usr/share" "$deb/usr/lib/systemd/user" "$deb/usr/lib/modules-load.d" \
  "$deb/etc/modprobe.d" "$deb/DEBIAN"
cp -a "$app" "$deb/opt/backdrop"
ln -s ../../opt/backdrop/bin/backdrop "$deb/usr/bin/backdrop"
cp -a "$share/man" "$share/bash-completion" "$share/doc" "$deb/usr/share/"
cp "$project/packaging/backdrop-vcam.service" "$deb/usr/lib/systemd/user/"
cp "$project/packaging/modules-load-backdrop.conf" "$deb/usr/lib/modules-load.d/backdrop.conf"
cp "$project/packaging/backdrop-v4l2loopback.conf" "$deb/etc/modprobe.d/"
echo /etc/modprobe.d/backdrop-v4l2loopback.conf > "$deb/DEBIAN/conffiles"
size_kb="$(du -sk --exclude=DEBIAN "$deb" | cut -f1)"
# Depends: glibc for TensorFlow's natives (GLIBC_2.34 symbols), PulseAudio's client library (without it
# FFmpeg's libavdevice, with lavfi and v4l2, does not load), Mesa's EGL and OpenGL (llvmpipe on any
# machine), zlib (the Java runtime), libstdc++ (TensorFlow, OpenCV), libdrm (Mesa).
cat > "$deb/DEBIAN/control" <<EOF
Package: backdrop
Version: $debversion
Architecture: amd64
Maintainer: Backdrop maintainers <maintainers@backdrop.invalid>
Installed-Size: $size_kb
Depends: libc6 (>= 2.34), libstdc++6 (>= 12), libgcc-s1, zlib1g, libpulse0, libegl1, libegl-mesa0, libgl1-mesa-dri
Recommends: v4l2loopback-dkms
Suggests: v4l2loopback-utils
Section: video
Priority: optional
Description: real-time background blur and replacement for video
 Backdrop finds the person in each frame with a segmentation network
 (TensorFlow) and blurs or replaces everything behind them (OpenGL through
 Mesa's EGL, no display or GPU needed), for recorded video (backdrop process),
 photos (backdrop segment) and live cameras, streams and a virtual camera
 (backdrop live; the backdrop-vcam user service with v4l2loopback).
 .
 It brings its own Java runtime; no JDK is needed.
EOF
# Nothing left behind on removal: the JavaCPP cache is per user (~/.cache/backdrop), not under /opt.
find "$deb" -exec touch -h -d "@$epoch" {} +
dpkg-deb --build --root-owner-group -Zxz "$deb" "$dist/backdrop_${debversion}_amd64.deb" >/dev/null
rm -rf "$stage"

echo "build-dist: $(( SECONDS - started )) s"
ls -l "$dist"
