# Sourced by the set-up scripts: a cache of PyPI wheels, each downloaded once.
CACHE=${MEDLEY_CACHE:-$HOME/.cache/medley}
WHEELS=${MEDLEY_WHEELS:-$CACHE/wheels}
mkdir -p "$WHEELS"

# fetch_wheel NAME==VERSION: download the wheel into $WHEELS unless it is already there.
fetch_wheel() {
    local spec=$1 name=${1%%==*} version=${1##*==}
    local norm; norm=$(echo "$name" | tr '-' '_' | tr '[:upper:]' '[:lower:]')
    if ! ls "$WHEELS"/"$norm"-"$version"-*.whl >/dev/null 2>&1; then
        printf 'setup: downloading wheel %s\n' "$spec" >&2
        local attempt
        for attempt in 1 2; do
            python3 -m pip download --quiet --no-deps -d "$WHEELS" "$spec" && return 0
            printf 'setup: pip download %s failed (attempt %s)\n' "$spec" "$attempt" >&2
            sleep 3
        done
        return 1
    fi
}
