#!/bin/sh
# entpress compile --pdfa: the archive copy must carry what PDF/A-2b
# asks and what can be checked without a validator in Debian: XMP with
# pdfaid part 2 and conformance B, an output intent with its ICC
# profile, a document ID, no encryption, every font embedded, and a
# structure qpdf accepts.
set -u
: "${top_srcdir:=.}"
: "${ENTPRESS:=$top_srcdir/compiler/entpress}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
for t in qpdf pdffonts pdfinfo; do
	command -v $t >/dev/null 2>&1 || exit 77
done
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-pdfa.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
(cd "$top_srcdir" && env -i PATH="$PATH" LC_ALL=C "$ENTPRESS" compile \
    --test-mode --seed 2 --date 2026-09-01 --ledger "$work/l.db" --pdfa \
    --school-info fixtures/school.xml --class 6A -o "$work/a.pdf" \
    fixtures/demo) 2>/dev/null
[ -s "$work/a.pdf" ] || { echo "FAIL: no PDF"; exit 1; }
check() {
	if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; fail=1; fi
}
qpdf --qdf --object-streams=disable "$work/a.pdf" "$work/q.pdf" 2>/dev/null
check "qpdf --check" 'qpdf --check "$work/a.pdf" >/dev/null 2>&1'
check "XMP pdfaid part 2" 'grep -aq "pdfaid:part[>=\"]*2" "$work/q.pdf"'
check "XMP conformance B" 'grep -aq "pdfaid:conformance[>=\"]*B" "$work/q.pdf"'
check "output intent GTS_PDFA1" 'grep -aq "/GTS_PDFA1" "$work/q.pdf"'
check "ICC profile embedded" 'grep -aq "/DestOutputProfile" "$work/q.pdf"'
check "document ID" 'grep -aq "/ID *\[" "$work/q.pdf"'
check "not encrypted" '! grep -aq "/Encrypt" "$work/q.pdf"'
check "every font embedded" 'pdffonts "$work/a.pdf" | awk "NR > 2 && \$(NF - 4) != \"yes\" { b = 1 } END { exit b }"'
check "metadata stream in the catalog" 'grep -aq "/Metadata" "$work/q.pdf"'
exit $fail
