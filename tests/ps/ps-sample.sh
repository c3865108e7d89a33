#!/bin/sh
# ps-sample: the PostScript back end seen from outside.  A sample run
# written by tests/ps/ps-sample (a letter with hostile strings, a blank
# verso, a page in glyph vector 1) must pass the DSC checker, run clean
# on Ghostscript, have as many pages for Ghostscript as %%Pages says,
# give back its hostile strings literally in the extracted text, and be
# the same bytes when written twice.  Skipped (77) without Ghostscript;
# 99 when the harness itself fails.
set -u
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
: "${GS:=}"
if [ -z "$GS" ]; then
	echo "ps-sample: no Ghostscript, skipped"
	exit 77
fi
sample=$top_builddir/tests/ps/ps-sample
dsccheck=$top_srcdir/tests/ps/dsccheck.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-ps.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
no() {
	echo "FAIL: $*"
	fail=1
}

env -i PATH="$PATH" LC_ALL=C "$sample" "$work/a.ps" || exit 99
env -i PATH="$PATH" LC_ALL=C TZ=Pacific/Kiritimati "$sample" "$work/b.ps" ||
    exit 99

cmp -s "$work/a.ps" "$work/b.ps" || no "two runs differ"
sh "$dsccheck" "$work/a.ps" || no "DSC structure"

# Ghostscript must run it without a word on stderr.
"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=nullpage "$work/a.ps" \
    >"$work/null.out" 2>"$work/null.err" || no "gs nullpage exit status $?"
if [ -s "$work/null.err" ] || [ -s "$work/null.out" ]; then
	no "gs nullpage printed:"
	cat "$work/null.out" "$work/null.err"
fi

# The bbox device prints one %%BoundingBox per page, blank ones included.
pages=$(sed -n 's/^%%Pages: \([0-9][0-9]*\)$/\1/p' "$work/a.ps" | tail -n 1)
gspages=$("$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=bbox "$work/a.ps" 2>&1 |
    grep -c '^%%BoundingBox:')
[ -n "$pages" ] && [ "$pages" = "$gspages" ] ||
    no "%%Pages: says '$pages', Ghostscript counted $gspages pages"
[ "$pages" = 3 ] || no "expected 3 pages, %%Pages: says '$pages'"

# Every hostile or accented string comes back as it was written.
"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite -sOutputFile=- \
    "$work/a.ps" >"$work/a.txt" 2>"$work/txt.err" || no "gs txtwrite failed"
for s in ') showpage (' 'back\slash' '%!PS' \
    'Œuvre Æther élève' 'Collège Élise Reclus' '(12 €).' \
    'Document personnel — ne pas diffuser' 'Login : zoe.martin' \
    'Code : k7Tm 9qRw' 'ééé(((' '(((end' 'ŁłĀā'; do
	grep -F -q -e "$s" "$work/a.txt" || no "text '$s' not extracted"
done
# Control bytes are .notdef glyphs, which txtwrite passes through.
grep -q 'ctl.*(x' "$work/a.txt" || no "text 'ctl...(x' not extracted"
# ...and nothing came out of the page content as code: one page each.
n=$(grep -c 'showpage' "$work/a.txt")
[ "$n" = 1 ] || no "'showpage' found $n times in the text, expected 1"

if [ "$fail" != 0 ]; then
	echo "extracted text:"
	cat "$work/a.txt"
	exit 1
fi
echo "ps-sample: ok ($pages pages, $(wc -c <"$work/a.ps") bytes)"
exit 0
