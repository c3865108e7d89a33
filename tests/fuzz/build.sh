#!/bin/sh
# Build the libFuzzer harnesses with clang, beside an ordinary (gcc)
# build: `make fuzz-smoke' calls this when configure was not run with
# --enable-fuzzing, so that the fuzzers need no second configured tree
# (an in-tree build cannot host a VPATH one).  The library is compiled
# again from the same sources, with the same config.h, instrumented for
# coverage and checked by ASan and UBSan; objects go to $out/obj.
#
# Usage: build.sh OUTDIR SOURCE.c...   (library sources, from the Makefile,
# relative to the build or the source tree)
# Environment: srcdir, builddir, FUZZ_CC (clang), FUZZ_CFLAGS (the
# libraries' pkg-config cflags), FUZZ_LIBS, and the directories the
# Makefile passes to every compile: URWDIR, LAYOUTDIR, SRCLAYOUTDIR.
# Everything is rebuilt when a source, header or config.h is newer than
# the harnesses: the library is small, and header dependencies are then
# never wrong.
set -eu
out=$1
shift
: "${srcdir:=.}" "${builddir:=.}" "${FUZZ_CC:=clang}"
: "${FUZZ_CFLAGS:=}" "${FUZZ_LIBS:=}" "${FUZZ_JOBS:=2}"
: "${URWDIR:=/usr/share/fonts/type1/urw-base35}"
: "${LAYOUTDIR:=/usr/local/share/entpress/layouts}"
: "${SRCLAYOUTDIR:=$srcdir/layouts}"
command -v "$FUZZ_CC" >/dev/null 2>&1 || {
	echo "fuzz: $FUZZ_CC not found: apt-get install clang libclang-rt-14-dev" >&2
	exit 77
}
flags="-std=c11 -g -O1 -fno-omit-frame-pointer \
-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
fuzzers="aaf-fuzzer layout-fuzzer csv-fuzzer"

stale=0
for f in $fuzzers; do
	[ -x "$out/$f" ] || stale=1
done
if [ $stale = 0 ]; then
	newer=$(find "$srcdir/compiler" "$srcdir/tests/fuzz" \
	    "$builddir/config.h" -name '*.[ch]' -newer "$out/aaf-fuzzer" \
	    -o -name config.h -newer "$out/aaf-fuzzer" | head -1)
	[ -n "$newer" ] || exit 0
fi

rm -rf "$out/obj"
mkdir -p "$out/obj"
cc() {
	# shellcheck disable=SC2086
	$FUZZ_CC $flags -I"$builddir" -I"$srcdir/compiler" \
	    "-DURWDIR=\"$URWDIR\"" "-DLAYOUTDIR=\"$LAYOUTDIR\"" \
	    "-DSRCLAYOUTDIR=\"$SRCLAYOUTDIR\"" $FUZZ_CFLAGS -c "$1" \
	    -o "$out/obj/$(basename "$1" .c).o"
}
# One compiler per source, FUZZ_JOBS at a time.
for s in "$@" "$srcdir/tests/fuzz/fuzz.c" "$srcdir/tests/fuzz/aaf-fuzzer.c" \
    "$srcdir/tests/fuzz/layout-fuzzer.c" "$srcdir/tests/fuzz/csv-fuzzer.c"; do
	# Generated sources (text_afm.c) are in the build tree.
	case $s in
	/*) ;;
	*) if [ -f "$builddir/$s" ]; then s=$builddir/$s; else s=$srcdir/$s; fi ;;
	esac
	echo "$s"
done | {
	n=0
	while read -r s; do
		echo "  FUZZCC   $(basename "$s")"
		cc "$s" &
		n=$((n + 1))
		if [ $n -ge "$FUZZ_JOBS" ]; then
			wait
			n=0
		fi
	done
	wait
}
lib=
for s in "$@"; do
	lib="$lib $out/obj/$(basename "$s" .c).o"
done
for s in "$@" fuzz.c $fuzzers; do
	o=$out/obj/$(basename "$s" .c).o
	[ -f "$o" ] || { echo "fuzz: $o was not built" >&2; exit 1; }
done
for f in $fuzzers; do
	echo "  FUZZLD   $f"
	# shellcheck disable=SC2086
	$FUZZ_CC $flags -fsanitize=fuzzer -o "$out/$f" "$out/obj/$f.o" \
	    "$out/obj/fuzz.o" $lib $FUZZ_LIBS
done
