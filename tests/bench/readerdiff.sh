#!/bin/sh
# Differential test of the AAF reader: `entpress check` of two builds on
# many broken exports must print the same bytes and exit the same way.
#
#	sh tests/bench/readerdiff.sh OLD/entpress NEW/entpress [SEED [COUNT]]
#
# tests/bench/mutate.py (python3) derives COUNT (default 1000) files from
# the demo school, the hostile inputs of the tests and a slice of a
# generated academy: truncations (around the parser's 512-byte chunks
# too), flipped bytes, inserted markup, references and entities, cut and
# doubled ranges.  Each is checked alone; a difference names the file.
set -u
old=$1
new=$2
seed=${3:-1}
count=${4:-1000}
: "${top_srcdir:=.}"
: "${GEN:=./fixtures/gen-academy}"
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-readerdiff.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
"$GEN" 300 "$work/academy" >/dev/null || exit 99
python3 "$top_srcdir/tests/bench/mutate.py" "$work/m" "$seed" "$count" \
    "$top_srcdir" "$work/academy" || exit 99
bad=0
for f in "$work/m"/*.xml; do
	b=$(basename "$f")
	a=$(cd "$work/m" && env -i LC_ALL=C "$old" check "$b" 2>&1; echo "exit $?")
	n=$(cd "$work/m" && env -i LC_ALL=C "$new" check "$b" 2>&1; echo "exit $?")
	if [ "$a" != "$n" ]; then
		echo "differs: $b"
		bad=$((bad + 1))
	fi
done
echo "readerdiff: $count files, $bad differ"
[ $bad -eq 0 ]
