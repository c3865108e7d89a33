#!/bin/sh
# The ledger across runs, as a school uses it over a year.
#
# 1. A first run issues codes and writes the letters and the CSV.
# 2. A second run on the same selection issues nothing new: those
#    accounts hold valid codes (a lost letter is reissue's job).
# 3. A run that cannot write its output issues nothing: the ledger lists
#    the same logins and states before and after.
# 4. No code of the CSV is anywhere in clear: not in the ledger file, not
#    in diagnostics, not in `list`.
# 5. `accounts import` of the ENT's export marks accounts active; the
#    default selection (inactive) then leaves them out.
set -u
: "${top_srcdir:=.}"
print_name=ledger
. "$top_srcdir/tests/print/lib.sh"
ep() {
	ep_in "$top_srcdir" "$@"
}
sel="--class 4B --profile student fixtures/demo"
db=$work/entpress.db

# 1. First run.
ep compile --test-mode --seed 11 --date 2026-09-01 --ledger "$db" \
    -o "$work/run1.ps" --csv "$work/run1.csv" $sel 2>"$work/err1"
rc=$?
n1=$(sed '1d' "$work/run1.csv" | grep -c .)
[ $rc -le 1 ] && [ "$n1" = 26 ] && ok=ok || ok=no
t $ok "first run issues 26 codes (exit $rc)"
mode=$(stat -c %a "$work/run1.ps" "$work/run1.csv" "$db" "$db.key" | sort -u)
[ "$mode" = 600 ] && ok=ok || ok=no
t $ok "outputs, ledger and key are 0600 ($mode)"

# 2. Same selection again: nothing to issue, and no file replaced.
cp "$work/run1.ps" "$work/run2.ps"
ep compile --test-mode --seed 12 --date 2026-09-02 --ledger "$db" \
    -o "$work/run2.ps" --csv "$work/run2.csv" $sel 2>"$work/err2"
rc=$?
grep -q "26 accounts left out: 26 already hold a valid code" "$work/err2" &&
    grep -q "WARNING: no letter to print" "$work/err2" &&
    [ $rc = 1 ] && [ ! -e "$work/run2.csv" ] &&
    cmp -s "$work/run1.ps" "$work/run2.ps" && ok=ok || ok=no
t $ok "second run leaves the 26 accounts and the previous file alone"

# 3. A failed run changes nothing.
ep list --state all --ledger "$db" $sel >"$work/before" 2>/dev/null
ep compile --test-mode --seed 13 --date 2026-09-03 --ledger "$db" \
    -o "$work/no/such/dir/run3.ps" --profile parent --class 4B \
    fixtures/demo 2>"$work/err3"
rc=$?
ep list --state all --ledger "$db" --profile parent --class 4B \
    fixtures/demo >"$work/after3" 2>/dev/null
[ $rc -ge 2 ] && ! cut -f9 "$work/after3" | sed 1d | grep -q . &&
    ok=ok || ok=no
t $ok "a run that cannot write issues no login (exit $rc)"
ls -a "$work" | grep -q '\.tmp$' && ok=no || ok=ok
t $ok "no temporary file left behind"

# 4. Secrets.
sed '1d; s/\r$//' "$work/run1.csv" | cut -d';' -f7 >"$work/codes"
leak=0
while read -r code; do
	for f in "$db" "$db.key" "$work/err1" "$work/err2" "$work/before"; do
		grep -qaF "$code" "$f" && { echo "leak of a code in $f"; leak=1; }
	done
done <"$work/codes"
[ $leak = 0 ] && ok=ok || ok=no
t $ok "no code in the ledger, its key, diagnostics or list"

# 5. The ENT says who activated: the first 5 accounts.
{
	printf 'Login;Nom;Code d%sactivation\r\n' "'"
	sed '1d; s/\r$//' "$work/run1.csv" | awk -F';' 'NR <= 5 {
	    printf "%s;%s;\r\n", $6, $3; next } { printf "%s;%s;%s\r\n",
	    $6, $3, $7 }'
} >"$work/ent.csv"
ep accounts import --ledger "$db" "$work/ent.csv" 2>"$work/err5"
rc=$?
na=$(ep list --state active --ledger "$db" $sel 2>/dev/null | sed 1d |
    grep -c .)
ni=$(ep list --ledger "$db" $sel 2>/dev/null | sed 1d | grep -c .)
[ $rc = 0 ] && [ "$na" = 5 ] && [ "$ni" = 21 ] && ok=ok || ok=no
t $ok "accounts import: 5 active, 21 still inactive (exit $rc)"
grep -q "5 active, 21 inactive, 0 unknown" "$work/err5" && ok=ok || ok=no
t $ok "accounts import says what it did"

# 6. Test runs and real runs never share a ledger.
ep compile --date 2026-09-01 --ledger "$db" --csv "$work/real.csv" $sel \
    2>"$work/err6"
rc=$?
[ $rc = 2 ] && grep -q "created by --test-mode" "$work/err6" &&
    [ ! -e "$work/real.csv" ] && ok=ok || ok=no
t $ok "a test ledger takes no real run (exit $rc)"
ep compile --date 2026-09-01 --ledger "$work/real.db" --csv "$work/r.csv" \
    $sel 2>/dev/null
ep compile --test-mode --seed 1 --date 2026-09-01 --ledger "$work/real.db" \
    --csv "$work/t.csv" --class 4A --profile student fixtures/demo \
    2>"$work/err7"
rc=$?
[ $rc = 2 ] && grep -q "holds real letters" "$work/err7" &&
    [ ! -e "$work/t.csv" ] && ok=ok || ok=no
t $ok "a real ledger takes no test run (exit $rc)"
exit $fail
