#!/bin/sh
# The demo export read from a .tar.gz, a .zip and as a list of files
# must give the same `check` report as the directory itself
# (tests/golden/cases/demo-check.out).
set -u
: "${top_srcdir:=.}"
: "${ENTPRESS:=$top_srcdir/compiler/entpress}"
expect=$top_srcdir/tests/golden/cases/demo-check.out
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-archive.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
run() {
	name=$1; shift
	env -i PATH="$PATH" LC_ALL=C "$ENTPRESS" check "$@" >"$work/out" \
	    2>"$work/err"
	rc=$?
	if [ $rc -gt 1 ] || ! diff -u "$expect" "$work/out"; then
		echo "FAIL: $name (exit $rc)"; cat "$work/err"; fail=1
	else
		echo "PASS: $name"
	fi
}
(cd "$top_srcdir/fixtures/demo" && tar czf "$work/demo.tar.gz" *.xml) ||
    exit 99
run tar.gz "$work/demo.tar.gz"
if command -v bsdtar >/dev/null 2>&1; then
	(cd "$top_srcdir/fixtures/demo" &&
	    bsdtar -a -cf "$work/demo.zip" *.xml) || exit 99
	run zip "$work/demo.zip"
	# A member that is not XML is reported and skipped.
	(cd "$top_srcdir/fixtures/demo" &&
	    bsdtar -a -cf "$work/more.zip" *Etab*.xml manual.csv) || exit 99
	env -i PATH="$PATH" "$ENTPRESS" check "$work/more.zip" >/dev/null \
	    2>"$work/err"
	if grep -qx "entpress: $work/more.zip(manual.csv): WARNING: archive member is not an AAF XML file, ignored" \
	    "$work/err"; then
		echo "PASS: zip member warning"
	else
		echo "FAIL: zip member warning"; cat "$work/err"; fail=1
	fi
else
	echo "archive.sh: bsdtar missing (libarchive-tools)" >&2
	exit 77
fi
# Files given one by one, in reverse order: the reader sorts them.
run files $(ls -r "$top_srcdir"/fixtures/demo/*.xml)
# A corrupt archive is an error, not a crash.
head -c 3000 "$work/demo.tar.gz" >"$work/cut.tar.gz"
env -i PATH="$PATH" "$ENTPRESS" check "$work/cut.tar.gz" >/dev/null \
    2>"$work/err"
rc=$?
if [ $rc -ne 2 ] || ! grep -q "ERROR" "$work/err"; then
	echo "FAIL: truncated archive (exit $rc)"; cat "$work/err"; fail=1
else
	echo "PASS: truncated archive"
fi
exit $fail
