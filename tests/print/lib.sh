# lib.sh: what the scripts of tests/print share (sourced, not run).
#
# Set print_name, then source it with top_srcdir set:
#	: "${top_srcdir:=.}"; print_name=ledger
#	. "$top_srcdir/tests/print/lib.sh"
# It gives ENTPRESS as an absolute path, src (top_srcdir, absolute), a
# work directory removed on exit, fail=0, t ok|no TEXT (one PASS or
# FAIL line; FAIL makes the script exit 1 through "exit $fail") and
# ep_in DIR ARGS... (entpress run from DIR with an emptied environment,
# so no locale, time zone or user setting reaches the output).
: "${ENTPRESS:=$top_srcdir/compiler/entpress}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
case "$top_srcdir" in /*) src=$top_srcdir ;; *) src=$(pwd)/$top_srcdir ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-${print_name:-print}.XXXXXX") ||
    exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
t() {
	if [ "$1" = ok ]; then echo "PASS: $2"; else echo "FAIL: $2"; fail=1; fi
}
ep_in() {
	_wd=$1
	shift
	(cd "$_wd" && env -i PATH="$PATH" LC_ALL=C TZ=UTC "$ENTPRESS" "$@")
}
