#!/bin/sh
# A whole school in one run: more accounts than the demo's few hundred.
#
# fixtures/gen-academy invents a collège of 400 students; with their
# guardians and staff that is over 1,024 accounts, more than one block
# of a run's codes.  The compile must end normally, and its CSV must
# give every account the code its letter prints, in the PostScript and
# in the PDF.  (When compile grew one code buffer by moving it, every
# code issued before the move pointed into freed memory by the time the
# CSV was written: export_csv_write() failed its assertion, SIGABRT, and
# without assertions the CSV and LDIF would have carried wrong codes.)
set -u
. "${top_srcdir:-.}/tests/hostile/lib.sh"
command -v "$GS" >/dev/null 2>&1 || exit 77
gen=$top_builddir/fixtures/gen-academy
case "$gen" in /*) ;; *) gen=$(pwd)/$gen ;; esac
[ -x "$gen" ] || { echo "school: $gen not built" >&2; exit 99; }
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-school.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
"$gen" 400 "$work/acad" >/dev/null || exit 99
ep compile --test-mode --seed 91 --date 2026-09-01 --ledger "$work/db" \
    -o "$work/run.ps" -o "$work/run.pdf" --csv "$work/run.csv" \
    "$work/acad" 2>"$work/err"
rc=$?
fail=0
n=$(awk 'BEGIN { RS = "\r\n" } NR > 1 && NF > 0' "$work/run.csv" 2>/dev/null |
    wc -l)
if [ $rc -gt 1 ] || ! sane "$work/err" || [ "$n" -le 1024 ]; then
	echo "FAIL: compile of a 400-student school: exit $rc, $n accounts"
	grep -v WARNING "$work/err" | head -n 5
	exit 1
fi
for f in ps pdf; do
	if check_codes "$work/run.$f" "$work/run.csv"; then
		echo "PASS: $f: $n accounts, each printed with the code of the CSV"
	else
		echo "FAIL: $f: the CSV's codes are not the printed ones"; fail=1
	fi
done
exit $fail
