#!/bin/sh
# Names that are code in PostScript or PDF must print as names.
#
# A small export (inputs/HOSTILE_...) has students named like PostScript
# and PDF operators, with unbalanced parentheses and backslashes, and
# with letters outside Windows-1252.  The run must come out of
# Ghostscript and qpdf without a complaint, with the same number of pages
# as the same export under plain names, and Ghostscript must give every
# name back literally, in the PostScript and in the PDF.
set -u
: "${top_srcdir:=.}"
: "${ENTPRESS:=$top_srcdir/compiler/entpress}"
: "${GS:=gs}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
command -v "$GS" >/dev/null 2>&1 || exit 77
command -v qpdf >/dev/null 2>&1 || exit 77
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-hostile.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
in=$top_srcdir/tests/print/inputs/HOSTILE_Complet_20260901_Eleve_0000.xml
fail=0
ep() {
	env -i PATH="$PATH" LC_ALL=C TZ=UTC "$ENTPRESS" compile --test-mode \
	    --seed 3 --date 2026-09-01 "$@"
}

# The same export with every name replaced by a plain one.
mkdir "$work/plain"
sed 's|<attr name="sn"><value>[^<]*</value>|<attr name="sn"><value>PLAIN</value>|' \
    "$in" >"$work/plain/HOSTILE_Complet_20260901_Eleve_0000.xml"
for f in ps pdf; do
	ep --ledger "$work/h$f.db" -o "$work/h.$f" "$in" 2>"$work/err.$f"
	[ $? -le 1 ] || { echo "FAIL: compile $f"; cat "$work/err.$f"; exit 1; }
done
ep --ledger "$work/p.db" -o "$work/p.ps" "$work/plain" 2>/dev/null
"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=nullpage "$work/h.ps" \
    >"$work/gs" 2>&1 && [ ! -s "$work/gs" ] ||
    { echo "FAIL: Ghostscript on the PostScript"; cat "$work/gs"; fail=1; }
qpdf --check "$work/h.pdf" >/dev/null ||
    { echo "FAIL: qpdf --check"; fail=1; }
hp=$(grep -c '^%%Page:' "$work/h.ps")
pp=$(grep -c '^%%Page:' "$work/p.ps")
gp=$("$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=bbox "$work/h.ps" 2>&1 |
    grep -c '^%%BoundingBox')
if [ "$hp" != "$pp" ] || [ "$hp" != "$gp" ]; then
	echo "FAIL: pages: hostile $hp (gs $gp), plain $pp"; fail=1
fi
for f in ps pdf; do
	"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite \
	    -sOutputFile="$work/text.$f" "$work/h.$f"
	while IFS= read -r name; do
		grep -qF -- "$name" "$work/text.$f" ||
		    { echo "FAIL: $f: name not printed literally: $name";
		      fail=1; }
	done <<'NAMES'
) showpage (
BACK\SLASH
%!PS-Adobe-3.0
) Tj ET BT /F1 99 Tf (
ŒDIPE
ÆSIR
ÇA (MARCHE
ŁUKASZ
ΖΩΗ
NAMES
done
[ $fail = 0 ] && echo "PASS: hostile names ($hp pages)"
exit $fail
