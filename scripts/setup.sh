#!/usr/bin/env bash
# One-step, idempotent set-up of everything Medley needs on Debian 12 (x86-64):
#   1. Debian packages (FFmpeg libraries and CLI, OpenBLAS, espeak-ng, soxr, SQLite for GRDB, OpenSSL's libcrypto
#      for SHA-256, pkg-config, Chromium)
#   2. the OpenVINO C runtime from the PyPI wheel, installed so plain `swift build` finds it
#   3. Selenium from PyPI, which drives the Debian chromium in the report page's browser test, with axe-core
#      (accessibility audit) and jsonschema (report.json against docs/report.schema.json) for the same check
# The models are installed afterwards by scripts/install-models.sh through `medley models install`, so the
# code that installs them in CI is the code users run.
set -euo pipefail

OPENVINO_VERSION=2026.4.1
OPENVINO_SOVERSION=2641
SELENIUM_VERSION=4.51.0
AXE_SELENIUM_VERSION=2.1.6   # the last release for Python 3.11; bundles axe-core 3.1
JSONSCHEMA_VERSION=4.26.0
PREFIX=/usr/local
OV_LIBDIR=$PREFIX/lib/medley-openvino

log() { printf 'setup: %s\n' "$*" >&2; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# MARK: - Debian packages
DEB_PACKAGES=(
    pkg-config
    libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libswscale-dev ffmpeg
    libopenblas-dev libsoxr-dev libsqlite3-dev libssl-dev
    libespeak-ng-dev espeak-ng espeak-ng-data
    unzip imagemagick sox time bc
    chromium chromium-driver
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

# MARK: - The OpenVINO wheel, fetched once (model wheels: scripts/install-models.sh)
source "$(dirname "$0")/wheels.sh"
fetch_wheel "openvino==$OPENVINO_VERSION"

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
# MARK: - The openvino Python package (with its dependencies), which converts MediaPipe's selfie-segmentation
# models to OpenVINO IR when scripts/install-models.sh installs them (Medley's installer runs the converter)
if ! python3 -c "import openvino, sys; sys.exit(openvino.__version__.split('-')[0] != '$OPENVINO_VERSION')" 2>/dev/null; then
    log "installing the openvino $OPENVINO_VERSION Python package (converts the selfie-segmentation models)"
    python3 -m pip install --quiet --disable-pip-version-check --find-links "$WHEELS" "openvino==$OPENVINO_VERSION"
fi
# MARK: - Selenium, for scripts/check-report-ui.py (it drives /usr/bin/chromedriver; no driver downloads)
if ! python3 -c "import selenium" 2>/dev/null; then
    log "installing selenium $SELENIUM_VERSION (PyPI) for the report page's browser test"
    python3 -m pip install --quiet --disable-pip-version-check "selenium==$SELENIUM_VERSION"
fi
if ! python3 -c "import axe_selenium_python" 2>/dev/null; then
    # --no-deps: it names pytest as a dependency, which the check does not use.
    log "installing axe-selenium-python $AXE_SELENIUM_VERSION (PyPI) for the report page's accessibility audit"
    python3 -m pip install --quiet --disable-pip-version-check --no-deps "axe-selenium-python==$AXE_SELENIUM_VERSION"
fi
if ! python3 -c "import jsonschema" 2>/dev/null; then
    log "installing jsonschema $JSONSCHEMA_VERSION (PyPI) to check report.json against its schema"
    python3 -m pip install --quiet --disable-pip-version-check "jsonschema==$JSONSCHEMA_VERSION"
fi
log "system set-up complete"
