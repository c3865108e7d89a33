#!/bin/sh
# Print-run goldens: entpress compile on the demo school, per batch kind
# and layout, checked the way a print shop and a school would check it.
#
# Each case is cases/NAME.args (the compile arguments beside the fixed
# ones below).  For each, the PostScript run must pass the DSC checker and
# Ghostscript without a message, %%Pages must equal the pages Ghostscript
# counts, the text Ghostscript extracts must equal cases/NAME/page-NNN.txt
# (one file per page), the PDF of the same run must give the same text
# page by page, and both files must come out byte-identical a second
# time.  Codes are predictable in test mode; still, no golden keeps one:
# every code of the run's CSV is replaced by [CODE] before comparing.
# The PDF must also pass qpdf --check, embed every font, bookmark every
# class, and render its first page like the PostScript's at 72 dpi.
# BLESS=1 rewrites the goldens for review in git.
set -u
: "${top_srcdir:=.}"
: "${ENTPRESS:=$top_srcdir/compiler/entpress}"
: "${GS:=gs}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
command -v "$GS" >/dev/null 2>&1 || { echo "print: no Ghostscript" >&2; exit 77; }
dir=$top_srcdir/tests/print
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-print.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fixed="--test-mode --seed 7 --date 2026-09-01 --school-info fixtures/school.xml"
fail=0

ep() {
	(cd "$top_srcdir" && env -i PATH="$PATH" LC_ALL=C TZ=UTC "$ENTPRESS" "$@")
}

# The codes of a run's CSV, one a line, plain and grouped (abcd efgh).
codes() {
	sed '1d; s/\r$//' "$1" | awk -F';' '$7 != "" {
		print $7; print substr($7, 1, 4) " " substr($7, 5) }'
}

# gs text of every page into $2/page-NNN.txt, codes masked with $3.
extract() {
	mkdir -p "$2"
	"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite \
	    -sOutputFile="$2/page-%03d.txt" "$1" || return 1
	if [ -s "$3" ]; then
		for f in "$2"/page-*.txt; do
			awk 'NR == FNR { c[$0] = 1; next }
			    { for (k in c) { while ((i = index($0, k)) > 0)
			      $0 = substr($0, 1, i - 1) "[CODE]" \
			          substr($0, i + length(k)) } print }' \
			    "$3" "$f" >"$f.m" && mv "$f.m" "$f"
		done
	fi
}

for a in "$dir"/cases/*.args; do
	name=$(basename "$a" .args)
	args=$(cat "$a")
	w=$work/$name
	mkdir -p "$w"
	ok=1
	# shellcheck disable=SC2086
	ep compile $fixed $args --ledger "$w/ps.db" -o "$w/run.ps" \
	    --csv "$w/run.csv" >"$w/out" 2>"$w/err"
	rc=$?
	# shellcheck disable=SC2086
	ep compile $fixed $args --ledger "$w/pdf.db" -o "$w/run.pdf" \
	    >/dev/null 2>&1
	# shellcheck disable=SC2086
	ep compile $fixed $args --ledger "$w/ps2.db" -o "$w/run2.ps" \
	    >/dev/null 2>&1
	# shellcheck disable=SC2086
	ep compile $fixed $args --ledger "$w/pdf2.db" -o "$w/run2.pdf" \
	    >/dev/null 2>&1
	if [ $rc -gt 1 ] || [ ! -s "$w/run.ps" ] || [ ! -s "$w/run.pdf" ]; then
		echo "FAIL: $name: compile exit $rc"; cat "$w/err"; fail=1
		continue
	fi
	cmp -s "$w/run.ps" "$w/run2.ps" ||
	    { echo "FAIL: $name: PostScript differs between two runs"; ok=0; }
	cmp -s "$w/run.pdf" "$w/run2.pdf" ||
	    { echo "FAIL: $name: PDF differs between two runs"; ok=0; }
	sh "$top_srcdir/tests/ps/dsccheck.sh" "$w/run.ps" || ok=0
	"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=nullpage "$w/run.ps" \
	    >"$w/gs" 2>&1
	if [ $? -ne 0 ] || [ -s "$w/gs" ]; then
		echo "FAIL: $name: Ghostscript complains"; cat "$w/gs"; ok=0
	fi
	dsc=$(sed -n 's/^%%Pages: \([0-9][0-9]*\)$/\1/p' "$w/run.ps")
	gsp=$("$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=bbox "$w/run.ps" \
	    2>&1 | grep -c '^%%BoundingBox')
	[ "$dsc" = "$gsp" ] ||
	    { echo "FAIL: $name: %%Pages $dsc, Ghostscript counts $gsp"; ok=0; }
	codes "$w/run.csv" >"$w/codes"
	extract "$w/run.ps" "$w/ps" "$w/codes" || ok=0
	extract "$w/run.pdf" "$w/pdf" "$w/codes" || ok=0
	if ! diff -r "$w/ps" "$w/pdf" >"$w/diff"; then
		echo "FAIL: $name: PDF text differs from PostScript text"
		head -20 "$w/diff"; ok=0
	fi
	# The PDF as a print shop and an archive check it.
	if command -v qpdf >/dev/null 2>&1; then
		qpdf --check "$w/run.pdf" >/dev/null 2>&1 ||
		    { echo "FAIL: $name: qpdf --check"; ok=0; }
		# Every class of the run has its bookmark.
		qpdf --json "$w/run.pdf" >"$w/json" 2>/dev/null
		for cls in $(grep -h '^%%Page: [^ ]*-COVER ' "$w/run.ps" |
		    sed 's/^%%Page: \(.*\)-COVER .*/\1/'); do
			case $cls in STAFF) continue ;; esac
			grep -q "\"title\": \"$cls\"" "$w/json" ||
			    { echo "FAIL: $name: no bookmark for $cls"; ok=0; }
		done
	fi
	if command -v pdffonts >/dev/null 2>&1; then
		pdffonts "$w/run.pdf" | awk 'NR > 2 && $(NF - 4) != "yes" {
		    bad = 1 } END { exit bad }' ||
		    { echo "FAIL: $name: a font is not embedded"; ok=0; }
	fi
	# Page 1 of both renders the same at 72 dpi.
	for f in ps pdf; do
		"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pnggray -r72 \
		    -dFirstPage=1 -dLastPage=1 -sOutputFile="$w/p1.$f.png" \
		    "$w/run.$f"
	done
	cmp -s "$w/p1.ps.png" "$w/p1.pdf.png" ||
	    { echo "FAIL: $name: page 1 renders differently in PS and PDF"; ok=0; }
	# No page may show a code that is not in the CSV (or a stray one).
	if grep -l "Code d'activation : [A-Za-z2-9]\{4\} [A-Za-z2-9]\{4\}" \
	    "$w"/ps/page-*.txt >/dev/null 2>&1; then
		echo "FAIL: $name: a printed code is not in the CSV"; ok=0
	fi
	if [ "${BLESS:-0}" = 1 ]; then
		rm -rf "$dir/cases/$name"
		cp -r "$w/ps" "$dir/cases/$name"
		echo "BLESS: $name ($dsc pages)"
		continue
	fi
	if ! diff -r "$dir/cases/$name" "$w/ps" >"$w/diff"; then
		echo "FAIL: $name: text differs from the golden"
		head -40 "$w/diff"; ok=0
	fi
	if [ $ok = 1 ]; then
		echo "PASS: $name ($dsc pages)"
	else
		fail=1
	fi
done
exit $fail
