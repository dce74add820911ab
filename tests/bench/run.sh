#!/bin/bash
# make bench: smtpwiz's steps 3+4 against sslscan (and testssl.sh when
# installed) on one loopback STARTTLS server, without and with a 2 s
# greeting delay; prints median wall times, ratios and connection
# counts; then the network cases of issue 19 through the loopback delay
# proxy (tests/servers/delay_proxy.py): 100 ms round trip, the 2 s
# greeting, 2 connections per client, each against its floor.  A
# benchmark prints figures, it does not fail on them.
# Knobs (environment): RUNS DELAY_RUNS TESTSSL_RUNS DELAY SMTPWIZ NET_RUNS
# NET_SSLSCAN_RUNS DELAY_MS; see
# tests/bench/bench.py.
set -eu
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
export SMTPWIZ=${SMTPWIZ:-$PWD/$BUILD/smtpwiz}
exec python3 tests/bench/bench.py "$@"
