#!/bin/sh
# Every input a fuzzer crashed on, replayed through the command line.
#
# tests/fuzz/regress/ keeps one file per crash found and fixed, named
# after the reader it entered through: aaf-*.xml (an export), layout-*.xml
# (a --layout file), school-*.xml (a --school-info file), csv-*.csv (a
# manual-accounts CSV, also read as the ENT's account export).  Each is
# run the way an administrator would run it, and entpress must answer
# with an exit status of 0, 1 or 2 (diagnostics, not a crash: no signal,
# no system error) and no sanitizer report in an ASan build.  README
# says what crashed on each input and why.
set -u
: "${top_srcdir:=.}"
: "${ENTPRESS:=$top_srcdir/compiler/entpress}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
dir=$top_srcdir/tests/fuzz/regress
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-regress.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fail=0 n=0
ep() {
	(cd "$top_srcdir" && env -i PATH="$PATH" LC_ALL=C TZ=UTC \
	    ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
	    "$ENTPRESS" "$@")
}
# run NAME ARGS...: one command on one input; rc 0..2 and no sanitizer.
run() {
	name=$1
	shift
	ep "$@" >"$work/out" 2>"$work/err"
	rc=$?
	if [ $rc -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$work/err"; then
		echo "FAIL: $name: entpress $1 exit $rc"
		grep -v WARNING "$work/err" | head -n 10
		fail=1
	fi
}
out="--test-mode --seed 5 --date 2026-09-01 --ledger $work/db \
-o $work/run.ps -o $work/run.pdf --csv $work/run.csv"
for f in "$dir"/*; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	[ "$b" = README ] && continue
	n=$((n + 1))
	rm -f "$work/db" "$work/db.key"
	case $b in
	aaf-*.xml)
		run "$b" check "$f"
		run "$b" list "$f"
		# shellcheck disable=SC2086
		run "$b" compile $out "$f" ;;
	layout-*.xml)
		# shellcheck disable=SC2086
		run "$b" compile $out --layout "$f" --class 4B fixtures/demo ;;
	school-*.xml)
		# shellcheck disable=SC2086
		run "$b" compile $out --school-info "$f" --class 4B \
		    fixtures/demo ;;
	csv-*.csv)
		# shellcheck disable=SC2086
		run "$b" compile $out --origin manual fixtures/demo "$f"
		run "$b" accounts import --ledger "$work/db" "$f" ;;
	*)
		echo "FAIL: $b: unknown kind of input (aaf-, layout-, school-, csv-)"
		fail=1 ;;
	esac
done
[ $fail = 0 ] && echo "PASS: $n crash inputs replayed"
exit $fail
