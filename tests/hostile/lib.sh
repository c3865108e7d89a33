# lib.sh: what the hostile-input tests share (sourced, not run).
#
# The exports are generated here at test time, small AAF documents
# built from one request per line, so that no large or odd file is
# committed: aaf_begin FILE [ENCODING], then etab/person lines, then
# aaf_end.  Values are written as given: the caller escapes what XML
# needs, and uses character references (&#10;) for what it wants the
# reader to decode.  check_codes then holds the print run to its CSV.
: "${top_srcdir:=.}" "${top_builddir:=.}"
: "${ENTPRESS:=$top_builddir/compiler/entpress}"
: "${GS:=gs}"
case "$ENTPRESS" in /*) ;; *) ENTPRESS=$(pwd)/$ENTPRESS ;; esac
case "$top_srcdir" in /*) ;; *) top_srcdir=$(pwd)/$top_srcdir ;; esac

# aaf_begin FILE [ENCODING]: start a document in FILE.
aaf_begin() {
	aaf_file=$1
	printf '<?xml version="1.0" encoding="%s"?>\n<ficAlimMENESR>\n' \
	    "${2:-UTF-8}" >"$aaf_file"
}
aaf_end() {
	printf '</ficAlimMENESR>\n' >>"$aaf_file"
}
# etab ID UAI NAME CLASSES...: a school with its classes (code$label).
etab() {
	{
		printf '<addRequest><operationalAttributes><attr name="categorieStructure"><value>EtabEducNat</value></attr></operationalAttributes><identifier><id>%s</id></identifier><attributes><attr name="ENTStructureUAI"><value>%s</value></attr><attr name="ENTStructureNomCourant"><value>%s</value></attr><attr name="ENTStructureClasses">' "$1" "$2" "$3"
		shift 3
		for c in "$@"; do
			printf '<value>%s</value>' "$c"
		done
		printf '</attr></attributes></addRequest>\n'
	} >>"$aaf_file"
}
# person OP CATEGORY ID NAME VALUE...: a request; a NAME repeated in a
# row makes one multi-valued attribute.  OP: add, modify or delete.
person() {
	op=$1 cat=$2 id=$3
	shift 3
	{
		printf '<%sRequest><operationalAttributes><attr name="categoriePersonne"><value>%s</value></attr></operationalAttributes><identifier><id>%s</id></identifier>' "$op" "$cat" "$id"
		if [ "$op" = add ]; then
			el=attr wrap=attributes
		else
			el=modification wrap=modifications
		fi
		[ "$op" = delete ] || printf '<%s>' "$wrap"
		prev=
		while [ $# -ge 2 ]; do
			if [ "$1" != "$prev" ]; then
				[ -n "$prev" ] && printf '</%s>' "$el"
				if [ $el = attr ]; then
					printf '<attr name="%s">' "$1"
				else
					printf '<modification name="%s" operation="replace">' "$1"
				fi
			fi
			printf '<value>%s</value>' "$2"
			prev=$1
			shift 2
		done
		[ -n "$prev" ] && printf '</%s>' "$el"
		[ "$op" = delete ] || printf '</%s>' "$wrap"
		printf '</%sRequest>\n' "$op"
	} >>"$aaf_file"
}

# ep ARGS...: entpress in an empty environment (sanitizer options kept).
ep() {
	env -i PATH="$PATH" LC_ALL=C TZ=UTC ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
	    UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" "$ENTPRESS" "$@"
}

# sane ERRFILE: no sanitizer report, and every line a diagnostic of ours.
sane() {
	if grep -q 'Sanitizer\|runtime error' "$1"; then
		echo "  sanitizer report:"; grep -m3 'Sanitizer\|runtime error' "$1"
		return 1
	fi
	if grep -v '^entpress: ' "$1" | grep -q .; then
		echo "  output outside the diagnostic format:"
		grep -v '^entpress: ' "$1" | head -n 3
		return 1
	fi
	return 0
}

# check_codes RUN CSV: every account of the CSV is printed in RUN (the
# letter layout: "Identifiant : LOGIN" then "Code d'activation : abcd
# efgh") with its own code, and no other code is printed.  Ghostscript
# extracts the text; RUN may be PostScript or PDF.
check_codes() {
	"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite \
	    -sOutputFile="$1.txt" "$1" 2>/dev/null || { echo "  gs failed"; return 1; }
	# Records end in CRLF; a quoted name or class may hold a bare LF.
	# The login and the code, last, never hold a ; or a quote.
	awk 'BEGIN { RS = "\r\n"; FS = ";" }
	    NR > 1 && NF >= 2 { print $(NF - 1) ";" $NF }' "$2" >"$1.pairs"
	awk -v pairs="$1.pairs" '
	BEGIN {
		while ((getline l < pairs) > 0) {
			split(l, f, ";"); code[f[1]] = f[2]; n++
		}
	}
	{ sub(/\r$/, "") }
	# A long login wraps: its parts follow on the next lines.
	/Identifiant : / {
		sub(/.*Identifiant : /, ""); gsub(/ /, ""); login = $0
		inlogin = 1; next
	}
	/Identifiant :$/ { login = ""; inlogin = 1; next }
	/Code d.activation : / {
		c = $0; sub(/.*Code d.activation : /, "", c); gsub(/ /, "", c)
		if (!(login in code)) { print "  printed login not in the CSV: " login; bad = 1 }
		else if (code[login] != c) { print "  wrong code printed for " login; bad = 1 }
		else seen[login] = 1
		login = ""; inlogin = 0; next
	}
	inlogin { l = $0; gsub(/ /, "", l); login = login l }
	END {
		for (l in code) if (!(l in seen)) { print "  no letter with the code of " l; bad = 1 }
		exit bad
	}' "$1.txt"
}
