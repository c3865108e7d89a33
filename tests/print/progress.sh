#!/bin/sh
# Progress for people (issue 8, item 4), as the program is run.
#
# 1. On a terminal, compile draws one updating line ("entpress: reading
#    ...", "entpress: printing N/M letters, P pages") and erases it; the
#    summary line follows, with pages, letters per batch, envelopes and
#    the time.
# 2. With -q on a terminal: no progress line and no summary (warnings
#    still show).
# 3. When the standard error is a file: no progress line, no terminal
#    control sequence; only the summary line.
# The terminal is script(1)'s pseudo-terminal; without script the first
# two checks are skipped (the third still runs).
set -u
: "${top_srcdir:=.}"
print_name=progress
. "$top_srcdir/tests/print/lib.sh"
# A whole demo school, every batch: several hundred letters.
args="compile --test-mode --seed 5 --date 2026-09-01 --batch class,staff,mail"
args="$args --profile student,parent,teacher"

if command -v script >/dev/null 2>&1; then
	# 1. A terminal.
	script -qec "cd '$src' && env -i PATH='$PATH' LC_ALL=C TZ=UTC \
	    '$ENTPRESS' $args --ledger '$work/a.db' -o '$work/a.ps' \
	    fixtures/demo" "$work/tty.out" >/dev/null 2>&1 </dev/null
	rc=$?
	grep -q 'entpress: reading ' "$work/tty.out" &&
	    grep -q 'entpress: printing [0-9]*/[0-9]* letters, [0-9]* pages' \
	    "$work/tty.out" && ok=ok || ok=no
	t $ok "a terminal shows the reading and printing line (exit $rc)"
	printf '\r\033[K' >"$work/erase"
	grep -qF "$(cat "$work/erase")" "$work/tty.out" && ok=ok || ok=no
	t $ok "the line is erased, not left behind"
	grep -Eq 'entpress: .*a\.ps: [0-9]+ pages \([0-9]+ blank\), [0-9]+ letters: [0-9]+ by class, [0-9]+ staff, [0-9]+ posted in [0-9]+ envelopes?; [0-9]+\.[0-9] s' \
	    "$work/tty.out" && ok=ok || ok=no
	t $ok "the summary line gives pages, letters per batch, envelopes, time"

	# 2. A terminal and -q.
	script -qec "cd '$src' && env -i PATH='$PATH' LC_ALL=C TZ=UTC \
	    '$ENTPRESS' $args -q --ledger '$work/b.db' -o '$work/b.ps' \
	    fixtures/demo" "$work/q.out" >/dev/null 2>&1 </dev/null
	# Diagnostics still show with -q; the line and the summary do not.
	if grep -q 'reading \|printing \|envelopes\{0,1\};' "$work/q.out" ||
	    grep -qF "$(cat "$work/erase")" "$work/q.out" || [ ! -s "$work/b.ps" ]
	then ok=no; else ok=ok; fi
	t $ok "-q on a terminal: no progress line, no summary"
else
	echo "SKIP: no script(1) for a terminal"
fi

# 3. Not a terminal.
(cd "$src" && env -i PATH="$PATH" LC_ALL=C TZ=UTC "$ENTPRESS" $args \
    --ledger "$work/c.db" -o "$work/c.ps" fixtures/demo) 2>"$work/err" \
    >/dev/null
rc=$?
if grep -q 'reading \|printing ' "$work/err" ||
    [ "$(tr -d '\033\r' <"$work/err" | wc -c)" != "$(wc -c <"$work/err")" ]
then ok=no; else ok=ok; fi
t $ok "standard error is a file: no progress line, no control sequence (exit $rc)"
grep -q 'envelopes\{0,1\}; ' "$work/err" && ok=ok || ok=no
t $ok "standard error is a file: the summary line is there"
exit $fail
