#!/bin/bash
# The short fuzzing pass of `make test` (issue 7, point 1): every fuzz
# target is built with clang and libFuzzer (ASan + UBSan), its
# regression inputs (tests/fuzz/regress/NAME/) are run, and it fuzzes
# for FUZZ_SHORT_SECONDS (default 2) from the committed seeds.  TAP comes from
# tests/fuzz/run.sh, which skips the file (exit 77) when clang or its
# libFuzzer runtime is missing.  `make fuzz` is the long run.
cd "$(dirname "$0")/../.." || exit 2
exec tests/fuzz/run.sh "${FUZZ_SHORT_SECONDS:-2}"
