#!/bin/sh
# The manifest of a run, as an auditor would use it months later.
#
# 1. Same inputs, --test-mode --seed, --date and command line, on a new
#    ledger each time: PS, PDF, CSV and manifest come out byte-identical
#    (a ledger created in test mode has a key derived from the seed, and
#    takes no real run).  No LDIF here: its argon2id salts are random,
#    and its digest is in the manifest.
# 2. verify passes on the untouched run (every output, then the PS and
#    the PDF named alone), and with --ledger.
# 3. One byte changed in one letter's page: verify fails (exit 2) and
#    names that letter, its label and its pages, and no other.
# 4. No code of the CSV is in the manifest, plain or grouped.
# 5. The ledger recorded the manifest's SHA-256; a manifest edited by
#    hand fails verify --ledger.
# 6. A run of more than 1,024 codes (the code buffer's first block):
#    every code of the CSV is a code, each once, and verify passes.
set -u
: "${top_srcdir:=.}"
print_name=manifest
. "$top_srcdir/tests/print/lib.sh"
# Run entpress in directory $1 with the rest as arguments.
ep() {
	ep_in "$@"
}
run="compile --test-mode --seed 5 --date 2026-09-01 --ledger entpress.db
    --school-info $src/fixtures/school.xml -o run.ps -o run.pdf
    --csv run.csv --manifest run.json --class 4B,5A $src/fixtures/demo"

# 1. Twice, from scratch, each on a new ledger.
for d in a b; do
	mkdir "$work/$d"
	# shellcheck disable=SC2086
	ep "$work/$d" $run 2>"$work/$d/err"
	echo $? >"$work/$d/rc"
done
[ "$(cat "$work/a/rc")" -le 1 ] && [ -s "$work/a/run.json" ] && ok=ok || ok=no
t $ok "compile --manifest (exit $(cat "$work/a/rc"))"
for f in run.ps run.pdf run.csv run.json; do
	cmp -s "$work/a/$f" "$work/b/$f" && ok=ok || ok=no
	t $ok "reproducible: $f byte-identical"
done
mode=$(stat -c %a "$work/a/run.json")
[ "$mode" = 600 ] && ok=ok || ok=no
t $ok "manifest is 0600 ($mode)"
ls -a "$work/a" | grep -q '\.tmp$' && ok=no || ok=ok
t $ok "no temporary file left behind"
grep -q "\"name\": \"run.ps\"" "$work/a/run.json" &&
    ! grep -q "$work" "$work/a/run.json" && ok=ok || ok=no
t $ok "outputs named relative to the manifest, no temporary name"
nl=$(grep -c '^  {"serial": ' "$work/a/run.json")
nc=$(sed '1d' "$work/a/run.csv" | grep -c .)
[ "$nl" -gt 20 ] && [ "$nl" -le "$nc" ] && ok=ok || ok=no
t $ok "one entry per letter ($nl letters, $nc accounts)"

# 2. Untouched: everything matches.
a=$work/a
ep "$a" verify run.json >"$a/v1" 2>"$a/v1.err"
rc=$?
[ $rc = 0 ] && [ ! -s "$a/v1.err" ] &&
    grep -qx "verify: run.json: OK: $nl letters, 3 files match" "$a/v1" &&
    ok=ok || ok=no
t $ok "verify: untouched run matches (exit $rc)"
ep "$a" verify --ledger entpress.db run.json run.pdf >/dev/null 2>&1
rc=$?
[ $rc = 0 ] && ok=ok || ok=no
t $ok "verify --ledger of the PDF alone (exit $rc)"

# 3. One byte of letter 4B-017's page, in a copy of the PostScript.
line=$(grep '"label": "4B-017"' "$a/run.json")
serial=$(echo "$line" | sed 's/.*"serial": "\([^"]*\)".*/\1/')
pages=$(echo "$line" | sed 's/.*"pages": \[\([0-9]*\), \([0-9]*\)\].*/\1 \2/')
start=$(echo "$line" | sed 's/.*"output": "run.ps", "start": \([0-9]*\).*/\1/')
end=$(echo "$line" | sed 's/.*"output": "run.ps", "start": [0-9]*, "end": \([0-9]*\).*/\1/')
off=$(( (start + end) / 2 ))
cp "$a/run.ps" "$a/copy.ps"
byte=$(dd if="$a/copy.ps" bs=1 skip=$off count=1 2>/dev/null)
if [ "$byte" = x ]; then new=y; else new=x; fi
printf %s "$new" | dd of="$a/copy.ps" bs=1 seek=$off conv=notrunc \
    2>/dev/null
set -- $pages
if [ "$1" = "$2" ]; then where="page $1"; else where="pages $1-$2"; fi
ep "$a" verify run.json copy.ps >"$a/v2" 2>"$a/v2.err"
rc=$?
[ $rc = 2 ] && [ "$(grep -c ERROR "$a/v2.err")" = 1 ] &&
    grep -qx "entpress: copy.ps: ERROR: run does not match its manifest: letter $serial (4B-017), $where" "$a/v2.err" &&
    grep -qx "verify: run.json: FAILED: 1 of $nl letters, 1 of 1 file differ" "$a/v2" &&
    ok=ok || ok=no
t $ok "verify: one byte changed names letter $serial (exit $rc)"
[ $ok = ok ] || cat "$a/v2.err" "$a/v2"
# The same change in place of run.ps, found without naming RUN.
cp "$a/copy.ps" "$a/run.ps"
ep "$a" verify run.json >/dev/null 2>"$a/v3.err"
rc=$?
[ $rc = 2 ] && grep -q "^entpress: run.ps: ERROR: .*letter $serial " \
    "$a/v3.err" && ok=ok || ok=no
t $ok "verify: the run beside the manifest, changed (exit $rc)"
cp "$work/b/run.ps" "$a/run.ps"

# 4. The manifest never holds a code.
sed '1d; s/\r$//' "$a/run.csv" | awk -F';' '$7 != "" { print $7;
    print substr($7, 1, 4) " " substr($7, 5) }' >"$work/codes"
leak=0
while read -r code; do
	grep -qF "$code" "$a/run.json" && { echo "code in the manifest"; leak=1; }
done <"$work/codes"
[ $leak = 0 ] && [ -s "$work/codes" ] && ok=ok || ok=no
t $ok "no code of the CSV in the manifest ($(wc -l <"$work/codes") checked)"

# 5. A manifest changed by hand no longer is the one the ledger knows.
sed 's/"layout": "letter"/"layout": "cards"/' "$a/run.json" >"$a/forged.json"
ep "$a" verify run.json >/dev/null 2>&1 &&
    ep "$a" verify forged.json >/dev/null 2>&1 && ok=ok || ok=no
t $ok "verify without --ledger checks the files only"
ep "$a" verify --ledger entpress.db forged.json >/dev/null 2>"$a/v5.err"
rc=$?
[ $rc = 2 ] && grep -q "the ledger recorded another manifest for run 1" \
    "$a/v5.err" && ok=ok || ok=no
t $ok "verify --ledger refuses a manifest edited by hand (exit $rc)"

# A file that is not a manifest.
ep "$a" verify run.csv >/dev/null 2>"$a/v6.err"
rc=$?
[ $rc = 2 ] && grep -q "ERROR: not an entpress manifest" "$a/v6.err" &&
    ok=ok || ok=no
t $ok "verify of a CSV: not an entpress manifest (exit $rc)"

# 6. Past the first block of codes.
: "${top_builddir:=$top_srcdir}"
gen=$top_builddir/fixtures/gen-academy
if [ -x "$gen" ]; then
	mkdir "$work/big"
	"$gen" 1100 "$work/big/export" >/dev/null 2>&1
	ep "$work/big" compile --test-mode --seed 3 --date 2026-09-01 \
	    --ledger entpress.db -o run.ps --csv run.csv --manifest run.json \
	    --profile student export >/dev/null 2>&1
	rc=$?
	sed '1d; s/\r$//' "$work/big/run.csv" | cut -d';' -f7 >"$work/big/codes"
	n=$(grep -c . "$work/big/codes")
	good=$(grep -c '^[abcdefghjkmnpqrstwxyzABCDEFGHJKLMNPQRSTWXYZ2-9]\{8\}$' \
	    "$work/big/codes")
	uniq=$(sort -u "$work/big/codes" | grep -c .)
	[ $rc -le 1 ] && [ "$n" -gt 1024 ] && [ "$good" = "$n" ] &&
	    [ "$uniq" = "$n" ] && ok=ok || ok=no
	t $ok "$n codes in one run: every CSV code valid and unique (exit $rc)"
	ep "$work/big" verify run.json >/dev/null 2>&1 && ok=ok || ok=no
	t $ok "verify of the $n-letter run"
else
	echo "SKIP: no fixtures/gen-academy"
fi
exit $fail
