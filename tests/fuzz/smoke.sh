#!/bin/sh
# The fuzz smoke test (`make fuzz-smoke'): run each libFuzzer harness
# for FUZZ_SECONDS (default 60) from its seed corpus and dictionary, and
# fail on the first crash, leak, sanitizer report or timeout.
#
# Usage: smoke.sh WORKDIR FUZZER...   (paths of the built harnesses)
#
# The seeds in tests/fuzz/corpus/NAME are read only; what the fuzzer
# finds goes to WORKDIR/corpus/NAME, kept between runs so that a second
# smoke starts where the first stopped, and a crash leaves its input as
# WORKDIR/NAME-crash-* with the command that replays it.  One summary
# line per harness gives its executions and executions per second.
set -u
: "${srcdir:=.}" "${FUZZ_SECONDS:=60}"
work=$1
shift
mkdir -p "$work" || exit 99
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
fail=0
for f in "$@"; do
	name=$(basename "$f" -fuzzer)
	seeds=$srcdir/tests/fuzz/corpus/$name
	dict=$srcdir/tests/fuzz/$name.dict
	mkdir -p "$work/corpus/$name"
	log=$work/$name.log
	"$f" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -dict="$dict" \
	    -artifact_prefix="$work/$name-" "$work/corpus/$name" "$seeds" \
	    >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	ncorp=$(find "$work/corpus/$name" -type f | wc -l)
	if [ $rc -ne 0 ]; then
		echo "FAIL: $name-fuzzer (exit $rc) after ${runs:-?} executions"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" |
		    head -n 8
		echo "  replay: $f $(ls -t "$work/$name"-* 2>/dev/null |
		    head -n 1); full log: $log"
		fail=1
	else
		echo "PASS: $name-fuzzer: ${runs:-?} executions in" \
		    "${FUZZ_SECONDS}s (${speed:-?}/s), corpus $ncorp new inputs"
	fi
done
exit $fail
