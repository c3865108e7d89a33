#!/bin/sh
# Install what entpress needs to build and test on Debian 12 (bookworm):
# compilers and autotools, the libraries it links, and the tools the tests
# use (Ghostscript, qpdf, poppler, xmllint, the URW fonts; slapd, whose
# package carries the argon2 module, and ldap-utils for tests/ldap; the
# sqlite3 shell, with which tests/print/reissue.sh looks into the ledger;
# clang and its runtime for the libFuzzer harnesses (make fuzz-smoke), gdb
# for the memory checks of tests/secrets; groff-base, the reference make
# bench measures entpress against; valgrind for make check-valgrind).
# Runs apt-get as root, or through sudo when started by another user.
set -e
if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	echo "install-deps: run as root or install sudo" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
	build-essential autoconf automake gettext pkg-config \
	libxml2-dev libsodium-dev libsqlite3-dev libarchive-dev zlib1g-dev \
	libdeflate-dev \
	libjansson-dev \
	check libarchive-tools \
	ghostscript fonts-urw-base35 qpdf poppler-utils libxml2-utils \
	slapd ldap-utils sqlite3 \
	clang libclang-rt-14-dev gdb \
	groff-base valgrind \
	>/dev/null
echo "install-deps: done"
