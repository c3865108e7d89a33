#!/bin/sh
# make check-valgrind: the golden scenarios with entpress under Valgrind's
# memcheck, which must report no error and no leak.
#
# tests/golden/run.sh (check and list: the demo, the selections, the
# hostile exports) and tests/print/run.sh (compile: every print scenario
# to PostScript and PDF, with its CSV) run unchanged, with ENTPRESS
# pointing at a wrapper that starts the real program under valgrind.
# The scripts empty the environment, so the wrapper is written with its
# paths in it.  Memcheck reports to one log file per process; an error,
# a definite or indirect leak makes the process exit 99, which the
# scenario reports as a wrong exit status, and any log that is not empty
# fails this script too.  Not part of make check: a pass takes minutes.
set -u
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
: "${ENTPRESS:=$top_builddir/compiler/entpress}"
: "${VALGRIND:=valgrind}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 99
command -v "$VALGRIND" >/dev/null 2>&1 ||
    { echo "check-valgrind: no valgrind (package valgrind)" >&2; exit 99; }
VALGRIND=$(command -v "$VALGRIND")
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-valgrind.XXXXXX") || exit 99
trap "rm -rf \"$work\"" EXIT INT TERM
mkdir "$work/logs"

cat >"$work/entpress" <<WRAP
#!/bin/sh
exec "$VALGRIND" -q --tool=memcheck --error-exitcode=99 \\
    --leak-check=full --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect \\
    --log-file="$work/logs/vg.%p.log" "$ENTPRESS" "\$@"
WRAP
chmod +x "$work/entpress"

fail=0
for s in golden/run.sh print/run.sh; do
	echo "check-valgrind: tests/$s"
	top_srcdir=$top_srcdir ENTPRESS=$work/entpress \
	    sh "$top_srcdir/tests/$s" >"$work/out" 2>&1
	rc=$?
	grep -c '^PASS' "$work/out" | sed "s/^/check-valgrind: passed: /"
	if [ $rc -ne 0 ]; then
		grep -v '^PASS' "$work/out" | head -n 40
		echo "FAIL: tests/$s under valgrind (exit $rc)"
		fail=1
	fi
done
n=$(ls "$work/logs" | wc -l)
bad=0
for l in "$work"/logs/*.log; do
	[ -s "$l" ] || continue
	bad=$((bad + 1))
	[ $bad -le 3 ] && { echo "--- $l"; head -n 60 "$l"; }
done
if [ $bad -gt 0 ]; then
	echo "FAIL: valgrind reported on $bad of $n processes"
	fail=1
else
	echo "PASS: valgrind silent on all $n processes (no error, no leak)"
fi
exit $fail
