#!/bin/sh
# PostScript and PDF injection in every printed field, beyond the names
# of tests/print/hostile.sh: first and last names, titles, the school's
# name and class codes from the export (a class code with a newline and
# %%EOF, which ends up in DSC page labels and PDF bookmarks), a posted
# guardian's address lines and city, a staff member's function, and
# every field of the school file (name, address lines, city, place, ENT
# address, contact, signature, return address, phone, mail).
#
# Each value mixes ) ( \ with operators (showpage, Tj ET BT, erasepage,
# pop, stroke) and file syntax (%!PS, %%EOF, endstream, << >>).  Both
# runs, without and with the school file, must:
#   - pass the DSC checker, Ghostscript without a message, with as many
#     pages as %%Pages says, and qpdf --check;
#   - give Ghostscript the same text from the PostScript and the PDF,
#     with each value printed literally where the letter prints it as
#     written (addresses in the window are in the postal form: capitals,
#     no punctuation, so only their words are looked for);
#   - print every account of the CSV with its own code (check_codes).
set -u
. "${top_srcdir:-.}/tests/hostile/lib.sh"
command -v "$GS" >/dev/null 2>&1 || exit 77
command -v qpdf >/dev/null 2>&1 || exit 77
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-inject.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fail=0

x=$work/INJ_Complet_20260901_Eleve_0000.xml
aaf_begin "$x"
etab E1 0699990Z 'CLG ) showpage ( $NAME' '4B) stroke (\$4EME B' \
    '5Z&#10;%%EOF$5EME Z'
person add Eleve S1 sn 'SN ) showpage (' givenName 'GN ) Tj ET (' \
    personalTitle 'M.' ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$4B) stroke (\' ENTElevePersRelEleve 'P1$10$1$1$1$0'
person add Eleve S2 sn 'DSC' givenName 'Label' ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$5Z&#10;%%EOF'
person add PersRelEleve P1 sn 'PSN (%!PS' givenName 'PGN \endstream' \
    personalTitle 'Mme ) (' \
    ENTPersonAdresse '1 RUE ) SHOWPAGE ($BAT &lt;&lt; /ENDOBJ &gt;&gt;' \
    ENTPersonCodePostal 69100 ENTPersonVille 'LYON (EOF)' \
    ENTPersonPays FRANCE
person add PersEducNat T1 sn 'TSN ) pop (' givenName 'TGN %%Page: 1 1' \
    PersEducNatPresenceDevantEleves N ENTPersonStructRattach E1 \
    ENTPersonFonctions 'E1$ADF$FN ) erasepage ($X$Y'
aaf_end

cat >"$work/school.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<schools xmlns="urn:entpress:school:1">
  <school uai="0699990Z">
    <name>SFNAME ) showpage (</name>
    <address><line>SFADDR1 ) Tj (</line><line>SFADDR2 \ (</line></address>
    <postcode>69100</postcode>
    <city>SFCITY %%EOF</city>
    <place>SFPLACE ) erasepage (</place>
    <ent-url>https://ent.example/)showpage(%%EOF\</ent-url>
    <contact>SFCONTACT ) Tj ET BT (</contact>
    <signature>SFSIGN ) showpage (</signature>
    <return-address>SFRET ) showpage ( 69100 LYON</return-address>
    <phone>04 ) ( 00</phone>
    <mail>a@b.c ) (</mail>
  </school>
</schools>
XML

# check NAME: the run $work/NAME.{ps,pdf,csv} against the printer's and
# the school's rules; the values that must print literally follow.
check() {
	r=$work/$1
	shift
	ok=ok
	sh "$top_srcdir/tests/ps/dsccheck.sh" "$r.ps" || ok=no
	"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=nullpage "$r.ps" \
	    >"$r.gs" 2>&1
	[ $? = 0 ] && [ ! -s "$r.gs" ] ||
	    { echo "  Ghostscript:"; head -n 5 "$r.gs"; ok=no; }
	dsc=$(sed -n 's/^%%Pages: \([0-9][0-9]*\)$/\1/p' "$r.ps")
	gsp=$("$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=bbox "$r.ps" 2>&1 |
	    grep -c '^%%BoundingBox')
	[ "$dsc" = "$gsp" ] || { echo "  %%Pages $dsc, Ghostscript $gsp"; ok=no; }
	qpdf --check "$r.pdf" >/dev/null 2>&1 || { echo "  qpdf --check"; ok=no; }
	check_codes "$r.ps" "$r.csv" || ok=no
	check_codes "$r.pdf" "$r.csv" || ok=no
	cmp -s "$r.ps.txt" "$r.pdf.txt" ||
	    { echo "  PDF text differs from PostScript text"; ok=no; }
	for v in "$@"; do
		grep -qF -- "$v" "$r.ps.txt" ||
		    { echo "  not printed literally: $v"; ok=no; }
	done
}

ep compile --test-mode --seed 81 --date 2026-09-01 --ledger "$work/a.db" \
    -o "$work/a.ps" -o "$work/a.pdf" --csv "$work/a.csv" "$x" \
    2>"$work/a.err"
rc=$?
check a 'SN ) showpage (' 'GN ) Tj ET (' 'PSN (%!PS' 'PGN \endstream' \
    'Mme ) (' 'TSN ) pop (' 'TGN %%Page: 1 1' 'CLG ) showpage ( NAME' \
    '4B) stroke (\' '5Z %%EOF' '1 RUE SHOWPAGE' 'BAT ENDOBJ' '69100 LYON EOF'
[ $rc -le 1 ] || { echo "  exit $rc"; ok=no; }
sane "$work/a.err" || ok=no
if [ $ok = ok ]; then
	echo "PASS: export fields (names, titles, school name, class codes, address, function) print as text"
else
	echo "FAIL: export fields"; fail=1
fi

ep compile --test-mode --seed 81 --date 2026-09-01 --ledger "$work/b.db" \
    --school-info "$work/school.xml" -o "$work/b.ps" -o "$work/b.pdf" \
    --csv "$work/b.csv" "$x" 2>"$work/b.err"
rc=$?
check b 'SFNAME ) showpage (' 'SFADDR1 ) Tj (' 'SFADDR2 \ (' 'SFCITY %%EOF' \
    'SFPLACE ) erasepage (' 'https://ent.example/)showpage(%%EOF\' \
    'SFCONTACT ) Tj ET BT (' 'SFSIGN ) showpage ('
[ $rc -le 1 ] || { echo "  exit $rc"; ok=no; }
sane "$work/b.err" || ok=no
if [ $ok = ok ]; then
	echo "PASS: school file fields print as text"
else
	echo "FAIL: school file fields"; fail=1
fi
exit $fail
