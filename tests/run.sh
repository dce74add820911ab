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
# is never counted as a pass.  The last line is "N passed, N failed,
# N skipped".
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
export BUILD
export SMTPWIZ=${SMTPWIZ:-$PWD/$BUILD/smtpwiz}
PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-300}
logdir=$BUILD/test-logs
mkdir -p "$logdir"

tests=()
for f in "$BUILD"/tests/test_* tests/integration/test_*.py \
    tests/integration/test_*.sh; do
	[ -x "$f" ] || continue
	case $f in *.o|*.d) continue;; esac
	if [ $# -gt 0 ]; then
		match=0
		for pat in "$@"; do
			case $(basename "$f") in *"$pat"*) match=1;; esac
		done
		[ $match = 1 ] || continue
	fi
	tests+=("$f")
done

passed=0 failed=0 skipped=0
for t in "${tests[@]}"; do
	name=$(basename "$t")
	log=$logdir/$name.log
	start=$EPOCHREALTIME
	timeout -k 5 "$PER_TEST_TIMEOUT" "$t" >"$log" 2>&1
	rc=$?
	secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	p=$(grep -cE '^ok [0-9]+' "$log" | tr -d ' ')
	s=$(grep -cE '^ok [0-9]+.*# SKIP' "$log" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+' "$log" | tr -d ' ')
	p=$((p - s))
	status=PASS
	if [ $rc = 77 ]; then
		status=SKIP
		[ "$s" -gt 0 ] || s=1
		reason=$(grep -E 'SKIP' "$log" | tail -1 | sed 's/.*SKIP:\{0,1\} *//')
		status="SKIP ($reason)"
	elif [ $rc != 0 ]; then
		status="FAIL (exit $rc)"
		[ "$f" -gt 0 ] || f=1
		[ $rc = 124 ] && status="FAIL (timed out after ${PER_TEST_TIMEOUT}s)"
	elif [ "$f" -gt 0 ]; then
		status=FAIL
	elif [ "$p" = 0 ] && [ "$s" = 0 ]; then
		status="FAIL (no test ran)"
		f=1
	fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	printf '%-40s %4d ok %3d fail %3d skip %6ss  %s\n' "$name" "$p" "$f" \
	    "$s" "$secs" "$status"
	case $status in
	FAIL*)	grep -E '^not ok|^#' "$log" | head -40 | sed 's/^/    /'
		tail -5 "$log" | sed 's/^/    | /';;
	esac
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ ${#tests[@]} -gt 0 ]
