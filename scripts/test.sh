#!/usr/bin/env bash
# Runs the test suite (XCTest; the project has no Swift Testing tests) and ends with one summary line,
# "tests: N passed, N failed, N skipped", that CI reads.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build
swift test --disable-swift-testing "$@" 2>&1 | tee .build/test.log
status=${PIPESTATUS[0]}
# XCTest's last "Executed" line is the whole run's: "Executed 321 tests, with 3 tests skipped and 0 failures ...".
summary=$(grep -E "^\s*Executed [0-9]+ tests?, with " .build/test.log | tail -1)
if [ -n "$summary" ]; then
    total=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
    failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failures?.*/\1/')
    skipped=0
    if echo "$summary" | grep -qE "[0-9]+ tests? skipped"; then
        skipped=$(echo "$summary" | sed -E 's/.*with ([0-9]+) tests? skipped.*/\1/')
    fi
    echo "tests: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
fi
exit "$status"
