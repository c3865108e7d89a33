#!/bin/sh
# Names too long for their line: never cut without a word.
#
# On a letter handed out in class, the name is one line at the window's
# place with no width of its own: a name longer than the sheet runs off
# its edge and the printer cuts it.  A real one does (a 58-character
# double-barrelled name in 11 pt bold); so does a name of 10,000
# characters.  Each must give a warning naming the layout line and the
# person's id, and the letter must still carry the right code (the
# flows wrap the name, and the login is cut at 30 characters a part).
set -u
. "${top_srcdir:-.}/tests/hostile/lib.sh"
command -v "$GS" >/dev/null 2>&1 || exit 77
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-longname.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
x=$work/LONG_Complet_20260901_Eleve_0000.xml
long=$(head -c 10000 /dev/zero | tr '\0' 'A')
aaf_begin "$x"
etab E1 0699990Z 'CLG$TEST' '4B$4EME B'
person add Eleve L1 sn "DE LA TOUR D'AUVERGNE-LAURAGUAIS" givenName \
    'Marie-Charlotte-Éléonore' ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$4B'
person add Eleve L2 sn "$long" givenName 'Zoé' ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$4B'
person add Eleve L3 sn 'MARTIN' givenName 'Léa' ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$4B'
aaf_end
ep compile --test-mode --seed 61 --date 2026-09-01 --ledger "$work/db" \
    -o "$work/run.ps" -o "$work/run.pdf" --csv "$work/run.csv" "$x" \
    2>"$work/err"
rc=$?
ok=ok
[ $rc -le 1 ] || ok=no
sane "$work/err" || ok=no
for id in L1 L2; do
	grep -q "letter.xml:[0-9]*:0: WARNING: text does not fit its frame: .*cut at the edge of the sheet, person $id\$" \
	    "$work/err" || { echo "  no warning for $id"; ok=no; }
done
grep -q 'person L3$' "$work/err" && { echo "  warning for L3"; ok=no; }
[ $ok = ok ] || cat "$work/err"
[ $ok = ok ] && echo "PASS: a name cut at the sheet's edge is a warning naming the person" ||
    { echo "FAIL: long names (exit $rc)"; fail=1; }
for f in ps pdf; do
	if check_codes "$work/run.$f" "$work/run.csv"; then
		echo "PASS: $f: every account printed with its code"
	else
		echo "FAIL: $f: codes printed do not match the CSV"; fail=1
	fi
done
sh "$top_srcdir/tests/ps/dsccheck.sh" "$work/run.ps" ||
    { echo "FAIL: DSC"; fail=1; }
exit $fail
