#!/bin/sh
# The address of a posted letter must show through the envelope window.
#
# The letter layout's window is the NF field: 100 x 45 mm, 35 mm from the
# top of the sheet, ending 10 mm from its right edge, i.e. x 283.46 to
# 566.93 pt and y 99.21 to 226.77 pt from the top.  Ghostscript's
# txtwrite gives every text span's box in points from the top left; on
# the first posted letter every span in that band must lie inside the
# field, 4 mm clear of its edges (the letter moves in the envelope), and
# the postcode line must be there.  Each layout's first page is also
# rendered to PNG, so a layout that Ghostscript cannot draw fails here.
set -u
: "${top_srcdir:=.}"
: "${ENTPRESS:=$top_srcdir/compiler/entpress}"
: "${GS:=gs}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
command -v "$GS" >/dev/null 2>&1 || exit 77
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-window.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
ep() {
	cmd=$1
	shift
	(cd "$top_srcdir" && env -i PATH="$PATH" LC_ALL=C TZ=UTC "$ENTPRESS" \
	    "$cmd" --test-mode --seed 7 --date 2026-09-01 \
	    --school-info fixtures/school.xml "$@")
}

ep compile --class 4A --profile parent --batch mail --ledger "$work/l.db" \
    -o "$work/mail.ps" fixtures/demo 2>/dev/null
[ -s "$work/mail.ps" ] || { echo "FAIL: no run"; exit 1; }
page=$(grep '^%%Page: MAIL-001 ' "$work/mail.ps" | awk '{ print $3 }')
[ -n "$page" ] || { echo "FAIL: no MAIL-001 page"; exit 1; }
"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite -dTextFormat=0 \
    -dFirstPage="$page" -dLastPage="$page" -sOutputFile="$work/spans" \
    "$work/mail.ps" || exit 1
awk -v left=283.46 -v right=566.93 -v top=99.21 -v bottom=226.77 \
    -v clear=11.34 '
	/<span bbox=/ {
		split($0, a, "\"")
		split(a[2], b, " ")
		x0 = b[1]; y0 = b[2]; x1 = b[3]; y1 = b[4]; text = ""
		next
	}
	/<char / {
		n = index($0, "c=\"")
		t = substr($0, n + 3)
		text = text substr(t, 1, index(t, "\"") - 1)
		next
	}
	/<\/span>/ {
		if (y1 < top || y0 > bottom)
			next
		inside = x0 >= left + clear && x1 <= right - clear &&
		    y0 >= top + clear / 2 && y1 <= bottom - clear / 2
		if (!inside && x1 > left) {
			printf("FAIL: span outside the window: %s %s-%s %s\n",
			    text, x0, x1, y0)
			bad = 1
		}
		if (inside) {
			lines++
			if (text ~ /^[0-9][0-9][0-9][0-9][0-9] [A-Z]/)
				postcode = 1
		}
	}
	END {
		if (lines < 3) {
			print "FAIL: fewer than 3 lines in the window"; bad = 1
		}
		if (!postcode) {
			print "FAIL: no POSTCODE CITY line in the window"; bad = 1
		}
		if (!bad)
			printf("PASS: window (%d lines inside)\n", lines)
		exit bad
	}' "$work/spans" || fail=1

for layout in letter halfsheet cards; do
	ep compile --class 4B --profile student --layout "$layout" \
	    --ledger "$work/$layout.db" -o "$work/$layout.ps" fixtures/demo \
	    2>/dev/null
	first=$(grep -m1 '^%%Page: [^ ]*-001 ' "$work/$layout.ps" |
	    awk '{ print $3 }')
	if "$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pnggray -r72 \
	    -dFirstPage="$first" -dLastPage="$first" \
	    -sOutputFile="$work/$layout.png" "$work/$layout.ps" &&
	    [ -s "$work/$layout.png" ]; then
		echo "PASS: $layout renders"
	else
		echo "FAIL: $layout does not render"; fail=1
	fi
done
exit $fail
