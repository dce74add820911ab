#!/bin/bash
# Builds every libFuzzer target (tests/fuzz/NAME-fuzz.c) and runs each.
#
#   tests/fuzz/run.sh [SECONDS] [NAME...]
#
# SECONDS (default 60) is the fuzzing time per target: `make fuzz` runs
# 60 s each, `make test` a short pass of 5 s each
# (tests/integration/test_fuzz_short.sh).  NAME... limits the run to
# those targets ("smtp", "hello", ...).
#
# For each target, first every file in tests/fuzz/regress/NAME/ (the
# inputs of crashes found and fixed) is run once, then the fuzzer runs
# for SECONDS from the committed seeds in tests/fuzz/corpus/NAME/ plus
# the inputs earlier runs found, kept in $FUZZ_BUILD/corpus/NAME/ (the
# committed corpus is only read).  A crash, a leak, a UBSan report or
# an input slower than 10 s fails the target; its input is saved as
# $FUZZ_BUILD/artifacts/NAME-crash-* and the sanitizer's report is
# shown.  Fix it, then copy the input to tests/fuzz/regress/NAME/.
#
# Output is TAP, one test per target ("ok 3 - smtp: 182311 runs in 5 s,
# corpus 212"), for tests/run.sh.  Exit status 0 all passed, 1 some
# failed, 77 skipped: clang or its libFuzzer runtime is missing
# (Debian: apt-get install clang libclang-rt-dev).
set -u
cd "$(dirname "$0")/../.." || exit 2
secs=${1:-60}
[ $# -gt 0 ] && shift
FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
FUZZ_CC=${FUZZ_CC:-clang}
export SMTPWIZ_ASSETS=${SMTPWIZ_ASSETS:-$PWD/assets}
# Leaks count as bugs; UBSan stops at the first report with a stack.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

skip() {
	echo "1..0 # SKIP $*"
	exit 77
}

case $secs in ''|*[!0-9]*) echo "usage: $0 [SECONDS] [NAME...]" >&2; exit 2;; esac
command -v "$FUZZ_CC" >/dev/null 2>&1 ||
	skip "$FUZZ_CC not installed (apt-get install clang libclang-rt-dev)"
mkdir -p "$FUZZ_BUILD"
probe=$FUZZ_BUILD/probe
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	'{ (void)d; (void)n; return 0; }' >"$probe.c"
"$FUZZ_CC" -fsanitize=fuzzer,address,undefined -o "$probe" "$probe.c" \
    >"$probe.log" 2>&1 ||
	skip "$FUZZ_CC cannot link -fsanitize=fuzzer (libFuzzer runtime missing: apt-get install libclang-rt-dev): $(head -1 "$probe.log")"

echo "# building the fuzz targets in $FUZZ_BUILD"
if ! make --no-print-directory -f tests/fuzz/fuzz.mk -j"$(nproc)" \
    FUZZ_BUILD="$FUZZ_BUILD" FUZZ_CC="$FUZZ_CC" >"$FUZZ_BUILD/build.log" 2>&1; then
	echo "not ok 1 - build the fuzz targets"
	grep -E 'error|Error' "$FUZZ_BUILD/build.log" | head -20 | sed 's/^/# /'
	echo "1..1"
	exit 1
fi

targets=()
for f in tests/fuzz/*-fuzz.c; do
	name=$(basename "$f" -fuzz.c)
	if [ $# -gt 0 ]; then
		match=0
		for pat in "$@"; do [ "$name" = "$pat" ] && match=1; done
		[ $match = 1 ] || continue
	fi
	targets+=("$name")
done
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz target matches: $*" >&2; exit 2; }

n=0 failed=0
mkdir -p "$FUZZ_BUILD/artifacts" "$FUZZ_BUILD/logs"
for name in "${targets[@]}"; do
	bin=$FUZZ_BUILD/$name-fuzz
	log=$FUZZ_BUILD/logs/$name.log
	work=$FUZZ_BUILD/corpus/$name
	seeds=tests/fuzz/corpus/$name
	mkdir -p "$work"

	# 1. Regression inputs: each must run clean.
	if [ -d "tests/fuzz/regress/$name" ] &&
	    [ -n "$(ls -A "tests/fuzz/regress/$name")" ]; then
		n=$((n + 1))
		nreg=$(ls -A "tests/fuzz/regress/$name" | wc -l)
		if "$bin" -runs=1 "tests/fuzz/regress/$name"/* \
		    >"$log.regress" 2>&1; then
			echo "ok $n - $name: $nreg regression input(s) pass"
		else
			echo "not ok $n - $name: a regression input fails again"
			grep -E 'ERROR|SUMMARY|Running:|#[0-9]+ ' "$log.regress" |
			    head -20 | sed 's/^/# /'
			failed=$((failed + 1))
		fi
	fi

	# 2. Fuzz for $secs seconds.
	n=$((n + 1))
	args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048
	    -print_final_stats=1 -artifact_prefix="$FUZZ_BUILD/artifacts/$name-")
	[ -f "tests/fuzz/$name.dict" ] && args+=(-dict="tests/fuzz/$name.dict")
	# NAME.options: extra libFuzzer flags, e.g. -max_len for a slow target
	[ -f "tests/fuzz/$name.options" ] &&
		read -r -a extra <"tests/fuzz/$name.options" && args+=("${extra[@]}")
	dirs=("$work")
	[ -d "$seeds" ] && dirs+=("$seeds")
	start=$SECONDS
	"$bin" "${args[@]}" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	corpus=$(ls -A "$work" | wc -l)
	if [ $rc = 0 ]; then
		echo "ok $n - $name: ${runs:-?} runs in $((SECONDS - start)) s, corpus $corpus (+$(ls -A "$seeds" 2>/dev/null | wc -l) seeds)"
	else
		echo "not ok $n - $name: the fuzzer stopped with status $rc after ${runs:-?} runs"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*Test unit written|.*ALARM|.*leak)' "$log" |
		    head -12 | sed 's/^/# /'
		grep -E '^ +#[0-9]+ ' "$log" | head -12 | sed 's/^/# /'
		echo "# full log: $log"
		failed=$((failed + 1))
	fi
done
echo "1..$n"
[ $failed = 0 ]
