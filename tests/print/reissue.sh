#!/bin/sh
# Lost letters and expired codes, as a school lives them.
#
# 1. reissue gives a new code (not the old one), in a one-letter run that
#    says which letter it replaces; the CSV (same header) and the LDIF
#    (changetype: modify, replace: userPassword) carry it; the old code's
#    fingerprint is in the ledger's revoked codes.  A second reissue of
#    the same login revokes again.
# 2. An unknown login issues nothing, not even for the other logins
#    named (exit 2); an activated account is reissued with a warning.
# 3. The export is found again from the ledger; once moved, the error
#    names the run and the path, and --export gives it.
# 4. cards and halfsheet print what they replace too.
# 5. Expiry: list --state expired finds the codes past their date that
#    were never used; the next compile reissues exactly those.
set -u
: "${top_srcdir:=.}"
print_name=reissue
. "$top_srcdir/tests/print/lib.sh"
ep() {
	ep_in "$work" "$@"
}
# The ledger seen directly, when the sqlite3 shell is there.
sql() {
	sqlite3 "$work/entpress.db" "$1"
}
have_sql=no
command -v sqlite3 >/dev/null 2>&1 && have_sql=yes
# Field $2 of the CSV row of login $3 in CSV $1.
csvf() {
	sed '1d; s/\r$//' "$1" | awk -F';' -v l="$3" -v f="$2" \
	    '$6 == l { print $f }'
}
# Field of the manifest letter line holding login $2.
mfield() {
	grep "\"login\": \"$2\"" "$1" | sed "s/.*\"$3\": \"\\([^\"]*\\)\".*/\\1/"
}
T="--test-mode --ledger entpress.db --ldif-ops 1 --ldif-mem 65536"
cp -r "$src/fixtures/demo" "$work/export"

# --- 1. A lost letter ------------------------------------------------
ep compile $T --seed 1 --date 2026-09-01 -o run1.ps --csv run1.csv \
    --manifest run1.json --class 4B --profile student export 2>/dev/null
login=$(sed -n '4p' "$work/run1.csv" | cut -d';' -f6)
c1=$(csvf "$work/run1.csv" 7 "$login")
s1=$(mfield "$work/run1.json" "$login" serial)
f1=$(mfield "$work/run1.json" "$login" fingerprint)
[ -n "$login" ] && [ -n "$c1" ] && [ -n "$s1" ] && [ -n "$f1" ] &&
    ok=ok || ok=no
t $ok "first run: $login, letter $s1"

ep reissue $T --seed 2 --date 2026-09-10 -o re1.ps --csv re1.csv \
    --ldif re1.ldif --manifest re1.json "$login" 2>"$work/err1"
rc=$?
c2=$(csvf "$work/re1.csv" 7 "$login")
s2=$(mfield "$work/re1.json" "$login" serial)
f2=$(mfield "$work/re1.json" "$login" fingerprint)
[ $rc -le 1 ] && [ -n "$c2" ] && [ "$c2" != "$c1" ] && [ "$s2" != "$s1" ] &&
    [ "$f2" != "$f1" ] && ok=ok || ok=no
t $ok "reissue: a new code and a new serial (exit $rc)"
[ $ok = ok ] || cat "$work/err1"
[ "$(sed -n 1p "$work/re1.csv")" = "$(sed -n 1p "$work/run1.csv")" ] &&
    [ "$(sed 1d "$work/re1.csv" | grep -c .)" = 1 ] && ok=ok || ok=no
t $ok "reissue CSV: the same header, one row with the new code"
grep -qx "dn: uid=$login,ou=people,dc=ent,dc=invalid" "$work/re1.ldif" &&
    grep -qx "changetype: modify" "$work/re1.ldif" &&
    grep -qx "replace: userPassword" "$work/re1.ldif" &&
    grep -q "^userPassword: {ARGON2}\$argon2id\\$" "$work/re1.ldif" &&
    ! grep -q "objectClass" "$work/re1.ldif" &&
    ! grep -qF "$c2" "$work/re1.ldif" && ok=ok || ok=no
t $ok "reissue LDIF: a modify that replaces userPassword, no clear code"
grep -q "\"replaces\": \"$s1\"" "$work/re1.json" &&
    [ "$(grep -c '^  {"serial": ' "$work/re1.json")" = 1 ] &&
    grep -aq "remplace le courrier n.*$s1" "$work/re1.ps" && ok=ok || ok=no
t $ok "the new letter says it replaces $s1"
ep verify re1.json >/dev/null 2>&1 && ok=ok || ok=no
t $ok "the reissue's manifest verifies"
if [ $have_sql = yes ]; then
	[ "$(sql "SELECT count(*) FROM revoked WHERE hex(fp) = upper('$f1')
	    AND serial = '$s1' AND revoked = '2026-09-10'")" = 1 ] &&
	    [ "$(sql "SELECT count(*) FROM accounts WHERE login = '$login'
	    AND hex(fp) = upper('$f2') AND serial = '$s2'")" = 1 ] &&
	    [ "$(sql "SELECT replaces FROM letters WHERE serial = '$s2'")" = \
	    "$s1" ] && ok=ok || ok=no
	t $ok "ledger: the old fingerprint revoked, the new one current"
fi

# Lost again: a second reissue revokes the first reissue's code.
ep reissue $T --seed 3 --date 2026-09-12 --csv re2.csv --manifest re2.json \
    "$login" 2>/dev/null
rc=$?
c3=$(csvf "$work/re2.csv" 7 "$login")
[ $rc -le 1 ] && [ -n "$c3" ] && [ "$c3" != "$c2" ] && [ "$c3" != "$c1" ] &&
    grep -q "\"replaces\": \"$s2\"" "$work/re2.json" && ok=ok || ok=no
t $ok "second reissue: a third code, replacing $s2 (exit $rc)"
if [ $have_sql = yes ]; then
	[ "$(sql "SELECT count(*) FROM revoked r JOIN accounts a ON
	    a.id = r.account_id WHERE a.login = '$login'")" = 2 ] &&
	    [ "$(sql "SELECT count(*) FROM revoked WHERE hex(fp) =
	    upper('$f2')")" = 1 ] && ok=ok || ok=no
	t $ok "ledger: both old codes revoked"
fi
ep verify --ledger entpress.db run1.json >/dev/null 2>&1 && ok=ok || ok=no
t $ok "verify --ledger: the first run's fingerprints are still known"

# --- 2. Mistakes and activated accounts ------------------------------
other=$(sed -n '5p' "$work/run1.csv" | cut -d';' -f6)
nrev=$( [ $have_sql = yes ] && sql "SELECT count(*) FROM revoked" )
ep reissue $T --seed 4 --csv bad.csv "$other" no.such.login \
    2>"$work/err2"
rc=$?
[ $rc = 2 ] && [ ! -e "$work/bad.csv" ] &&
    grep -qx "entpress: ERROR: no such login in the ledger: no.such.login" \
    "$work/err2" && ok=ok || ok=no
t $ok "an unknown login issues nothing (exit $rc)"
if [ $have_sql = yes ]; then
	[ "$(sql "SELECT count(*) FROM revoked")" = "$nrev" ] && ok=ok || ok=no
	t $ok "ledger: no code revoked by the refused reissue"
fi

{
	printf 'Login;Code d%sactivation\r\n' "'"
	printf '%s;\r\n' "$other"
} >"$work/ent.csv"
ep accounts import --ledger entpress.db ent.csv 2>/dev/null
ep reissue $T --seed 5 --date 2026-09-15 --csv act.csv "$other" \
    2>"$work/err3"
rc=$?
[ $rc = 1 ] && grep -q "WARNING: account already activated, reissued as asked: $other" \
    "$work/err3" && [ -n "$(csvf "$work/act.csv" 7 "$other")" ] &&
    ep list --ledger entpress.db --date 2026-09-15 --class 4B \
    --profile student export 2>/dev/null | grep -q "	inactive	.*	$other\$" &&
    ok=ok || ok=no
t $ok "an activated account is reissued with a warning (exit $rc)"

# --- 3. The export, from the ledger or --export ----------------------
mv "$work/export" "$work/moved"
ep reissue $T --seed 6 --csv gone.csv "$login" 2>"$work/err4"
rc=$?
[ $rc = 2 ] && [ ! -e "$work/gone.csv" ] &&
    grep -q "ERROR: export of the run not found, nothing reissued: run [0-9]* (2026-09-12): $work/export; give --export PATH" \
    "$work/err4" && ok=ok || ok=no
t $ok "a moved export: the error names the run and the path (exit $rc)"
ep reissue $T --seed 6 --date 2026-09-16 --csv back.csv --export moved \
    "$login" 2>/dev/null
rc=$?
[ $rc -le 1 ] && [ -n "$(csvf "$work/back.csv" 7 "$login")" ] &&
    ok=ok || ok=no
t $ok "reissue --export reads the export where it is now (exit $rc)"
mv "$work/moved" "$work/export"

# --- 4. Other layouts say it too -------------------------------------
k=6
for lay in cards halfsheet; do
	k=$((k + 1))
	s=$(grep -o '"serial": "[^"]*"' "$work/run1.json" | sed -n ${k}p |
	    cut -d'"' -f4)
	l=$(grep "\"serial\": \"$s\"" "$work/run1.json" |
	    sed 's/.*"login": "\([^"]*\)".*/\1/')
	ep reissue $T --seed 7 --date 2026-09-17 --layout $lay -o $lay.ps \
	    "$l" 2>"$work/err5"
	grep -aq "emplace le .*$s" "$work/$lay.ps" &&
	    ! grep -q "text does not fit" "$work/err5" && ok=ok || ok=no
	t $ok "$lay: the reissued letter names $s"
done

# --- 5. Expiry --------------------------------------------------------
ep compile $T --seed 8 --date 2026-09-01 --valid-days 10 --csv e1.csv \
    --class 4A --profile student export 2>/dev/null
n=$(sed 1d "$work/e1.csv" | grep -c .)
{
	printf 'Login;Code d%sactivation\r\n' "'"
	sed '1d; s/\r$//' "$work/e1.csv" | awk -F';' 'NR <= 3 {
	    printf "%s;\r\n", $6 }'
} >"$work/ent4a.csv"
ep accounts import --ledger entpress.db ent4a.csv 2>/dev/null
lst() {
	ep list --ledger entpress.db --class 4A --profile student "$@" export \
	    2>/dev/null | sed 1d | grep -c .
}
before=$(lst --state expired --date 2026-09-11)
after=$(lst --state expired --date 2026-09-12)
[ "$before" = 0 ] && [ "$after" = $((n - 3)) ] && ok=ok || ok=no
t $ok "list --state expired: 0 on the last day, $((n - 3)) of $n after (3 activated)"
ep compile $T --seed 9 --date 2026-09-20 --csv e2.csv --manifest e2.json \
    --class 4A --profile student export 2>"$work/err6"
rc=$?
n2=$(sed 1d "$work/e2.csv" | grep -c .)
nrep=$(grep -c '"replaces": "2026-' "$work/e2.json")
[ $rc -le 1 ] && [ "$n2" = $((n - 3)) ] && [ "$nrep" = "$n2" ] &&
    ok=ok || ok=no
[ $ok = ok ] || cat "$work/err6"
t $ok "compile reissues the $n2 expired codes, each letter replacing the old (exit $rc)"
[ "$(lst --state expired --date 2026-09-21)" = 0 ] && ok=ok || ok=no
t $ok "no code expired after that"

# Runs write without SQLite's reference checks (ledger_run_begin): after
# all of the above (new accounts, codes revoked by the trigger, letters
# that replace others), every reference must still hold.
if [ $have_sql = yes ]; then
	[ -z "$(sql "PRAGMA foreign_key_check")" ] &&
	    [ "$(sql "SELECT count(*) FROM revoked")" -gt 0 ] &&
	    ok=ok || ok=no
	t $ok "the ledger's references all hold (foreign_key_check)"
fi
exit $fail
