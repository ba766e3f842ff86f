#!/usr/bin/env bash
# Runs the test suite (XCTest; the project has no Swift Testing tests) and ends with one summary line,
# "N passed, N failed", that CI reads.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build
swift test --disable-swift-testing "$@" 2>&1 | tee .build/test.log
status=${PIPESTATUS[0]}
summary=$(grep -E "^\s*Executed [0-9]+ tests?, with [0-9]+ failures?" .build/test.log | tail -1)
total=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
failed=$(echo "$summary" | sed -E 's/.*with ([0-9]+) failures?.*/\1/')
if [ -n "$summary" ]; then
    echo "tests: $((total - failed)) passed, $failed failed"
fi
exit "$status"
