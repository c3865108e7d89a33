#!/bin/sh
# The loss report on a scripted year, figures checked one by one.
#
# September 1st: class 4B, students and parents: 27 letters by class (26
# students, one household of 2 parents via the class: its address does
# not fit the window) and 26 posted letters for 48 parents, codes valid
# 30 days.  The ENT's export then says 5 students and 2 posted parents
# activated.  September 10th: one student and one posted parent lost
# their letters (reissue; the parent's new letter goes via the class).
# On September 20th nothing has expired; on October 5th the codes of the
# first run have, not those of the reissue.
set -u
: "${top_srcdir:=.}"
print_name=report
. "$top_srcdir/tests/print/lib.sh"
ep() {
	ep_in "$work" "$@"
}
T="--test-mode --ledger entpress.db"

ep compile $T --seed 1 --date 2026-09-01 --csv run.csv --manifest run.json \
    --class 4B --profile student,parent "$src/fixtures/demo" 2>/dev/null
count() {
	grep "\"section\": \"$1\"" "$work/run.json" | grep -o "$2" | wc -l |
	    tr -d ' '
}
[ "$(count class '"serial"')" = 27 ] && [ "$(count class '"login"')" = 28 ] &&
    [ "$(count mail '"serial"')" = 26 ] && [ "$(count mail '"login"')" = 48 ] &&
    ok=ok || ok=no
t $ok "the scenario's run: 27 letters by class (28 accounts), 26 posted (48)"

# The posted letters' logins, in order: the 1st and 2nd activate, the
# 3rd (who shares the 2nd's letter) loses it.
posted=$(grep '"section": "mail"' "$work/run.json" |
    grep -o '"login": "[^"]*"' | cut -d'"' -f4)
p1=$(echo "$posted" | sed -n 1p)
p2=$(echo "$posted" | sed -n 2p)
p3=$(echo "$posted" | sed -n 3p)
students=$(sed '1d; s/\r$//' "$work/run.csv" | awk -F';' '$2 != "Parent" {
    print $6 }')
{
	printf 'Login;Nom;Code d%sactivation\r\n' "'"
	echo "$students" | sed -n '1,5p' | sed 's/$/;X;\r/'
	printf '%s;X;\r\n%s;X;\r\n' "$p1" "$p2"
	echo "$students" | sed -n '6,$p' | sed 's/$/;X;k7Tm9qRw\r/'
} >"$work/ent.csv"
ep accounts import --ledger entpress.db ent.csv 2>"$work/err"
grep -q "7 active, 21 inactive, 0 unknown" "$work/err" && ok=ok || ok=no
t $ok "accounts import: 7 activated"

lost=$(echo "$students" | sed -n 10p)
ep reissue $T --seed 2 --date 2026-09-10 --csv re.csv "$lost" "$p3" \
    2>/dev/null
[ "$(sed 1d "$work/re.csv" | grep -c .)" = 2 ] && ok=ok || ok=no
t $ok "reissue of $lost and $p3"

cat >"$work/expect1" <<'EOF'
run    date        section  group  letters  accounts  activated  outstanding  expired  replaced
    1  2026-09-01  class    all         27        28          5           22        0         1
    1  2026-09-01  class    4B          27        28          5           22        0         1
    1  2026-09-01  mail     all         26        48          2           45        0         1
    3  2026-09-10  class    all          2         2          0            2        0         0
    3  2026-09-10  class    4B           2         2          0            2        0         0
total              class    all         29        30          5           24        0         1
total              mail     all         26        48          2           45        0         1
not activated (outstanding, expired or replaced): mail 95.8% (46 of 48), class 83.3% (25 of 30)
EOF
ep report --ledger entpress.db --date 2026-09-20 >"$work/out1" 2>"$work/err1"
rc=$?
[ $rc = 0 ] && diff -u "$work/expect1" "$work/out1" && ok=ok || ok=no
t $ok "report on September 20th (exit $rc)"

cat >"$work/expect2" <<'EOF'
run    date        section  group  letters  accounts  activated  outstanding  expired  replaced
    1  2026-09-01  class    all         27        28          5            0       22         1
    1  2026-09-01  class    4B          27        28          5            0       22         1
    1  2026-09-01  mail     all         26        48          2            0       45         1
    3  2026-09-10  class    all          2         2          0            2        0         0
    3  2026-09-10  class    4B           2         2          0            2        0         0
total              class    all         29        30          5            2       22         1
total              mail     all         26        48          2            0       45         1
not activated (outstanding, expired or replaced): mail 95.8% (46 of 48), class 83.3% (25 of 30)
EOF
ep report --ledger entpress.db --date 2026-10-05 >"$work/out2" 2>/dev/null
diff -u "$work/expect2" "$work/out2" && ok=ok || ok=no
t $ok "report on October 5th: the first run's codes expired"

# The same for Excel: BOM, ';', CRLF, the same figures.
ep report --ledger entpress.db --date 2026-09-20 --csv report.csv \
    2>/dev/null
rc=$?
printf '\357\273\277run;date;section;group;letters;accounts;activated;outstanding;expired;replaced\r\n' >"$work/head"
head -c "$(wc -c <"$work/head")" "$work/report.csv" | cmp -s - "$work/head" &&
    [ "$(grep -c "$(printf '\r$')" "$work/report.csv")" = 8 ] &&
    grep -q "^1;2026-09-01;mail;all;26;48;2;45;0;1$(printf '\r')\$" \
    "$work/report.csv" &&
    grep -q "^total;;class;all;29;30;5;24;0;1$(printf '\r')\$" \
    "$work/report.csv" && [ $rc = 0 ] && ok=ok || ok=no
t $ok "report --csv: BOM, header, CRLF, the same figures (exit $rc)"

# A ledger with no letter yet, and no ledger at all.
ep report --ledger nothing.db >/dev/null 2>"$work/err3"
rc=$?
[ $rc = 2 ] && grep -q "ERROR: ledger unusable: no such ledger" \
    "$work/err3" && ok=ok || ok=no
t $ok "report without a ledger (exit $rc)"
exit $fail
