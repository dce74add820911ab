#!/bin/bash
# make bench: smtpwiz's steps 3+4 against sslscan (and testssl.sh when
# installed) on one loopback STARTTLS server, without and with a 2 s
# greeting delay; prints median wall times, ratios and connection
# counts.  A benchmark prints figures, it does not fail on them.
# Knobs (environment): RUNS DELAY_RUNS TESTSSL_RUNS DELAY SMTPWIZ; see
# tests/bench/bench.py.
set -eu
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
export SMTPWIZ=${SMTPWIZ:-$PWD/$BUILD/smtpwiz}
exec python3 tests/bench/bench.py "$@"
