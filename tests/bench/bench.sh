#!/bin/sh
# make bench: how fast entpress prints an academy, beside the tools people
# use today.
#
# For each size in BENCH_SIZES (students; default "20000 100000"), a
# fictional academy is generated with fixtures/gen-academy, then each of
# these commands is run BENCH_RUNS times (default 3) and its median wall
# time kept:
#
#   xmllint --stream --noout   libxml2's own streaming reader on the same
#                              files: the parse floor
#   entpress check
#   entpress compile           --batch class, staff and mail, to PostScript
#                              and to PDF (a fresh ledger for every run,
#                              --test-mode --seed 1 --date 2026-09-01)
#   groff -Tps                 when installed: the reference, a mail merge
#                              of one-page letters (the same parents, their
#                              address block, login, a code, the same
#                              paragraphs) in plain troff requests, so that
#                              groff-base is enough
#
# The runs go in rounds: each round runs every command on every size
# once, in the order of the table, so that a machine that is slower for
# a few minutes slows every row alike instead of the rows measured then
# (the ratios to groff and to the floor, and the comparison of the two
# sizes, are what the targets are about).
#
# Every command runs under tests/bench/benchrun, which measures the wall
# time, the CPU time and the peak resident set size of that one process.
# The table gives pages (as the run counts them, blank versos included),
# the median seconds, pages/s, MB/s of AAF input, the peak RSS (the
# largest of the runs), the speed relative to groff's pages/s, and the
# time relative to the parse floor.  It goes to the standard output;
# BENCH_WRITE=1 also writes it to tests/bench/RESULTS.md.  BENCH_DIR=DIR
# keeps the academies and outputs there (they take about 4 MB per 1,000
# students, plus the largest run) instead of a removed temporary
# directory.  Wall times are only as quiet as the machine: on a shared
# one, read the CPU column too.
set -u
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
: "${ENTPRESS:=$top_builddir/compiler/entpress}"
: "${GEN:=$top_builddir/fixtures/gen-academy}"
: "${BENCHRUN:=$top_builddir/tests/bench/benchrun}"
: "${XMLLINT:=xmllint}"
: "${GROFF:=groff}"
sizes=${BENCH_SIZES:-20000 100000}
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
runs=${BENCH_RUNS:-3}
for v in ENTPRESS GEN BENCHRUN; do
	eval "p=\$$v"
	case "$p" in /*) ;; *) eval "$v=\$(pwd)/\$p" ;; esac
done
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 99
for p in "$ENTPRESS" "$GEN" "$BENCHRUN"; do
	[ -x "$p" ] || { echo "bench: $p: not built" >&2; exit 99; }
done
command -v "$XMLLINT" >/dev/null 2>&1 ||
    { echo "bench: no xmllint (package libxml2-utils)" >&2; exit 99; }
have_groff=0
if command -v "$GROFF" >/dev/null 2>&1 &&
    echo x | "$GROFF" -Tps >/dev/null 2>&1; then
	have_groff=1
else
	echo "bench: no groff -Tps: the groff rows are left out" >&2
fi

if [ -n "${BENCH_DIR:-}" ]; then
	work=$BENCH_DIR
	mkdir -p "$work" || exit 99
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-bench.XXXXXX") || exit 99
	trap 'rm -rf "$work"' EXIT INT TERM
fi
table=$work/table.md
fixed="--test-mode --seed 1 --date 2026-09-01"

# median FILE: the median of the numbers in FILE, one a line (the lower
# one of the two middle values for an even count).
median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# once KEY COMMAND...: run COMMAND once under benchrun in a new empty
# directory $work/run (so a compile starts with a fresh ledger) and
# append its wall and CPU seconds and its peak RSS to $work/m/KEY.*;
# a command that failed once is not run again and has no row.  The
# output stays in $work/run until the next run.
once() {
	key=$1
	shift
	[ -e "$work/m/$key.failed" ] && return 1
	rm -rf "$work/run"
	mkdir "$work/run"
	(cd "$work/run" && "$BENCHRUN" "$@" >stdout 2>stderr)
	st=$?
	m=$(sed -n 's/^benchrun: //p' "$work/run/stderr" | tail -n 1)
	if [ -z "$m" ] || [ "$st" -gt 1 ]; then
		echo "bench: $key: exit $st" >&2
		grep -v ': WARNING: ' "$work/run/stderr" | tail -n 5 >&2
		: >"$work/m/$key.failed"
		return 1
	fi
	echo "$m" | awk '{ print $1 }' >>"$work/m/$key.walls"
	echo "$m" | awk '{ print $2 + $3 }' >>"$work/m/$key.cpus"
	echo "$m" | awk '{ print $4 }' >>"$work/m/$key.rsss"
	return 0
}

# stats KEY: the median wall and CPU seconds and the largest RSS of
# KEY's runs in $wall $cpu $rss; fails when KEY has no complete set.
stats() {
	wall=
	[ -e "$work/m/$1.failed" ] && return 1
	[ -s "$work/m/$1.walls" ] || return 1
	wall=$(median "$work/m/$1.walls")
	cpu=$(median "$work/m/$1.cpus")
	rss=$(sort -n "$work/m/$1.rsss" | tail -n 1)
	return 0
}

# row SIZE NAME PAGES: one line of the table from $wall $cpu $rss.
row() {
	awk -v size="$1" -v name="$2" -v pages="$3" -v wall="$wall" \
	    -v cpu="$cpu" -v rss="$rss" -v mb="$inmb" -v floor="$floor" \
	    -v groff="$groff_rate" 'BEGIN {
		rate = pages > 0 ? pages / wall : 0
		p = "-"; r = "-"; g = "-"; f = "-"
		if (pages > 0) {
			p = pages
			r = sprintf("%.0f", rate)
		}
		if (pages > 0 && groff > 0)
			g = sprintf("%.1f", rate / groff)
		if (floor > 0)
			f = sprintf("%.2f", wall / floor)
		m = (name ~ /^groff/) ? "-" : sprintf("%.1f", mb / wall)
		printf("| %s | %s | %s | %.3f | %.3f | %s | %s | %.0f | %s | %s |\n",
		    size, name, p, wall, cpu, r, m, rss / 1024, g, f)
	}' >>"$table"
}

# The pages of a DSC PostScript file (groff says %%Pages in its header,
# entpress in its trailer; both mark every page).
ps_pages() {
	grep -c '^%%Page:' "$1"
}

# The groff reference: one letter per parent of the mail run, in plain
# troff requests.  Parents and logins come from `entpress list` on a
# ledger the mail run filled, addresses from the PersRelEleve files (one
# record a line, as gen-academy writes them); the codes are invented,
# in the codes' alphabet.
groff_script() {
	acad=$1
	out=$2
	rm -rf "$work/prep"
	mkdir "$work/prep"
	(cd "$work/prep" && "$ENTPRESS" compile $fixed --batch mail \
	    --ledger l.db -o x.ps "$acad" >/dev/null 2>&1
	    "$ENTPRESS" list --profile parent --ledger l.db "$acad" \
	    >parents.tsv 2>/dev/null)
	{
	cat <<'EOF'
.\" entpress bench: the mail merge reference (see tests/bench/bench.sh)
.pl 29.7c
.po 2c
.ll 17c
.lt 17c
.de AL
.if !'\\$1'' \\$1
.br
..
.de LETTER
.if \\n(nl>0 .bp
.sp |1.5c
.ft HB
.ps 11
Collège des Trois Rivières
.br
.ft H
.ps 9
27 rue des Trois Rivières, 69100 Villeurbanne
.br
ENT\~: https://ent.trois-rivieres.example.org
.sp |3.9c
.in 8.5c
.ps 7
.ul
Collège des Trois Rivières, 27 rue des Trois Rivières, 69100 Villeurbanne
.br
.ps 9
.vs 11p
.sp 0.3c
.AL "\\$1"
.AL "\\$2"
.AL "\\$3"
.AL "\\$4"
.AL "\\$5"
.AL "\\$6"
.in 0
.sp |9.9c
.ps 10
.ad r
Villeurbanne, le 1er septembre 2026
.br
.ad b
.sp |10.4c
.ft HB
.ps 11
.vs 13p
Objet\~: Vos identifiants pour l'ENT de votre enfant
.br
.ft H
.ps 9.5
.vs 11.5p
.sp 7p
Madame, Monsieur,
.sp 4p
Ce courrier est destiné à \\$7.
Il contient vos identifiants de responsable sur l'espace numérique de
travail (ENT) de l'établissement, pour suivre la scolarité de vos enfants.
.sp 4p
L'ENT réunit le cahier de textes, l'emploi du temps, les notes, la vie
scolaire et la messagerie de l'établissement\~; il s'utilise sur
ordinateur, tablette ou téléphone.
.sp 6p
\l'17c'
.br
.ft HB
Compte de \\$7
.br
.ft CB
.ps 14
.vs 16p
Identifiant\~: \\$8
.br
Code d'activation\~: \\$9
.br
.ft H
.ps 8.5
.vs 10p
À ouvrir sur https://ent.trois-rivieres.example.org \[em] code valable
jusqu'au 1er octobre 2026
.br
\l'17c'
.br
.ps 9.5
.vs 11.5p
.sp 7p
.ft HB
Pour activer votre compte
.br
.ft H
.sp 1p
1. Ouvrez l'adresse https://ent.trois-rivieres.example.org dans un
navigateur.
.br
.sp 1p
2. Saisissez votre identifiant, puis votre code d'activation sans
l'espace du milieu, en respectant majuscules et minuscules. Ce code ne
sert qu'une fois.
.br
.sp 1p
3. Choisissez votre mot de passe personnel\~: au moins 8 caractères,
dont une lettre et un chiffre. Ne le communiquez à personne\~:
l'établissement ne vous le demandera jamais.
.sp 4p
Les élèves reçoivent leurs propres identifiants\~; ceux de ce courrier
sont réservés aux responsables.
.sp 7p
.ft HB
Courrier perdu, ou ouvert par une autre personne\~?
.br
.ft H
.sp 1p
Prévenez sans attendre le secrétariat du collège au 04 65 71 90 00\~:
un nouveau code vous sera remis et celui de ce courrier cessera de
fonctionner.
.sp 7p
Je vous prie d'agréer, Madame, Monsieur, l'expression de mes
salutations distinguées.
.sp 6p
.ad r
Le principal, Marc-Antoine Garnier
.br
.ad b
.sp |27.5c
\l'17c'
.br
.ft HB
.ps 8
.ce
Document personnel \[em] ne pas diffuser
.ft H
.ps 7.5
N°\~2026-\\$8
..
EOF
	awk -F'\t' '
	function val(n,   s, t) {
		t = "<attr name=\"" n "\"><value>"
		if ((s = index($0, t)) == 0)
			return ""
		s = substr($0, s + length(t))
		s = substr(s, 1, index(s, "<") - 1)
		gsub(/&apos;/, "\047", s)
		gsub(/&amp;/, "\\&", s)
		gsub(/"/, "", s)
		return s
	}
	# An invented code, in the alphabet of the real ones.
	function code(id,   a, c, i, h) {
		a = "abcdefghjkmnpqrstwxyzABCDEFGHJKLMNPQRSTWXYZ23456789"
		h = id + 0
		c = ""
		for (i = 0; i < 8; i++) {
			h = (h * 1103515245 + 12345) % 2147483648
			c = c substr(a, int(h / 65536) % 51 + 1, 1)
			if (i == 3)
				c = c " "
		}
		return c
	}
	FNR == NR { if (FNR > 1) login[$1] = $9; next }
	/<addRequest>/ {
		s = index($0, "<id>")
		id = substr($0, s + 4)
		id = substr(id, 1, index(id, "<") - 1)
		if (!(id in login) || val("ENTPersonCodePostal") == "")
			next
		n = split(val("ENTPersonAdresse"), al, "$")
		nl = 0
		delete l
		name = val("personalTitle") " " val("givenName") " " val("sn")
		l[++nl] = name
		for (i = 1; i <= n; i++)
			if (al[i] != "")
				l[++nl] = al[i]
		l[++nl] = val("ENTPersonCodePostal") " " toupper(val("ENTPersonVille"))
		c = val("ENTPersonPays")
		if (c != "" && c != "FRANCE")
			l[++nl] = c
		printf ".LETTER"
		for (i = 1; i <= 6; i++)
			printf " \"%s\"", i <= nl ? l[i] : ""
		printf " \"%s\" \"%s\" \"%s\"\n", val("givenName") " " val("sn"),
		    login[id], code(id)
	}' "$work/prep/parents.tsv" "$acad"/*_PersRelEleve_*.xml
	} >"$out"
	rm -rf "$work/prep"
}

{
	echo "| students | command | pages | s (median) | cpu s | pages/s |" \
	    "MB/s | peak RSS MiB | × groff | × floor |"
	echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$table"

rm -rf "$work/m"
mkdir "$work/m" || exit 99

# Set-up: the academies, their sizes and the groff scripts.
for n in $sizes; do
	acad=$work/academy-$n
	if [ ! -d "$acad" ]; then
		"$GEN" "$n" "$acad" >/dev/null || exit 99
	fi
	inbytes=$(cat "$acad"/*.xml | wc -c)
	awk -v b="$inbytes" 'BEGIN { print b / 1e6 }' >"$work/m/$n.inmb"
	echo "bench: $n students, $(cat "$work/m/$n.inmb") MB of AAF" >&2
	if [ $have_groff -eq 1 ]; then
		groff_script "$acad" "$work/merge-$n.tr"
		wc -c <"$work/merge-$n.tr" |
		    awk '{ print $1 / 1e6 }' >"$work/m/$n.trmb"
	fi
done

# The rounds: every command on every size once per round.
r=1
while [ $r -le "$runs" ]; do
	echo "bench: round $r of $runs" >&2
	for n in $sizes; do
		acad=$work/academy-$n
		once "$n-floor" "$XMLLINT" --stream --noout "$acad"/*.xml ||
		    exit 1
		if [ $have_groff -eq 1 ] &&
		    once "$n-groff" sh -c "\"$GROFF\" -Tps -Kutf8 -Wall \
		    \"$work/merge-$n.tr\" >out.ps" &&
		    [ ! -e "$work/m/$n-groff.pages" ]; then
			ps_pages "$work/run/out.ps" >"$work/m/$n-groff.pages"
		fi
		once "$n-check" "$ENTPRESS" check "$acad"
		for b in mail class staff; do
			for f in ps pdf; do
				once "$n-$b-$f" "$ENTPRESS" compile $fixed \
				    --batch $b --ledger l.db -o "run.$f" \
				    "$acad" || continue
				[ $f = ps ] &&
				    [ ! -e "$work/m/$n-$b.pages" ] &&
				    ps_pages "$work/run/run.ps" \
				    >"$work/m/$n-$b.pages"
			done
		done
	done
	r=$((r + 1))
done
rm -rf "$work/run"

# The table, in the order of the rounds.
for n in $sizes; do
	inmb=$(cat "$work/m/$n.inmb")
	floor=0
	groff_rate=0
	stats "$n-floor" || exit 1
	floor=$wall
	fwall=$wall
	fcpu=$cpu
	frss=$rss
	if [ $have_groff -eq 1 ] && stats "$n-groff"; then
		gpages=$(cat "$work/m/$n-groff.pages")
		groff_rate=$(awk -v p="$gpages" -v w="$wall" \
		    'BEGIN { print p / w }')
		inmb=$(cat "$work/m/$n.trmb")
		row "$n" "groff -Tps (mail merge)" "$gpages"
		inmb=$(cat "$work/m/$n.inmb")
	fi
	wall=$fwall
	cpu=$fcpu
	rss=$frss
	row "$n" "xmllint --stream (floor)" 0
	stats "$n-check" && row "$n" "check" 0
	for b in mail class staff; do
		pages=$(cat "$work/m/$n-$b.pages" 2>/dev/null || echo 0)
		for f in ps pdf; do
			stats "$n-$b-$f" &&
			    row "$n" "compile --batch $b $f" "$pages"
		done
	done
	rm -f "$work/merge-$n.tr"
	[ -n "${BENCH_DIR:-}" ] || rm -rf "$work/academy-$n"
done

cat "$table"
if [ "${BENCH_WRITE:-0}" = 1 ]; then
	{
		echo "# entpress benchmark"
		echo
		echo "Written by \`make bench BENCH_WRITE=1\` (tests/bench/bench.sh)" \
		    "on $(date -u +%Y-%m-%d)," \
		    "$(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' \
		    /proc/cpuinfo | head -n 1)), $runs runs per command" \
		    "in $runs rounds (each round runs every row once)," \
		    "median wall time; RSS is the largest of the runs."
		rev=$(cd "$top_srcdir" && git rev-parse --short HEAD 2>/dev/null)
		echo "$("$ENTPRESS" --version 2>/dev/null | head -n 1)${rev:+ ($rev)}," \
		    "$("$XMLLINT" --version 2>&1 | head -n 1)$( [ $have_groff -eq 1 ] &&
		    echo ", $("$GROFF" --version | head -n 1)")."
		echo "Load average when the benchmark started: ${load:-?}; on a" \
		    "shared machine wall times vary from run to run, the CPU" \
		    "column less."
		echo
		echo "Pages count blank versos (letters start on a recto)." \
		    "× groff: pages/s over groff's; × floor: seconds over" \
		    "xmllint's on the same files."
		echo
		cat "$table"
	} >"$top_srcdir/tests/bench/RESULTS.md"
	echo "bench: wrote $top_srcdir/tests/bench/RESULTS.md" >&2
fi
exit 0
