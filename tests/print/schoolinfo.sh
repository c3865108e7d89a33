#!/bin/sh
# Letters that would not say where to log in are not printed.
#
# The layouts print the ENT address, who to call and who signs, which
# only the school file (--school-info) gives.
# 1. A real run without it: an ERROR naming the school, exit 2, no file
#    written, nothing in the ledger (no run, no account).
# 2. A real run whose school file lacks the school: the same.
# 3. A test run without it: a WARNING naming the school, the letters
#    are written (codes of a test run are never handed out).
# 4. With the school file: no such message, the letters say the ENT
#    address.
# 5. --csv alone prints no letter and needs no school file.
set -u
: "${top_srcdir:=.}"
print_name=schoolinfo
. "$top_srcdir/tests/print/lib.sh"
ep() {
	ep_in "$top_srcdir" "$@"
}
sel="--class 4B --profile student fixtures/demo"
uai=0699990Z

# 1. Real run, no school file.
ep compile --date 2026-09-01 --ledger "$work/a.db" -o "$work/a.ps" \
    --csv "$work/a.csv" $sel 2>"$work/err1"
rc=$?
grep -q "ERROR: school not in the school file, nothing issued or written: $uai .*(no --school-info)" \
    "$work/err1" && [ $rc = 2 ] && ok=ok || ok=no
t $ok "real run without --school-info: ERROR naming $uai, exit 2 (exit $rc)"
[ ! -e "$work/a.ps" ] && [ ! -e "$work/a.csv" ] &&
    [ -z "$(find "$work" -name '.a.*' -print)" ] && ok=ok || ok=no
t $ok "real run without --school-info: no file written, no temporary left"
n=$(sqlite3 "$work/a.db" "SELECT (SELECT count(*) FROM runs) + \
    (SELECT count(*) FROM accounts)" 2>/dev/null)
[ "$n" = 0 ] && ok=ok || ok=no
t $ok "real run without --school-info: nothing in the ledger ($n rows)"

# 2. A school file without this school.
sed "s/$uai/0000000A/" "$top_srcdir/fixtures/school.xml" >"$work/other.xml"
ep compile --date 2026-09-01 --ledger "$work/b.db" -o "$work/b.ps" \
    --school-info "$work/other.xml" $sel 2>"$work/err2"
rc=$?
grep -q "ERROR: school not in the school file.*: $uai" "$work/err2" &&
    ! grep -q "no --school-info" "$work/err2" && [ $rc = 2 ] &&
    [ ! -e "$work/b.ps" ] && ok=ok || ok=no
t $ok "real run, school file without $uai: ERROR, nothing written (exit $rc)"

# 3. Test run, no school file.
ep compile --test-mode --seed 3 --date 2026-09-01 --ledger "$work/c.db" \
    -o "$work/c.ps" $sel 2>"$work/err3"
rc=$?
grep -q "WARNING: school not in the school file, its letters lack the ENT address, contact and signature: $uai" \
    "$work/err3" && [ $rc = 1 ] && [ -s "$work/c.ps" ] && ok=ok || ok=no
t $ok "test run without --school-info: WARNING, letters written (exit $rc)"
[ "$(grep -c 'school not in the school file' "$work/err3")" = 1 ] &&
    ok=ok || ok=no
t $ok "said once per school, not once per letter"

# 4. With the school file.
ep compile --date 2026-09-01 --ledger "$work/d.db" -o "$work/d.ps" \
    --school-info fixtures/school.xml $sel 2>"$work/err4"
rc=$?
url=$(sed -n 's:.*<ent-url>\(.*\)</ent-url>.*:\1:p' \
    "$top_srcdir/fixtures/school.xml" | head -n 1)
! grep -q 'school not in the school file' "$work/err4" && [ $rc -le 1 ] &&
    [ -n "$url" ] && grep -qF "$url" "$work/d.ps" && ok=ok || ok=no
t $ok "with the school file: no message, the letters give $url (exit $rc)"

# 5. The CSV alone.
ep compile --date 2026-09-01 --ledger "$work/e.db" --csv "$work/e.csv" \
    $sel 2>"$work/err5"
rc=$?
! grep -q 'school not in the school file' "$work/err5" && [ $rc -le 1 ] &&
    [ -s "$work/e.csv" ] && ok=ok || ok=no
t $ok "--csv alone needs no school file (exit $rc)"
exit $fail
