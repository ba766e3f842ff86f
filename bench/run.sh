#!/usr/bin/env bash
# Runs every benchmark (release builds, each against its peer in the same run).
# Each bench/<name>.sh prints its own figures; record them in bench/RESULTS.md with the date.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --quiet -c release --product medley
swift build --quiet -c release --product medley-bench
status=0
for script in bench/*.sh; do
    [ "$(basename "$script")" = "run.sh" ] && continue
    echo "== $script"
    bash "$script" || { echo "bench: $script failed" >&2; status=1; }
done
exit $status
