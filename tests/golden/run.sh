#!/bin/sh
# Golden tests: run entpress on fixtures and compare what it prints.
#
# Each case is cases/NAME.cmd, one line of arguments (paths relative to
# the source tree, where the command runs).  Its siblings hold what must
# come out: NAME.out (standard output), NAME.err (diagnostics) and
# NAME.rc (exit status).  A missing sibling is not checked.  NAME.absent
# lists strings, one a line, that must appear in neither output (a
# secret, the content of a file an entity points at).  With
# BLESS=1 the siblings are rewritten from the current output instead, for
# review in git (make golden-bless).  The environment is emptied so no
# locale, time zone or user setting can leak into the output.
set -u
: "${top_srcdir:=.}"
: "${ENTPRESS:=$top_srcdir/compiler/entpress}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
cases=$(cd "$top_srcdir/tests/golden/cases" && ls *.cmd 2>/dev/null)
[ -n "$cases" ] || { echo "golden: no cases" >&2; exit 99; }
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-golden.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
pass=0 fail=0
for c in $cases; do
	name=${c%.cmd}
	dir=$top_srcdir/tests/golden/cases
	args=$(cat "$dir/$c")
	# shellcheck disable=SC2086
	(cd "$top_srcdir" && env -i PATH="$PATH" LC_ALL=C TZ=UTC \
	    "$ENTPRESS" $args >"$work/$name.out" 2>"$work/$name.err")
	echo $? >"$work/$name.rc"
	if [ "${BLESS:-0}" = 1 ]; then
		for k in out err rc; do
			cp "$work/$name.$k" "$dir/$name.$k"
		done
		echo "BLESS: $name"
		continue
	fi
	ok=1
	for k in out err rc; do
		[ -f "$dir/$name.$k" ] || continue
		if ! diff -u "$dir/$name.$k" "$work/$name.$k" >"$work/diff"; then
			ok=0
			echo "FAIL: $name ($k differs)"
			head -n 40 "$work/diff"
		fi
	done
	if [ -f "$dir/$name.absent" ]; then
		while IFS= read -r s; do
			[ -n "$s" ] || continue
			if grep -qF -- "$s" "$work/$name.out" "$work/$name.err"; then
				ok=0
				echo "FAIL: $name (forbidden string in output)"
			fi
		done <"$dir/$name.absent"
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "PASS: $name"
	else
		fail=$((fail + 1))
	fi
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
