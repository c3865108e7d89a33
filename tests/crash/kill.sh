#!/bin/sh
# Crash safety: entpress compile killed with SIGKILL at chosen points.
#
# A first run (the students of 4B) leaves letters, a CSV and a ledger.
# Then a second run over the rest of the demo school, writing the same
# file names, is killed by the LD_PRELOAD shim (killshim.so) at one
# system call per case: reading the export, writing the PostScript and
# the PDF (first block, a middle block, the fsync), writing the CSV,
# dirtying ledger pages, and the ledger's commit itself (journal fsync,
# database writes, database fsync, the journal's unlink, which is the
# commit point in SQLite's rollback-journal mode).  After each kill:
#
#   - the process died of SIGKILL (the shim fired: no vacuous pass);
#   - the previous run.ps, run.pdf and run.csv are byte-identical, and
#     no file with a final name appeared (run.ldif did not exist);
#   - what the kill left is only hidden temporary files (.NAME.*.tmp),
#     mode 0600 since they may hold codes, and the hot journal;
#   - the ledger opens (entpress list rolls the hot journal back), lists
#     the same accounts, logins and states, and its tables are the same
#     row for row (sqlite3 .dump, when sqlite3 is installed); a journal
#     killed before its header was synced may stay, zeroed and ignored,
#     until the next run removes it.
#
# Two more cases kill after the commit, at the first and second rename:
# the codes are then issued (the ledger has the run) and each final file
# is either the previous one or the complete new one, the rest complete
# under its temporary name.  That window is the price of committing the
# ledger before publishing the letters; it is documented, not hidden.
# Finally a run without the shim must succeed on what the kills left.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
: "${ENTPRESS:=$top_builddir/compiler/entpress}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
case "$top_srcdir" in /*) ;; *) top_srcdir=$(pwd)/$top_srcdir ;; esac
shim=$top_builddir/tests/crash/killshim.so
case "$shim" in /*) ;; *) shim=$(pwd)/$shim ;; esac
[ -f "$shim" ] || { echo "kill: $shim not built" >&2; exit 99; }
[ -d /proc/self/fd ] || { echo "kill: no /proc" >&2; exit 77; }
have_sqlite=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=1
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-kill.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
demo=$top_srcdir/fixtures/demo
db=$work/entpress.db
fail=0
t() {
	if [ "$1" = ok ]; then echo "PASS: $2"; else echo "FAIL: $2"; fail=1; fi
}

# ep ARGS...: entpress in an empty environment, with the KILLSHIM_*
# variables of the caller; the shim is preloaded only when they are set.
# Outside a case they are unset.
unset KILLSHIM_CALL KILLSHIM_PATH KILLSHIM_AT KILLSHIM_LOG
ep() {
	env -i PATH="$PATH" LC_ALL=C TZ=UTC \
	    ASAN_OPTIONS="verify_asan_link_order=0:${ASAN_OPTIONS:-}" \
	    ${KILLSHIM_CALL:+LD_PRELOAD="$shim"} \
	    ${KILLSHIM_CALL:+KILLSHIM_CALL="$KILLSHIM_CALL"} \
	    ${KILLSHIM_PATH:+KILLSHIM_PATH="$KILLSHIM_PATH"} \
	    ${KILLSHIM_AT:+KILLSHIM_AT="$KILLSHIM_AT"} \
	    ${KILLSHIM_LOG:+KILLSHIM_LOG="$KILLSHIM_LOG"} \
	    "$ENTPRESS" "$@"
}
run2() {
	ep compile -q --test-mode --seed 22 --date 2026-09-02 \
	    --ledger "$db" -o "$work/out/run.ps" -o "$work/out/run.pdf" \
	    --csv "$work/out/run.csv" "$@" "$demo"
}
# The ledger as the product sees it, and as SQLite holds it.
ledger_state() {
	ep list --state all --ledger "$db" "$demo" >"$1.list" 2>/dev/null
	if [ $have_sqlite = 1 ]; then
		sqlite3 "$db" .dump >"$1.dump" 2>&1
	else
		: >"$1.dump"
	fi
}

# The first run, and the state every killed run must leave alone.
mkdir "$work/out"
ep compile -q --test-mode --seed 21 --date 2026-09-01 --ledger "$db" \
    -o "$work/out/run.ps" -o "$work/out/run.pdf" --csv "$work/out/run.csv" \
    --class 4B --profile student "$demo" 2>/dev/null
[ $? -le 1 ] || { echo "FAIL: first run"; exit 1; }
mkdir "$work/before"
cp -p "$work/out/run.ps" "$work/out/run.pdf" "$work/out/run.csv" \
    "$work/before/"
ledger_state "$work/before/ledger"
ls -A "$work/out" >"$work/before/files"
cp -p "$db" "$work/before/entpress.db"

# A dry run on a copy of the ledger counts the calls the cases aim at.
cp -p "$db" "$work/dry.db"
cp -p "$db.key" "$work/dry.db.key"
mkdir "$work/dry"
KILLSHIM_CALL=write KILLSHIM_LOG=$work/writes
ep compile -q --test-mode --seed 22 --date 2026-09-02 \
    --ledger "$work/dry.db" -o "$work/dry/run.ps" -o "$work/dry/run.pdf" \
    --csv "$work/dry/run.csv" "$demo" 2>/dev/null
unset KILLSHIM_CALL KILLSHIM_LOG
nps=$(grep -c '/\.run\.ps\..*\.tmp$' "$work/writes")
npdf=$(grep -c '/\.run\.pdf\..*\.tmp$' "$work/writes")
[ "$nps" -ge 2 ] && [ "$npdf" -ge 2 ] && ok=ok || ok=no
t $ok "dry run: the print run takes $nps PostScript and $npdf PDF writes"

# check NAME: the guarantees after a kill before the commit.
check() {
	name=$1
	# Only hidden temporary files, and the hot journal, may be new.
	ls -A "$work/out" | grep -v '^\.run\.\(ps\|pdf\|csv\|ldif\)\.[0-9]*-[0-9]*\.tmp$' \
	    >"$work/files"
	if ! cmp -s "$work/files" "$work/before/files"; then
		echo "FAIL: $name: unexpected files:"; diff "$work/before/files" \
		    "$work/files"; fail=1
	fi
	for f in run.ps run.pdf run.csv; do
		cmp -s "$work/out/$f" "$work/before/$f" ||
		    { echo "FAIL: $name: $f changed"; fail=1; }
	done
	for f in "$work"/out/.*.tmp; do
		[ -e "$f" ] || continue
		[ "$(stat -c %a "$f")" = 600 ] ||
		    { echo "FAIL: $name: $f is not 0600"; fail=1; }
	done
	ledger_state "$work/after"
	# A journal killed before its header was synced has a zeroed
	# magic: SQLite leaves it (not hot, nothing to roll back) and the
	# next write transaction removes it.  A hot one must be gone.
	if [ -e "$db-journal" ] && [ "$(od -A n -t x1 -N 8 "$db-journal" |
	    tr -d ' \n')" != 0000000000000000 ]; then
		echo "FAIL: $name: hot journal left after the ledger was opened"
		fail=1
	fi
	cmp -s "$work/after.list" "$work/before/ledger.list" ||
	    { echo "FAIL: $name: entpress list differs"; fail=1; }
	cmp -s "$work/after.dump" "$work/before/ledger.dump" ||
	    { echo "FAIL: $name: ledger tables differ (sqlite3 .dump)";
	      diff "$work/before/ledger.dump" "$work/after.dump" | head -5;
	      fail=1; }
	rm -f "$work"/out/.*.tmp
}

# kill NAME CALL PATTERN N: one killed run, then the checks.
kill_at() {
	name=$1
	KILLSHIM_CALL=$2 KILLSHIM_PATH=$3 KILLSHIM_AT=$4
	shift 4
	run2 "$@" >/dev/null 2>"$work/err"
	rc=$?
	unset KILLSHIM_CALL KILLSHIM_PATH KILLSHIM_AT
	if [ $rc -ne 137 ]; then
		echo "FAIL: $name: exit $rc, not killed (did the shim match?)"
		fail=1
		return
	fi
	before=$fail
	fail=0
	check "$name"
	[ $fail = 0 ] && echo "PASS: killed $name: files and ledger as before"
	[ "$before" = 0 ] || fail=1
}

mid=$(( (nps + 1) / 2 + 1 ))
kill_at "while reading the export" read "*_Eleve_0001.xml" 1
kill_at "while reading the export (Delta)" read "*_Delta_*" 1
kill_at "at the first PostScript write" write "*/.run.ps.*.tmp" 1
kill_at "in the middle of the PostScript ($mid/$nps)" write \
    "*/.run.ps.*.tmp" "$mid"
kill_at "at the PostScript fsync" fsync "*/.run.ps.*.tmp" 1
kill_at "in the middle of the PDF (2/$npdf)" write "*/.run.pdf.*.tmp" 2
kill_at "at the PDF fsync" fsync "*/.run.pdf.*.tmp" 1
kill_at "while writing the CSV" write "*/.run.csv.*.tmp" 1
# Argon2id takes a tenth of a second per account: one class for the LDIF.
kill_at "while writing the LDIF" write "*/.run.ldif.*.tmp" 1 \
    --ldif "$work/out/run.ldif" --class 4A
kill_at "while issuing (first ledger page journalled)" write \
    "*/entpress.db-journal" 1
kill_at "at the commit: journal fsync" fsync "*/entpress.db-journal" 1
kill_at "at the commit: first database write" write "*/entpress.db" 1
kill_at "at the commit: database fsync" fsync "*/entpress.db" 1
kill_at "at the commit point: journal unlink" unlink \
    "*/entpress.db-journal" 1

# After the commit: the first rename (run.ps), then the second (run.pdf).
runs() {
	if [ $have_sqlite = 1 ]; then
		sqlite3 "$db" 'SELECT count(*) FROM runs'
	else
		echo "?"
	fi
}
r0=$(runs)
for n in 1 2; do
	KILLSHIM_CALL=rename KILLSHIM_PATH="*/.run.*.tmp" KILLSHIM_AT=$n
	run2 >/dev/null 2>&1
	rc=$?
	unset KILLSHIM_CALL KILLSHIM_PATH KILLSHIM_AT
	ok=ok
	[ $rc = 137 ] || ok=no
	r1=$(runs)
	[ $have_sqlite = 0 ] || [ "$r1" = $((r0 + 1)) ] || ok=no
	# Each final file is the previous one or complete; the rest is
	# complete under its temporary name.
	for f in run.ps run.pdf run.csv; do
		tmp=$(ls "$work"/out/.$f.*.tmp 2>/dev/null | head -n 1)
		if cmp -s "$work/out/$f" "$work/before/$f"; then
			[ -n "$tmp" ] || ok=no
		else
			[ -z "$tmp" ] || ok=no
		fi
	done
	for f in "$work"/out/run.ps "$work"/out/.run.ps.*.tmp \
	    "$work"/out/run.pdf "$work"/out/.run.pdf.*.tmp; do
		[ -e "$f" ] || continue
		tail -c 7 "$f" | grep -q '%%EOF' || ok=no
	done
	t $ok "killed at rename $n, after the commit: run recorded ($r0 -> $r1 runs), every file complete under one name or the other"
	# The next case starts from the same point again.
	rm -f "$work"/out/.*.tmp
	cp -p "$work/before/run.ps" "$work/before/run.pdf" \
	    "$work/before/run.csv" "$work/out/"
	rm -f "$work/out/run.ldif"
	# Forget the committed run so that the next one has work again.
	cp -p "$work/before/entpress.db" "$db"
	r0=$(runs)
done

# What the kills left must not stop the next run.
run2 >/dev/null 2>"$work/err"
rc=$?
[ $rc -le 1 ] && [ -s "$work/out/run.ps" ] &&
    ! cmp -s "$work/out/run.ps" "$work/before/run.ps" && ok=ok || ok=no
[ ! -e "$db-journal" ] || ok=no
t $ok "a run after the kills completes and leaves no journal (exit $rc)"
exit $fail
