#!/bin/sh
# A full disk during entpress compile: the same guarantees as a kill,
# and an error that says which file, with exit status 3.
#
# A first run (the students of 4B) leaves letters, a CSV and a ledger.
# Then the rest of the demo school is compiled with too little room,
# first under a file size limit (ulimit -f, SIGXFSZ ignored so that the
# write fails with EFBIG instead of killing the process: see sigxfsz.sh
# for the default disposition), then, when this runs as root and may
# mount one, on a small tmpfs (ENOSPC).  The limits are chosen so that
# the PostScript, the PDF, the ledger while issuing and the ledger's
# commit each run out in turn (and the CSV or the commit on the tmpfs).  Each run must:
#
#   - exit 3 and say "FILE: SYSERR: write error" (or the ledger's
#     database error) naming the file that could not be written;
#   - leave run.ps, run.pdf and run.csv byte-identical, create no final
#     name, and leave no temporary file (the run was not killed: it
#     cleans up);
#   - leave the ledger issuing nothing (entpress list, sqlite3 .dump).
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
: "${ENTPRESS:=$top_builddir/compiler/entpress}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
case "$top_srcdir" in /*) ;; *) top_srcdir=$(pwd)/$top_srcdir ;; esac
have_sqlite=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=1
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-full.XXXXXX") || exit 99
mnt=
cleanup() {
	[ -n "$mnt" ] && umount "$mnt" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
demo=$top_srcdir/fixtures/demo
fail=0
t() {
	if [ "$1" = ok ]; then echo "PASS: $2"; else echo "FAIL: $2"; fail=1; fi
}
ep() {
	env -i PATH="$PATH" LC_ALL=C TZ=UTC ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
	    "$ENTPRESS" "$@"
}

# The unit of ulimit -f in this shell: 512 bytes (dash) or 1024 (bash).
( trap '' XFSZ; ulimit -f 1; head -c 4096 /dev/zero >"$work/probe" ) \
    2>/dev/null
unit=$(wc -c <"$work/probe")
case $unit in 512|1024) ;; *) echo "diskfull: ulimit -f unit $unit?" >&2; exit 99 ;; esac

# setup DIR: the first run's files and ledger in DIR, and their copies.
setup() {
	d=$1
	mkdir -p "$d/out" "$d/before"
	ep compile -q --test-mode --seed 31 --date 2026-09-01 \
	    --ledger "$d/entpress.db" -o "$d/out/run.ps" -o "$d/out/run.pdf" \
	    --csv "$d/out/run.csv" --class 4B --profile student "$demo" \
	    2>/dev/null || [ $? = 1 ] || return 1
	cp -p "$d/out/run.ps" "$d/out/run.pdf" "$d/out/run.csv" "$d/before/"
	ep list --state all --ledger "$d/entpress.db" "$demo" \
	    >"$d/before/list" 2>/dev/null
	[ $have_sqlite = 0 ] || sqlite3 "$d/entpress.db" .dump \
	    >"$d/before/dump"
	ls -A "$d/out" >"$d/before/files"
}

# verify DIR NAME PATTERN RC: the guarantees after a failed run whose
# diagnostics are in DIR/err; PATTERN must name the file that filled up.
verify() {
	d=$1 name=$2 pat=$3 rc=$4 ok=ok
	[ "$rc" = 3 ] || { echo "  exit $rc, expected 3"; ok=no; }
	if ! grep -q "^entpress: $pat: SYSERR: " "$d/err"; then
		echo "  no SYSERR naming $pat:"
		grep -v WARNING "$d/err" | sed 's/^/    /'
		ok=no
	fi
	grep -v WARNING "$d/err" | grep -v '^entpress: ' | grep -q . &&
	    { echo "  a message outside the diagnostic format"; ok=no; }
	for f in run.ps run.pdf run.csv; do
		cmp -s "$d/out/$f" "$d/before/$f" ||
		    { echo "  $f changed"; ok=no; }
	done
	ls -A "$d/out" >"$d/files"
	cmp -s "$d/files" "$d/before/files" ||
	    { echo "  files left:"; diff "$d/before/files" "$d/files"; ok=no; }
	ep list --state all --ledger "$d/entpress.db" "$demo" >"$d/list" \
	    2>/dev/null
	cmp -s "$d/list" "$d/before/list" || { echo "  ledger list"; ok=no; }
	if [ -e "$d/entpress.db-journal" ] && [ "$(od -A n -t x1 -N 8 \
	    "$d/entpress.db-journal" | tr -d ' \n')" != 0000000000000000 ]; then
		echo "  hot journal left"; ok=no
	fi
	if [ $have_sqlite = 1 ]; then
		sqlite3 "$d/entpress.db" .dump >"$d/dump"
		cmp -s "$d/dump" "$d/before/dump" ||
		    { echo "  ledger tables"; ok=no; }
	fi
	t $ok "$name: $(grep -m1 SYSERR "$d/err" | sed 's/^entpress: //; s|[^ ]*/||')"
}

# --- a file size limit ----------------------------------------------------
d=$work/limit
setup "$d" || { echo "FAIL: first run"; exit 1; }
# limit KB NAME PATTERN ARGS...: the rest of the school under the limit.
limit() {
	kb=$1 name=$2 pat=$3
	shift 3
	(
		trap '' XFSZ
		ulimit -f $((kb * 1024 / unit))
		exec env -i PATH="$PATH" LC_ALL=C TZ=UTC \
		    ASAN_OPTIONS="${ASAN_OPTIONS:-}" "$ENTPRESS" compile -q \
		    --test-mode --seed 32 --date 2026-09-02 \
		    --ledger "$d/entpress.db" "$@" "$demo"
	) >/dev/null 2>"$d/err"
	verify "$d" "$name (file size limit ${kb} KiB)" "$pat" $?
}
o="$d/out"
limit 64 "PostScript full" "$o/run.ps" -o "$o/run.ps" -o "$o/run.pdf" \
    --csv "$o/run.csv"
# For the PostScript alone to fill up, the limit must fall between the
# sizes of the two files, which are close (the PostScript defines its
# fixed paragraphs once): a trial of the same run on a copy of the
# ledger gives them.
tr=$work/trial
mkdir -p "$tr/out"
cp "$d/entpress.db" "$d/entpress.db.key" "$tr/"
ep compile -q --test-mode --seed 32 --date 2026-09-02 \
    --ledger "$tr/entpress.db" -o "$tr/out/run.ps" -o "$tr/out/run.pdf" \
    --csv "$tr/out/run.csv" "$demo" 2>/dev/null
pssz=$(wc -c <"$tr/out/run.ps") pdfsz=$(wc -c <"$tr/out/run.pdf")
if [ $((pssz - pdfsz)) -lt 4096 ]; then
	t no "PostScript full, PDF fits: no room between them (PS $pssz, PDF $pdfsz bytes)"
else
	limit $(((pssz + pdfsz) / 2048)) "PostScript full, PDF fits" \
	    "$o/run.ps" -o "$o/run.ps" -o "$o/run.pdf" --csv "$o/run.csv"
fi
limit 256 "PDF full" "$o/run.pdf" -o "$o/run.pdf" --csv "$o/run.csv"
limit 16 "ledger full while issuing" "$d/entpress.db" --csv "$o/run.csv"
limit 64 "ledger full at the commit" "$d/entpress.db" --csv "$o/run.csv"

# --- a full file system ----------------------------------------------------
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: tmpfs cases (not root: cannot mount a small file system)"
	exit $fail
fi
mnt=$work/mnt
mkdir "$mnt"
if ! mount -t tmpfs -o size=1024k,mode=0700 tmpfs "$mnt" 2>/dev/null; then
	mnt=
	echo "SKIP: tmpfs cases (mount refused)"
	exit $fail
fi
d=$mnt
setup "$d" || { echo "FAIL: first run on tmpfs"; exit 1; }
o="$d/out"
ep compile -q --test-mode --seed 33 --date 2026-09-02 \
    --ledger "$d/entpress.db" -o "$o/run.ps" -o "$o/run.pdf" \
    --csv "$o/run.csv" "$demo" >/dev/null 2>"$d/err"
verify "$d" "tmpfs of 1 MiB full during the print run" "$o/run.p[sd][f]*" $?
# Fill all but 48 KiB: the journal fits, the CSV or the commit does not.
head -c $(( $(df -k --output=avail "$d" | tail -n 1) * 1024 - 48 * 1024 )) \
    /dev/zero >"$d/big" 2>/dev/null
ep compile -q --test-mode --seed 34 --date 2026-09-02 \
    --ledger "$d/entpress.db" --csv "$o/run.csv" "$demo" >/dev/null \
    2>"$d/err"
verify "$d" "tmpfs nearly full, exports only" \
    "\($d/entpress.db\|$o/run.csv\)" $?
exit $fail
