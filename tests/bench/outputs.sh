#!/bin/sh
# The byte-identity check behind every optimisation: run a fixed matrix
# of commands (check, list and compile: every batch kind and layout, PS
# and PDF, CSV and LDIF, the demo school, the hostile names and a small
# generated academy) and print one line per output file and stream:
# its SHA-256 and name.  Two builds are equivalent when their listings
# are equal:
#
#	ENTPRESS=old/entpress sh tests/bench/outputs.sh >before
#	ENTPRESS=new/entpress sh tests/bench/outputs.sh >after
#	diff before after
#
# ACADEMY=DIR reuses a generated academy (default: a 3,000-student one
# generated here with fixtures/gen-academy).
set -u
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
: "${ENTPRESS:=$top_builddir/compiler/entpress}"
: "${GEN:=$top_builddir/fixtures/gen-academy}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
case "$GEN" in /*) ;; *) GEN=$(pwd)/$GEN ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-outputs.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
if [ -z "${ACADEMY:-}" ]; then
	ACADEMY=$work/academy
	"$GEN" 3000 "$ACADEMY" 5 >/dev/null || exit 99
fi
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 99

# run NAME ARGS...: one command; its stdout, stderr, exit status and
# every file it wrote in $work/NAME are listed.
run() {
	name=$1
	shift
	mkdir "$work/$name"
	(cd "$work/$name" && env -i PATH="$PATH" LC_ALL=C TZ=UTC \
	    "$ENTPRESS" "$@" >stdout 2>stderr)
	echo $? >"$work/$name/status"
	# The temporary names carry the process id; the ledger its run time.
	sed "s|$work|WORK|g" "$work/$name/stderr" >"$work/$name/stderr.s"
	mv "$work/$name/stderr.s" "$work/$name/stderr"
	rm -f "$work/$name"/*.db "$work/$name"/*.db.key
	# The summary's time is the one line a run does not reproduce (and
	# what a faster build changes); a binary looks for its layouts in
	# the tree it was built in, which differs between the two builds.
	sed -e 's|^\(entpress: \)[^ ]*/layouts/|\1LAYOUTS/|' \
	    -e "s|$top_srcdir|SRC|g" -e 's|; [0-9][0-9.]* s$|; T s|' \
	    "$work/$name/stderr" >"$work/$name/e"
	mv "$work/$name/e" "$work/$name/stderr"
	# argon2id salts are random: the LDIF is compared without hashes
	# (the value and its continuation lines).
	for lf in "$work/$name"/*.ldif; do
		[ -f "$lf" ] || continue
		awk '/^userPassword:/ { print "userPassword: X"; skip = 1; next }
		    skip && /^ / { next } { skip = 0; print }' "$lf" >"$lf.s" &&
		    mv "$lf.s" "$lf"
	done
	(cd "$work" && sha256sum "$name"/*)
}

compile() {
	name=$1
	shift
	run "$name" compile --test-mode --seed 11 --date 2026-09-01 \
	    --ledger "$work/$name/l.db" "$@"
}

demo=$top_srcdir/fixtures/demo
hostile=$top_srcdir/tests/print/inputs
school=$top_srcdir/fixtures/school.xml
# The demo with a first name no font can print: every letter naming
# that student warns, which caches must not silence.
mkdir "$work/glyphs"
cp "$demo"/*_Complet_* "$work/glyphs/"
sed '0,/<attr name="givenName"><value>[^<]*/s//&\&#x6F22;\&#x5B57; \&#x14A;/' \
    "$demo/ENT2DVA-DEMO_Complet_20260901_Eleve_0000.xml" \
    >"$work/glyphs/ENT2DVA-DEMO_Complet_20260901_Eleve_0000.xml"

run check-demo check $demo
run check-academy check "$ACADEMY"
run list-demo list $demo $demo/manual.csv
run list-academy list --profile parent,teacher "$ACADEMY"
for f in ps pdf; do
	compile demo-all-$f --school-info $school -o \
	    "$work/demo-all-$f/run.$f" --csv "$work/demo-all-$f/run.csv" \
	    $demo $demo/manual.csv
	compile demo-pdfa-$f --pdfa --school-info $school -o \
	    "$work/demo-pdfa-$f/run.$f" $demo
	for l in halfsheet cards; do
		compile demo-$l-$f --layout $l --school-info \
		    $school -o "$work/demo-$l-$f/run.$f" $demo
	done
	compile hostile-$f -o "$work/hostile-$f/run.$f" $hostile
	compile glyphs-$f -o "$work/glyphs-$f/run.$f" "$work/glyphs"
	for b in class staff mail; do
		compile academy-$b-$f --batch $b -o \
		    "$work/academy-$b-$f/run.$f" "$ACADEMY"
	done
done
compile demo-both --school-info $school -o \
    "$work/demo-both/run.ps" -o "$work/demo-both/run.pdf" \
    --csv "$work/demo-both/run.csv" --csv-encoding cp1252 \
    --ldif "$work/demo-both/run.ldif" $demo
