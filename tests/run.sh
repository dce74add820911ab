#!/bin/bash
# Runs every test and counts TAP results.
#
#   tests/run.sh            all tests
#   tests/run.sh NAME...    the tests whose file name contains NAME
#
# A test is a unit binary in $BUILD/tests/test_* or an executable
# tests/integration/test_*.{py,sh}.  Each prints TAP lines ("ok N - …",
# "not ok N - …", "ok N - … # SKIP reason") and exits 0 (pass), 77 (whole
# file skipped; its last line says why) or anything else (fail).  A file
# that fails without printing a "not ok" counts as one failure; a skip
# is never counted as a pass.
#
# With SAN_BUILD set (make test does: build/asan), the unit tests of that
# build and the integration tests named in SAN_TESTS run once more
# against the AddressSanitizer + UBSan binaries, marked "[asan]".
#
# With NOT set to words (make test-mbedtls2: the tests that do not use
# $BUILD's binaries and ran already), the files whose name contains one
# of them are left out, and a line before the last says which.
#
# The last line is "N passed, N failed, N skipped" for everything run.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-300}
passed=0 failed=0 skipped=0 ran=0

# matches NAME PATTERN...: does NAME contain one of the patterns?
matches() {
	local name=$1 pat
	shift
	[ $# -eq 0 ] && return 0
	for pat in "$@"; do
		case $name in *"$pat"*) return 0;; esac
	done
	return 1
}

# run_one TEST BUILD LABEL: runs it, prints its line, adds its counts.
run_one() {
	local t=$1 build=$2 label=$3 name log start rc secs p s f status
	name=$(basename "$t")$label
	log=$build/test-logs/$name.log
	mkdir -p "$build/test-logs"
	start=$EPOCHREALTIME
	BUILD=$build SMTPWIZ=$PWD/$build/smtpwiz \
	    timeout -k 5 "$PER_TEST_TIMEOUT" "$t" >"$log" 2>&1
	rc=$?
	secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" \
	    'BEGIN { printf "%.1f", b - a }')
	p=$(grep -cE '^ok [0-9]+' "$log")
	s=$(grep -cE '^ok [0-9]+.*# SKIP' "$log")
	f=$(grep -cE '^not ok [0-9]+' "$log")
	p=$((p - s))
	status=PASS
	if [ $rc = 77 ]; then
		[ "$s" -gt 0 ] || s=1
		status="SKIP ($(grep -E 'SKIP' "$log" | tail -1 |
		    sed 's/.*SKIP:\{0,1\} *//'))"
	elif [ $rc != 0 ]; then
		status="FAIL (exit $rc)"
		[ "$f" -gt 0 ] || f=1
		[ $rc = 124 ] &&
		    status="FAIL (timed out after ${PER_TEST_TIMEOUT}s)"
	elif [ "$f" -gt 0 ]; then
		status=FAIL
	elif [ "$p" = 0 ] && [ "$s" = 0 ]; then
		status="FAIL (no test ran)"
		f=1
	fi
	passed=$((passed + p)); failed=$((failed + f))
	skipped=$((skipped + s)); ran=$((ran + 1))
	printf '%-40s %4d ok %3d fail %3d skip %6ss  %s\n' "$name" "$p" \
	    "$f" "$s" "$secs" "$status"
	case $status in
	FAIL*)	grep -E '^not ok|^#' "$log" | head -40 | sed 's/^/    /'
		tail -5 "$log" | sed 's/^/    | /';;
	esac
}

for t in "$BUILD"/tests/test_* tests/integration/test_*.py \
    tests/integration/test_*.sh; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	case $t in *.o|*.d) continue;; esac
	# shellcheck disable=SC2086  # NOT is a word list
	if [ -n "${NOT:-}" ] && matches "$(basename "$t")" $NOT; then
		left_out="${left_out:-}${left_out:+ }$(basename "$t")"
		continue
	fi
	matches "$(basename "$t")" "$@" && run_one "$t" "$BUILD" ""
done
[ -n "${left_out:-}" ] && echo "left out (NOT): $left_out"

if [ -n "${SAN_BUILD:-}" ]; then
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	for t in "$SAN_BUILD"/tests/test_*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		case $t in *.o|*.d) continue;; esac
		matches "$(basename "$t")" "$@" &&
		    run_one "$t" "$SAN_BUILD" " [asan]"
	done
	for t in ${SAN_TESTS:-}; do
		t=tests/integration/$t
		[ -x "$t" ] || continue
		matches "$(basename "$t")" "$@" &&
		    run_one "$t" "$SAN_BUILD" " [asan]"
	done
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$ran" -gt 0 ]
