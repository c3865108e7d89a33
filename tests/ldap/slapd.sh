#!/bin/sh
# The real directory test: an LDIF written by export_ldif() is loaded
# into a private OpenLDAP slapd with the argon2 password module, and each
# account binds with the login and the code its letter would print; a
# wrong code must be refused (LDAP result 49, invalid credentials).
#
# The slapd is our own: its configuration, database, pid file and socket
# all live in a temporary directory, it listens only on that unix socket
# (ldapi://), never on a port, and it runs as the invoking user.  So a
# system slapd that the Debian package may have started is neither used
# nor disturbed.  slapd is stopped and the directory removed however the
# script ends.  Exit 77 (skip) when slapd, the LDAP tools or the argon2
# module are missing: tools/install-deps.sh installs them, so CI never
# skips.  Exit 99 for a harness failure.
set -u
: "${top_builddir:=.}"
SAMPLE=$top_builddir/tests/ldap/ldif-sample
SUFFIX=dc=ent,dc=invalid
BASE=ou=people,$SUFFIX
ADMIN=cn=admin,$SUFFIX
PATH=$PATH:/usr/sbin:/usr/local/sbin
export PATH

skip() {
	echo "slapd.sh: $*, skipping (sh tools/install-deps.sh installs it)"
	exit 77
}

for t in slapd ldapadd ldapwhoami; do
	command -v "$t" >/dev/null 2>&1 || skip "no $t"
done
# Debian keeps the modules in /usr/lib/ldap, others elsewhere.
moddir=
for d in /usr/lib/ldap /usr/lib/x86_64-linux-gnu/ldap /usr/lib64/openldap \
    /usr/lib/openldap /usr/libexec/openldap; do
	if [ -e "$d/argon2.so" ]; then
		moddir=$d
		break
	fi
done
[ -n "$moddir" ] || skip "no argon2.so password module"
schema=
for d in /etc/ldap/schema /etc/openldap/schema; do
	[ -e "$d/inetorgperson.schema" ] && schema=$d && break
done
[ -n "$schema" ] || skip "no OpenLDAP schema directory"
[ -x "$SAMPLE" ] || { echo "slapd.sh: $SAMPLE not built" >&2; exit 99; }

umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/entpress-ldap.XXXXXX") || exit 99
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 99' HUP INT TERM

# ldapi:// takes the socket path URL-encoded.
urlencode() {
	s=$1
	out=
	while [ -n "$s" ]; do
		c=${s%"${s#?}"}
		s=${s#?}
		case $c in
		[A-Za-z0-9._~-]) out=$out$c ;;
		*) out=$out$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}
URL=ldapi://$(urlencode "$work/ldapi")

mkdir "$work/db" || exit 99
adminpw=entpress-test-admin
{
	printf 'include %s/%s.schema\n' "$schema" core "$schema" cosine \
	    "$schema" inetorgperson
	printf 'modulepath %s\n' "$moddir"
	# back_mdb is a module in Debian, built in elsewhere.
	[ -e "$moddir/back_mdb.so" ] && echo 'moduleload back_mdb'
	echo 'moduleload argon2'
	printf 'pidfile %s/slapd.pid\nargsfile %s/slapd.args\n' "$work" "$work"
	echo 'access to attrs=userPassword by anonymous auth by * none'
	echo 'access to * by * read'
	echo 'database mdb'
	echo 'maxsize 16777216'
	printf 'suffix "%s"\nrootdn "%s"\nrootpw %s\n' "$SUFFIX" "$ADMIN" \
	    "$adminpw"
	printf 'directory %s/db\n' "$work"
} >"$work/slapd.conf"

# -d keeps slapd in the foreground, so $! is its pid; 0 logs nothing.
slapd -d 0 -f "$work/slapd.conf" -h "$URL" >"$work/slapd.log" 2>&1 &
pid=$!
i=0
until ldapwhoami -x -H "$URL" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "slapd.sh: slapd did not start:" >&2
		cat "$work/slapd.conf" "$work/slapd.log" >&2
		exit 1
	fi
	sleep 0.1
done

cat >"$work/base.ldif" <<EOF
dn: $SUFFIX
objectClass: dcObject
objectClass: organization
dc: ent
o: entpress test

dn: $BASE
objectClass: organizationalUnit
ou: people
EOF
printf '%s' "$adminpw" >"$work/admin.pw"
ldapadd -x -H "$URL" -D "$ADMIN" -y "$work/admin.pw" -f "$work/base.ldif" \
    >"$work/add.log" 2>&1 || { cat "$work/add.log" >&2; exit 99; }

"$SAMPLE" "$work/sample.ldif" "$BASE" >"$work/accounts" ||
    { echo "slapd.sh: ldif-sample failed" >&2; exit 1; }
if ! ldapadd -x -H "$URL" -D "$ADMIN" -y "$work/admin.pw" \
    -f "$work/sample.ldif" >"$work/add.log" 2>&1; then
	echo "slapd.sh: slapd refused the LDIF:" >&2
	cat "$work/add.log" "$work/sample.ldif" >&2
	exit 1
fi

pass=0
fail=0
while read -r login code; do
	dn=uid=$login,$BASE
	printf '%s' "$code" >"$work/pw"
	out=$(ldapwhoami -x -H "$URL" -D "$dn" -y "$work/pw" 2>&1)
	if [ "$out" = "dn:$dn" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: bind as $login with its code: $out" >&2
		fail=$((fail + 1))
	fi
	# The same code with its last character changed.
	case $code in
	*a) bad=${code%?}b ;;
	*) bad=${code%?}a ;;
	esac
	printf '%s' "$bad" >"$work/pw"
	ldapwhoami -x -H "$URL" -D "$dn" -y "$work/pw" >/dev/null 2>&1
	rc=$?
	if [ $rc -eq 49 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: bind as $login with a wrong code: exit $rc" >&2
		fail=$((fail + 1))
	fi
done <"$work/accounts"
[ $pass -eq 6 ] || fail=$((fail + 1))

# The whole chain as a school runs it: entpress compile writes the
# letters and the LDIF; the login and code are read back from the
# printed letter (Ghostscript's text of the PostScript), not from a file
# of ours, and must open the directory.
: "${top_srcdir:=.}"
: "${ENTPRESS:=$top_builddir/compiler/entpress}"
: "${GS:=gs}"
if command -v "$GS" >/dev/null 2>&1; then
	(cd "$top_srcdir" && env -i PATH="$PATH" LC_ALL=C "$ENTPRESS" compile \
	    --test-mode --seed 5 --date 2026-09-01 --ledger "$work/e.db" \
	    --class 6B --profile student --ldif "$work/run.ldif" \
	    --ldif-base "$BASE" --ldif-ops 1 --ldif-mem 65536 \
	    -o "$work/run.ps" fixtures/demo) >/dev/null 2>&1
	if ! ldapadd -x -H "$URL" -D "$ADMIN" -y "$work/admin.pw" \
	    -f "$work/run.ldif" >"$work/add.log" 2>&1; then
		echo "FAIL: slapd refused entpress's LDIF:" >&2
		cat "$work/add.log" >&2
		fail=$((fail + 1))
	fi
	"$GS" -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=txtwrite \
	    -sOutputFile="$work/run.txt" "$work/run.ps"
	login=$(sed -n 's/.*Identifiant : \([a-z0-9.]*\).*/\1/p' \
	    "$work/run.txt" | head -n 1)
	code=$(sed -n "s/.*Code d'activation : \([A-Za-z0-9]\{4\}\) \([A-Za-z0-9]\{4\}\).*/\1\2/p" \
	    "$work/run.txt" | head -n 1)
	printf '%s' "$code" >"$work/pw"
	dn=uid=$login,$BASE
	out=$(ldapwhoami -x -H "$URL" -D "$dn" -y "$work/pw" 2>&1)
	if [ -n "$login" ] && [ "$out" = "dn:$dn" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: bind with the printed login and code: $out" >&2
		fail=$((fail + 1))
	fi
fi

echo "slapd: $pass passed, $fail failed"
[ $fail -eq 0 ]
