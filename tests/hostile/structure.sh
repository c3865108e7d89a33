#!/bin/sh
# Exports that attack the reader: each gets a clear diagnostic with its
# FILE:LINE and the person's id, never a crash, and never a letter with
# a wrong or missing code.
#
# Generated here (lib.sh), one export per case, each with good records
# before and after the bad one so that what is kept can be checked:
#
#   control characters  &#1; and &#0; (XML 1.0 forbids them; the first
#			also under version="1.1"), a raw 0x01 byte, a NUL
#			after the document, &#xFFFE;
#   invalid UTF-8	0xC3 0x28, an encoded surrogate (ED A0 80); in
#			ISO-8859-1 every byte decodes: C1 controls 0x85 0x96
#			0x9F are then dropped from the print with a warning
#   odd characters	U+202E (right-to-left override), U+200B, U+FEFF,
#			U+1F600, a combining accent: shown as ? or folded,
#			with a warning naming the person
#   limits		100,000 values in one attribute, 100,000 attributes
#			in one record: the record is rejected, saying which
#			limit; the other records are read
#   500 relatives	one student linked to 500 guardians at one address
#   id collisions	one id in Eleve, PersRelEleve, PersEducNat and
#			EtabEducNat: distinct accounts; twice in Eleve: the
#			later one wins, with a warning
#   dangling links	a relative, a student (1D side), a school that the
#			export does not hold; a malformed relative link
#   Delta		deleting and modifying ids no file added, deleting a
#			student the Complet added (no letter for them)
#
# Every compile also writes a PDF and a CSV: check_codes holds both
# print runs to the CSV, account by account.  In an ASan build a
# sanitizer report fails the case (sane).
set -u
. "${top_srcdir:-.}/tests/hostile/lib.sh"
command -v "$GS" >/dev/null 2>&1 || exit 77
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-structure.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fail=0

# export NAME ID LAST FIRST [ENCODING]: a school, a good student before
# and after, and student ID named LAST FIRST; the path is in $x.
export_one() {
	x=$work/$1_Complet_20260901_Eleve_0000.xml
	aaf_begin "$x" "${5:-UTF-8}"
	etab E1 0699990Z 'CLG$TEST' '4B$4EME B'
	person add Eleve OK1 sn BEFORE givenName Premier \
	    ENTPersonStructRattach E1 ENTEleveClasses 'E1$4B'
	person add Eleve "$2" sn "$3" givenName "$4" \
	    ENTPersonStructRattach E1 ENTEleveClasses 'E1$4B'
	person add Eleve OK2 sn AFTER givenName Dernier \
	    ENTPersonStructRattach E1 ENTEleveClasses 'E1$4B'
	aaf_end
}

# run NAME RC... -- PATTERN...: compile $x (and any more files in
# $more); the exit status must be one of RC, every PATTERN (grep -E)
# must be in the diagnostics, the output sane and the codes right.
# Sets $ids to the ids that got a letter.
run() {
	name=$1
	shift
	rcs=
	while [ "$1" != -- ]; do rcs="$rcs $1"; shift; done
	shift
	ok=ok
	rm -f "$work/db" "$work/db.key" "$work/run.csv"
	# shellcheck disable=SC2086
	ep compile --test-mode --seed 71 --date 2026-09-01 --relatives all \
	    --ledger "$work/db" -o "$work/run.ps" -o "$work/run.pdf" \
	    --csv "$work/run.csv" "$x" ${more:-} >/dev/null 2>"$work/err"
	rc=$?
	case " $rcs " in *" $rc "*) ;; *) echo "  exit $rc, expected$rcs"; ok=no ;; esac
	sane "$work/err" || ok=no
	for p in "$@"; do
		grep -Eq -- "$p" "$work/err" ||
		    { echo "  no diagnostic like: $p"; ok=no; }
	done
	ids=
	if [ -s "$work/run.csv" ]; then
		ids=$(sed '1d; s/\r$//' "$work/run.csv" | cut -d';' -f1 |
		    sort | tr '\n' ' ')
		check_codes "$work/run.ps" "$work/run.csv" || ok=no
		check_codes "$work/run.pdf" "$work/run.csv" || ok=no
	fi
	if [ $ok != ok ]; then
		grep -v 'test mode' "$work/err" | head -n 8 | cut -c1-200 |
		    sed "s|$work/||; s/^/    /"
	fi
}
# has IDS...: these ids got a letter.
has() {
	for i in "$@"; do
		case " $ids " in *" $i "*) ;; *) echo "  no letter for $i"; ok=no ;; esac
	done
}
hasnot() {
	for i in "$@"; do
		case " $ids " in *" $i "*) echo "  a letter for $i"; ok=no ;; esac
	done
}
done_case() {
	if [ $ok = ok ]; then echo "PASS: $1"; else echo "FAIL: $1"; fail=1; fi
}
F='[^:]*_Complet_20260901_Eleve_0000\.xml'

# --- control characters and encodings -----------------------------------
export_one ctl1 C1 'CTRL&#1;X' Y
run ctl1 2 -- "$F:5:[0-9]+: ERROR: .*invalid xmlChar value 1\$"
has OK1; hasnot C1
done_case "&#1; in a name: error at FILE:LINE:COL, the records before it kept"

sed 's/version="1.0"/version="1.1"/' "$x" >"$work/v11.xml"
mv "$work/v11.xml" "$x"
run ctl1b 2 -- "$F:5:[0-9]+: ERROR: .*invalid xmlChar value 1\$"
hasnot C1
done_case "&#1; under version=\"1.1\": the same error"

export_one ctl0 C2 'NUL&#0;X' Y
run ctl0 2 -- "$F:5:[0-9]+: ERROR: .*invalid xmlChar value 0\$"
has OK1; hasnot C2
done_case "&#0; in a name: error at FILE:LINE:COL"

export_one raw1 C3 "RAW$(printf '\001')X" Y
run raw1 2 -- "$F:5:[0-9]+: ERROR: .*invalid Char value 1\$"
has OK1; hasnot C3
done_case "a raw 0x01 byte: error at FILE:LINE:COL"

# libxml2 stops at the fatal error before the reader has handed over
# what it parsed just before it: the last record (OK2) is lost with the
# rest and counted as skipped, not read.
export_one rawnul C9 'TRAILING' Y
printf '\000' >>"$x"
run rawnul 2 -- "$F:8:[0-9]+: ERROR: malformed XML, rest of the file skipped"
has OK1 C9
done_case "a NUL byte after the document: error at FILE:LINE:COL"

export_one nonchar C8 'NONCHAR&#xFFFE;' Y
run nonchar 2 -- "$F:5:[0-9]+: ERROR: .*invalid xmlChar value 65534\$"
hasnot C8
done_case "&#xFFFE;: error at FILE:LINE:COL"

export_one badutf8 C4 "BAD$(printf '\303\050')X" Y
run badutf8 2 -- "$F:5:[0-9]+: ERROR: unsupported or wrong character encoding.*0xC3 0x28"
has OK1; hasnot C4
done_case "invalid UTF-8 (0xC3 0x28): error at FILE:LINE:COL with the bytes"

export_one surrogate C5 "SUR$(printf '\355\240\200')X" Y
run surrogate 2 -- "$F:5:[0-9]+: ERROR: .*0xD800"
hasnot C5
done_case "an encoded surrogate (ED A0 80): error at FILE:LINE:COL"

export_one c1 C6 "C1$(printf '\205\226\237')X" "$(printf 'L\351a')" ISO-8859-1
run c1 1 -- "WARNING: character cannot be printed.*person C6: U\\+0085" \
    "person C6: U\\+0096" "person C6: U\\+009F"
has OK1 C6 OK2
done_case "C1 controls of ISO-8859-1: dropped from the print, a warning each, naming the person"

export_one odd C7 'BIDI&#x202E;EVIL&#x200B;X&#xFEFF;&#x1F600;' 'Zoë&#x301;'
run odd 1 -- "person C7: U\\+202E .* as \\?" "person C7: U\\+1F600 .* as \\?" \
    "WARNING: character not in the fonts, transliterated: person C7: U\\+0301"
has OK1 C7 OK2
done_case "right-to-left override, zero widths, emoji, combining accent: ? or folded, with a warning naming the person"

# --- limits -----------------------------------------------------------------
x=$work/BIG_Complet_20260901_Eleve_0000.xml
aaf_begin "$x"
etab E1 0699990Z 'CLG$TEST' '4B$4EME B'
person add Eleve OK1 sn BEFORE givenName Premier ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$4B'
{
	printf '<addRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes><identifier><id>V1</id></identifier><attributes><attr name="sn"><value>MANY</value></attr><attr name="ENTEleveClasses">'
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<value>E1$C%d</value>", i }'
	printf '</attr></attributes></addRequest>\n'
	printf '<addRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes><identifier><id>V2</id></identifier><attributes>'
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<attr name=\"givenName\"><value>A</value></attr>" }'
	printf '</attributes></addRequest>\n'
} >>"$aaf_file"
person add Eleve OK2 sn AFTER givenName Dernier ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$4B'
aaf_end
run limits 2 -- \
    "BIG$F:5:0: ERROR: malformed record, skipped: V1: more than 10000 values in one attribute" \
    "BIG$F:6:0: ERROR: malformed record, skipped: V2: more than 256 of the attributes entpress reads"
has OK1 OK2; hasnot V1 V2
done_case "100,000 values in an attribute, 100,000 attributes in a record: rejected, saying which limit, the rest read"

# --- 500 relatives ------------------------------------------------------------
x=$work/REL_Complet_20260901_Eleve_0000.xml
aaf_begin "$x"
etab E1 0699990Z 'CLG$TEST' '4B$4EME B'
set --
i=1
while [ $i -le 500 ]; do
	set -- "$@" ENTElevePersRelEleve "P$i\$10\$1\$1\$1\$0"
	i=$((i + 1))
done
person add Eleve S1 sn NOMBREUX givenName Enfant ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$4B' "$@"
i=1
while [ $i -le 500 ]; do
	person add PersRelEleve "P$i" sn "PARENT$i" givenName Tuteur \
	    ENTPersonAdresse '1 RUE DES LILAS' ENTPersonCodePostal 69100 \
	    ENTPersonVille VILLEURBANNE
	i=$((i + 1))
done
aaf_end
run relatives 1 -- "REL$F:5:0: WARNING: address does not fit the envelope window.*parents P1, P2"
n=$(sed '1d' "$work/run.csv" | grep -c .)
[ "$n" = 501 ] || { echo "  $n accounts, expected 501"; ok=no; }
done_case "a student linked to 500 relatives: 501 letters' accounts, each printed with its code"

# --- id collisions ----------------------------------------------------------
x=$work/ID_Complet_20260901_Eleve_0000.xml
aaf_begin "$x"
etab 1000 0699990Z 'CLG$TEST' '4B$4EME B'
person add Eleve 1000 sn ELEVE givenName Un ENTPersonStructRattach 1000 \
    ENTEleveClasses '1000$4B' ENTElevePersRelEleve '1000$10$1$1$1$0'
person add PersRelEleve 1000 sn PARENT givenName Un \
    ENTPersonAdresse '1 RUE A' ENTPersonCodePostal 69100 ENTPersonVille LYON
person add PersEducNat 1000 sn PROF givenName Un \
    PersEducNatPresenceDevantEleves O ENTPersonStructRattach 1000 \
    ENTAuxEnsClasses '1000$4B'
person add Eleve 2000 sn PREMIER givenName Deux ENTPersonStructRattach 1000 \
    ENTEleveClasses '1000$4B'
person add Eleve 2000 sn SECOND givenName Deux ENTPersonStructRattach 1000 \
    ENTEleveClasses '1000$4B'
aaf_end
run ids 1 -- "ID$F:8:0: WARNING: duplicate record id, the later one wins: Eleve 2000"
logins=$(sed '1d; s/\r$//' "$work/run.csv" | cut -d';' -f6 | sort | tr '\n' ' ')
[ "$logins" = "deux.second un.eleve un.parent un.prof " ] ||
    { echo "  logins: $logins"; ok=no; }
done_case "one id in four categories: four accounts apart; twice in one: the later wins, with a warning"

# --- dangling links ---------------------------------------------------------
x=$work/DANGLE_Complet_20260901_Eleve_0000.xml
aaf_begin "$x"
etab E1 0699990Z 'CLG$TEST' '4B$4EME B'
person add Eleve S1 sn LIEN givenName Perdu ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$4B' ENTElevePersRelEleve 'P404$10$1$1$1$0' \
    ENTElevePersRelEleve 'pas$un$lien' ENTElevePersRelEleve 'P1$10$1$1$1$0'
person add Eleve S2 sn AILLEURS givenName Classe ENTPersonStructRattach E9 \
    ENTEleveClasses 'E9$6A'
person add PersRelEleve P1 sn PARENT givenName Reel \
    ENTPersRelEleveEleve S404
aaf_end
run dangling 1 -- \
    "DANGLE$F:4:0: WARNING: relative link to a person who is not in the export, dropping it: student S1, relative P404" \
    "DANGLE$F:4:0: WARNING: malformed relative link, dropping it: student S1: pas\\\$un\\\$lien" \
    "DANGLE$F:6:0: WARNING: relative link to a person who is not in the export, dropping it: relative P1, student S404" \
    "DANGLE$F:5:0: WARNING: school not in the export, using its jointure as name: E9"
has S1 S2 P1
done_case "dangling relative, student and school, a malformed link: warnings naming both ends, letters still right"

# --- Delta --------------------------------------------------------------------
x=$work/DELTA_Complet_20260901_Eleve_0000.xml
aaf_begin "$x"
etab E1 0699990Z 'CLG$TEST' '4B$4EME B'
person add Eleve S1 sn RESTE givenName Un ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$4B'
person add Eleve S2 sn PARTI givenName Deux ENTPersonStructRattach E1 \
    ENTEleveClasses 'E1$4B'
aaf_end
more=$work/DELTA_Delta_20261002_Eleve_0000.xml
aaf_begin "$more"
person delete Eleve S404
person delete Eleve S2
person modify Eleve S405 sn NOUVEAU givenName Trois ENTEleveClasses 'E1$4B'
aaf_end
run delta 1 -- \
    "DELTA_Delta_20261002_Eleve_0000.xml:3:0: WARNING: deletion of an unknown id, ignored: Eleve S404" \
    "DELTA_Delta_20261002_Eleve_0000.xml:5:0: WARNING: modification of an unknown id, treated as an addition: Eleve S405"
has S1 S405; hasnot S2 S404
done_case "a Delta deleting and modifying unknown ids: warnings with FILE:LINE and id; a deleted student gets no letter"
more=
exit $fail
