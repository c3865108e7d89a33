#!/bin/sh
# Regenerate the build system.  AM_ICONV (gettext's iconv.m4) needs the
# config.rpath helper, which only gettext's data directory provides and
# autoreconf does not copy by itself.
set -e
cd "$(dirname "$0")"
mkdir -p build-aux m4
for d in /usr/share/gettext /usr/local/share/gettext; do
	if [ -f "$d/config.rpath" ]; then
		cp "$d/config.rpath" build-aux/config.rpath
		break
	fi
done
if [ ! -f build-aux/config.rpath ]; then
	echo "autogen.sh: config.rpath not found: install gettext" >&2
	exit 1
fi
autoreconf -fi
