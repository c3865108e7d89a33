#!/bin/sh
# The PDF back end read by other programs: pdf-sample writes a small run
# (two letters and their blank versos, hostile strings, three glyph
# vectors, bookmarks, labels), once plain, once again to compare bytes,
# once as PDF/A-2b, once with whole fonts, and once as PostScript
# through emit_ps from the same pages, and this script has
#   qpdf      check the syntax, streams and xref, and show the outlines,
#             page labels, output intent and metadata (JSON, objects);
#   poppler   count the pages, see every font embedded, extract text;
#   gs        parse the file without a warning, extract text, and render
#             page 1 of the PDF and of the PostScript at 72 dpi.
# The strings must come out literally, and the two back ends must give
# the same text and the same pixels.  Skips (77) without the tools.
set -u
: "${top_builddir:=.}"
SAMPLE=$top_builddir/tests/pdf/pdf-sample
GS=${GS:-gs}
for t in qpdf pdffonts pdfinfo pdftotext "$GS"; do
	command -v "$t" >/dev/null 2>&1 || { echo "SKIP: no $t"; exit 77; }
done
[ -x "$SAMPLE" ] || { echo "no $SAMPLE" >&2; exit 99; }
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-pdf.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
export LC_ALL=C
pass=0 fail=0

ok() { pass=$((pass + 1)); printf "PASS: %s\n" "$1"; }
ko() { fail=$((fail + 1)); printf "FAIL: %s\n" "$1"; }
check() {	# check NAME COMMAND...: passes when the command does
	name=$1; shift
	if "$@" >"$work/out" 2>&1; then ok "$name"; else
		ko "$name"; sed 's/^/	/' "$work/out" | head -20
	fi
}
has() {		# has FILE STRING: the file holds the string
	grep -F -q -e "$2" "$1" || { printf "missing: %s\n" "$2"; return 1; }
}
obj() {		# obj FILE KEY OBJECT: the object KEY names in OBJECT
	qpdf --show-object="$3" "$1" |
	    sed -n "s|.*$2 \([0-9][0-9]*\) 0 R.*|\1|p"
}

"$SAMPLE" "$work/s.pdf" && "$SAMPLE" "$work/s2.pdf" &&
    "$SAMPLE" -a "$work/a.pdf" && "$SAMPLE" -f "$work/f.pdf" &&
    "$SAMPLE" -n 3 "$work/n3.pdf" && "$SAMPLE" -p "$work/s.ps" ||
    { echo "pdf-sample failed"; exit 99; }

check "same run, same bytes" cmp "$work/s.pdf" "$work/s2.pdf"
for f in s a f n3; do
	check "qpdf --check $f.pdf" qpdf --check "$work/$f.pdf"
	check "gs reads $f.pdf without a warning" sh -c '
	    out=$("$0" -q -dSAFER -dBATCH -dNOPAUSE -dPDFSTOPONERROR \
	        -dPDFSTOPONWARNING -sDEVICE=nullpage "$1" 2>&1) &&
	    [ -z "$out" ] || { echo "$out"; exit 1; }' "$GS" "$work/$f.pdf"
done

# Every font embedded: fonts are "name type encoding emb sub uni obj gen".
emb() {
	pdffonts "$1" >"$work/fonts" || return 1
	awk 'NR > 2 { n++; if ($(NF - 4) != "yes") bad++ }
	    END { if (n < 14 || bad) { print n " fonts, " bad+0 " not embedded";
	    exit 1 } }' "$work/fonts" || { cat "$work/fonts"; return 1; }
}
check "pdffonts: all embedded (subsets)" emb "$work/s.pdf"
check "pdffonts: all embedded (whole)" emb "$work/f.pdf"
check "pdffonts: all embedded (PDF/A)" emb "$work/a.pdf"
check "subsets are tagged" sh -c 'pdffonts "$0" | awk "NR > 2" |
    grep -v -q "^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]+" && exit 1 || exit 0' \
    "$work/s.pdf"

pages() { [ "$(pdfinfo "$1" | sed -n 's/^Pages: *//p')" = "$2" ]; }
check "pdfinfo: 4 pages" pages "$work/s.pdf" 4
check "pdfinfo: 12 pages with -n 3" pages "$work/n3.pdf" 12

# The text, literally, through poppler and through Ghostscript.
pdftotext -enc UTF-8 "$work/s.pdf" "$work/poppler.txt"
"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite \
    -sOutputFile="$work/gs.txt" "$work/s.pdf"
for t in poppler gs; do
	for s in 'Famille ) showpage (' 'C:\ENT\ (\) \\' \
	    'Élève : Cœur Œuvre, classe 4B, 12 € « élève »' \
	    'Łukasz Wałęsa, Şükrü Ağaoğlu, Dvořák' \
	    'Αθηνά Σωκράτους, Дмитрий Шостакович' \
	    'Vos identifiants pour l’ENT' 'k7Tm 9qRw' \
	    'Document personnel — ne pas diffuser — 2026-0699990Z-000001 — 4C-001'
	do
		check "$t text: $s" has "$work/$t.txt" "$s"
	done
done

# The same pages through the PostScript back end.
"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite \
    -sOutputFile="$work/gs-ps.txt" "$work/s.ps"
check "gs text: PS and PDF equal" cmp "$work/gs-ps.txt" "$work/gs.txt"
for f in s.ps s.pdf; do
	"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pnggray -r72 \
	    -dFirstPage=1 -dLastPage=1 -sOutputFile="$work/$f.png" "$work/$f"
done
check "page 1 at 72 dpi: PS and PDF same pixels" cmp "$work/s.ps.png" \
    "$work/s.pdf.png"

# Bookmarks and labels, as qpdf reads them.
qpdf --json --json-key=outlines --json-key=pagelabels "$work/s.pdf" \
    >"$work/json"
for s in '"title": "Élèves"' '"title": "Collège Jean Moulin (0699990Z)"' \
    '"title": "4B"' '"title": "4C"' '"destpageposfrom1": 3' \
    '"/P": "u:4B-001"' '"/P": "u:4B-001-v"' '"/P": "u:4C-001"'; do
	check "qpdf json: $s" has "$work/json" "$s"
done
check "outlines shown" sh -c 'qpdf --show-object=$(qpdf \
    --show-object=trailer "$0" | sed -n "s|.*/Root \([0-9]*\) 0 R.*|\1|p") \
    "$0" | grep -q "/PageMode /UseOutlines"' "$work/s.pdf"

# PDF/A-2b: metadata, output intent, ID, no encryption.
a=$work/a.pdf
root=$(obj "$a" /Root trailer)
qpdf --show-object=trailer "$a" >"$work/trailer"
check "PDF/A: trailer has an /ID" has "$work/trailer" "/ID [ <"
check "PDF/A: not encrypted" sh -c '! grep -q /Encrypt "$0"' "$work/trailer"
md=$(obj "$a" /Metadata "$root")
qpdf --show-object="$md" --filtered-stream-data "$a" >"$work/xmp"
for s in '<pdfaid:part>2</pdfaid:part>' \
    '<pdfaid:conformance>B</pdfaid:conformance>' \
    '<rdf:li xml:lang="x-default">Identifiants ENT — Collège Jean Moulin</rdf:li>' \
    '<xmp:CreateDate>2026-09-01T00:00:00Z</xmp:CreateDate>' \
    '<pdf:Producer>entpress</pdf:Producer>'; do
	check "PDF/A XMP: $s" has "$work/xmp" "$s"
done
qpdf --show-object="$md" "$a" >"$work/mddict"
check "PDF/A: metadata stream unfiltered" sh -c \
    '! grep -q /Filter "$0"' "$work/mddict"
qpdf --show-object="$root" "$a" >"$work/catalog"
check "PDF/A: catalog names an output intent" has "$work/catalog" \
    "/OutputIntents ["
oi=$(sed -n 's|.*/OutputIntents \[ *\([0-9]*\) 0 R.*|\1|p' "$work/catalog")
qpdf --show-object="$oi" "$a" >"$work/intent"
check "PDF/A: intent is GTS_PDFA1" has "$work/intent" "/S /GTS_PDFA1"
prof=$(obj "$a" /DestOutputProfile "$oi")
qpdf --show-object="$prof" --filtered-stream-data "$a" >"$work/icc"
check "PDF/A: ICC profile is RGB" sh -c \
    'dd if="$0" bs=1 skip=16 count=4 2>/dev/null | grep -q "^RGB"' \
    "$work/icc"
check "PDF/A: same info as XMP" sh -c 'pdfinfo "$0" |
    grep -q "^Title: *Identifiants ENT — Collège Jean Moulin$"' "$a"
check "no transparency" sh -c '! grep -a -q -e /SMask -e /Transparency \
    -e "/CA " -e "/ca " "$0"' "$a"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
