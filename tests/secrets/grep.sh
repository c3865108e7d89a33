#!/bin/sh
# Secret hygiene: no activation code anywhere but in the letters (PS,
# PDF) and the CSV, which exist to carry them.
#
# Every command runs with --test-mode --seed, so the codes are known:
# they are read back from the CSVs of the runs, in clear and grouped
# for reading (abcd efgh), and searched for in
#
#   - the standard error of every command (check, list, compile to PS,
#     to PDF, CSV only, LDIF, a run that fails, reissue, verify,
#     report, accounts import) and the standard output of check, list,
#     verify, report and accounts import, and report's CSV;
#   - the ledger, its key file (binary: a code cannot be in it in clear)
#     and its journal if one is left;
#   - the LDIF, which must carry an argon2id hash for every account and
#     never a code;
#   - the manifests of the compile and of the reissue;
#   - every other file the runs left, and the TMPDIR they were given;
#   - the memory of a compile stopped after its last output was written
#     (gdb's gcore, when gdb is installed): the codes must have been
#     wiped, in clear, grouped, and as the 16-bit glyphs compose uses.
#
# Also: the outputs, the ledger and its key are mode 0600, and a compile
# holding codes runs with RLIMIT_CORE 0 (read from /proc/PID/limits of
# a compile stopped by the kill shim while it writes the PostScript).
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
: "${ENTPRESS:=$top_builddir/compiler/entpress}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
case "$top_srcdir" in /*) ;; *) top_srcdir=$(pwd)/$top_srcdir ;; esac
shim=$top_builddir/tests/crash/killshim.so
case "$shim" in /*) ;; *) shim=$(pwd)/$shim ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-secrets.XXXXXX") || exit 99
pid=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
demo=$top_srcdir/fixtures/demo
out=$work/out
db=$out/entpress.db
mkdir "$out" "$work/tmp" "$work/log"
fail=0
t() {
	if [ "$1" = ok ]; then echo "PASS: $2"; else echo "FAIL: $2"; fail=1; fi
}
# ep NAME ARGS...: entpress with stdout and stderr kept as log/NAME.*
ep() {
	name=$1
	shift
	env -i PATH="$PATH" LC_ALL=C TZ=UTC TMPDIR="$work/tmp" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:-}" "$ENTPRESS" "$@" \
	    >"$work/log/$name.out" 2>"$work/log/$name.err"
	echo $? >"$work/log/$name.rc"
}
fixed="--test-mode --seed 51 --date 2026-09-01 --ledger $db"

# --- every command ---------------------------------------------------------
ep check check "$demo"
# shellcheck disable=SC2086
ep ps compile $fixed -o "$out/run.ps" --csv "$out/ps.csv" \
    --manifest "$out/run.manifest" --class 4B "$demo"
# shellcheck disable=SC2086
ep pdf compile $fixed -o "$out/run.pdf" --csv "$out/pdf.csv" --class 4A \
    --profile student,parent "$demo"
# shellcheck disable=SC2086
ep csv compile $fixed --csv "$out/only.csv" --csv-encoding cp1252 \
    --class 3A "$demo"
# shellcheck disable=SC2086
ep ldif compile $fixed --csv "$out/ldif.csv" --ldif "$out/run.ldif" \
    --class 5A --profile student "$demo"
# shellcheck disable=SC2086
ep fails compile $fixed -o "$out/no/such/dir/run.ps" --class 6A "$demo"
ep list list --state all --ledger "$db" "$demo"
# A lost letter: the first account of the PS run gets a new code.
lost=$(sed -n '2 { s/\r$//; p; }' "$out/ps.csv" | cut -d';' -f6)
ep reissue reissue --test-mode --seed 53 --date 2026-09-03 --ledger "$db" \
    -o "$out/reissue.ps" --csv "$out/reissue.csv" \
    --manifest "$out/reissue.manifest" "$lost"
ep verify verify "$out/run.manifest" "$out/run.ps"
ep report report --ledger "$db" --csv "$out/report.out" --date 2026-10-01
# The ENT's export: the first half activated, the rest with their code.
{
	printf 'Login;Code d%sactivation\r\n' "'"
	sed '1d; s/\r$//' "$out/ps.csv" | awk -F';' '{ if (NR % 2)
	    printf "%s;\r\n", $6; else printf "%s;%s\r\n", $6, $7 }'
} >"$work/ent.csv"
ep import accounts import --ledger "$db" "$work/ent.csv"

for r in ps pdf csv ldif list import check reissue verify report; do
	rc=$(cat "$work/log/$r.rc")
	[ "$rc" -le 1 ] || { echo "FAIL: $r: exit $rc"; cat "$work/log/$r.err";
	    fail=1; }
done
[ "$(cat "$work/log/fails.rc")" -ge 2 ] ||
    { echo "FAIL: the run into a missing directory did not fail"; fail=1; }

# The codes of every run, from its CSV (cp1252 is ASCII for codes).
for f in ps pdf only ldif reissue; do
	sed '1d; s/\r$//' "$out/$f.csv" | cut -d';' -f7
done | grep . | sort -u >"$work/codes"
n=$(wc -l <"$work/codes")
[ "$n" -ge 50 ] && ok=ok || ok=no
t $ok "$n codes issued by the runs"
awk '{ print; print substr($0, 1, 4) " " substr($0, 5) }' "$work/codes" \
    >"$work/patterns"

# --- where no code may be ----------------------------------------------------
# leak FILE...: say which files hold a code; sets clean=no if any does.
leak() {
	for f in "$@"; do
		[ -f "$f" ] || continue
		if grep -qaFf "$work/patterns" "$f"; then
			echo "  a code is in $(basename "$f"):"
			grep -aoFf "$work/patterns" "$f" | head -n 3 |
			    sed 's/^/    /'
			clean=no
		fi
	done
}
clean=ok
leak "$work"/log/*.err "$work"/log/*.out
t $clean "no code on the standard error or output of check, list, compile, reissue, verify, report, accounts import"
clean=ok
leak "$db" "$db.key" "$db-journal"
t $clean "no code in the ledger, its key file or journal"
# Every other file the runs left: not a letter, not a CSV.
find "$out" "$work/tmp" -type f ! -name '*.ps' ! -name '*.pdf' \
    ! -name '*.csv' ! -name '*.manifest' ! -name report.out >"$work/others"
clean=ok
while IFS= read -r f; do
	leak "$f"
done <"$work/others"
t $clean "no code in the $(wc -l <"$work/others") other files left (LDIF, key, ledger) or TMPDIR"
[ -z "$(ls -A "$work/tmp")" ] && ok=ok || ok=no
t $ok "nothing written to TMPDIR"

# The LDIF: an argon2id hash per account, never a code.
na=$(sed '1d' "$out/ldif.csv" | grep -c .)
nh=$(grep -c '^userPassword: {ARGON2}\$argon2id\$' "$out/run.ldif")
[ "$na" -gt 0 ] && [ "$na" = "$nh" ] && ok=ok || ok=no
t $ok "LDIF: $nh argon2id hashes for $na accounts"

clean=ok
leak "$out/run.manifest" "$out/reissue.manifest" "$out/report.out"
ok=$clean
[ -s "$out/run.manifest" ] && [ -s "$out/reissue.manifest" ] ||
    { echo "  a manifest is missing"; ok=no; }
t $ok "no code in the manifests of the compile and the reissue, or report's CSV"

# --- modes ------------------------------------------------------------------
bad=$(for f in "$out/run.ps" "$out/run.pdf" "$out"/*.csv "$out/run.ldif" \
    "$db" "$db.key" "$out"/*.manifest "$out/reissue.ps"; do
	[ -e "$f" ] || continue
	m=$(stat -c %a "$f")
	[ "$m" = 600 ] || echo "$(basename "$f"):$m"
done)
[ -z "$bad" ] && ok=ok || ok=no
t $ok "outputs, ledger and key are 0600${bad:+ (not: $bad)}"

# --- a compile in memory ---------------------------------------------------
# stopped NAME CALL PATTERN N: start a compile of the rest of the school
# that stops itself (SIGSTOP) at the Nth matching call; sets pid.
stopped() {
	pid=
	env -i PATH="$PATH" LC_ALL=C TZ=UTC LD_PRELOAD="$shim" \
	    ASAN_OPTIONS="verify_asan_link_order=0:${ASAN_OPTIONS:-}" \
	    KILLSHIM_CALL="$2" KILLSHIM_PATH="$3" KILLSHIM_AT="$4" \
	    KILLSHIM_SIG=STOP "$ENTPRESS" compile -q --test-mode --seed 52 \
	    --date 2026-09-01 --ledger "$work/$1.db" -o "$work/$1.ps" \
	    -o "$work/$1.pdf" --csv "$work/$1.csv" "$demo" \
	    >/dev/null 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 300 ]; do
		state=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' \
		    /proc/$pid/status 2>/dev/null)
		[ "$state" = T ] && return 0
		[ -z "$state" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL: $1: the compile did not stop at $2 $3 #$4"
	fail=1
	kill -KILL "$pid" 2>/dev/null
	pid=
	return 1
}
finish() {
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}

if [ ! -f "$shim" ] || [ ! -d /proc/self ]; then
	echo "SKIP: core limit and memory (no kill shim or no /proc)"
	exit $fail
fi
if stopped core write "*/.core.ps.*.tmp" 1; then
	lim=$(awk '/^Max core file size/ { print $5 "/" $6 }' \
	    /proc/$pid/limits)
	[ "$lim" = 0/0 ] && ok=ok || ok=no
	t $ok "a compile writing its letters cannot dump core (RLIMIT_CORE $lim)"
	finish
fi

if ! command -v gdb >/dev/null 2>&1; then
	echo "SKIP: codes in memory (gdb not installed)"
	exit $fail
fi
# Stopped at its last rename (the CSV's): the letters are written and
# published, the ledger committed; nothing needs a code any more.
if stopped mem rename "*/.mem.csv.*.tmp" 1; then
	# A core is the size of the address space: under a sanitizer that
	# reserves terabytes, gcore would fill the disk.  Past 4 GB (the
	# limit is in 512-byte blocks for dash, 1 KB for bash) it fails and
	# the check is skipped as when gcore cannot attach.
	(ulimit -f 8388608 && gdb -q -batch -p "$pid" \
	    -ex "gcore $work/mem.core") >/dev/null 2>&1 ||
	    rm -f "$work/mem.core"
	sed '1d; s/\r$//' "$work"/.mem.csv.*.tmp | cut -d';' -f7 | grep . \
	    >"$work/mem.codes"
	sed '1d; s/\r$//' "$work"/.mem.csv.*.tmp | cut -d';' -f6 | grep . \
	    >"$work/mem.logins"
	finish
	if [ ! -s "$work/mem.core" ] || [ ! -s "$work/mem.codes" ]; then
		echo "SKIP: codes in memory (gcore could not attach)"
	else
		# In clear, grouped, and as UTF-16LE: compose's glyphs.
		awk '{ g = substr($0, 1, 4) " " substr($0, 5); print; print g
		    s = ""; for (i = 1; i <= length($0); i++)
		        s = s substr($0, i, 1) "\001"
		    print s }' "$work/mem.codes" | tr '\001' '\000' \
		    >"$work/mem.patterns"
		found=$(grep -caFf "$work/mem.patterns" "$work/mem.core")
		# The logins stay (they are no secret): they show that the
		# core holds the heap and that the search would see a code.
		logins=$(grep -caFf "$work/mem.logins" "$work/mem.core")
		if [ "$logins" = 0 ]; then
			echo "SKIP: codes in memory (the core holds no login either: the search proves nothing)"
		else
			[ "$found" = 0 ] && ok=ok || ok=no
			t $ok "no code of $(wc -l <"$work/mem.codes") in the memory of a compile after its last output (core lines with a code: $found, with a login: $logins)"
		fi
	fi
fi
exit $fail
