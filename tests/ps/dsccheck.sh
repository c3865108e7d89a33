#!/bin/sh
# dsccheck: check the DSC 3.0 structure of a PostScript file, as a print
# shop's spooler relies on it.  Ghostscript ignores DSC comments, so a
# file can print on gs and still be split, reordered or counted wrongly
# by a spooler; this catches that.
#
#	dsccheck.sh FILE.ps
#
# Checks: the first line is %!PS-Adobe-3.0; the header comments are
# contiguous and end with %%EndComments; the whole file is Clean7Bit
# (printable ASCII, tab, CR, LF) with no line over 255 bytes; prolog,
# setup, page setup, feature and resource sections are paired and in
# order; %%Page: has a label and an ordinal, the ordinals run 1..N, and
# each page ends with %%PageTrailer before the next; %%Pages: in the
# header is N, or (atend) resolved to N in the trailer; every font named
# by %%IncludeResource is in %%DocumentNeededResources; %%EOF is the last
# line.  Prints every problem as "dsccheck: FILE:LINE: message" and exits
# 1 if there was one, 2 on a usage error.
set -u
if [ $# -ne 1 ] || [ ! -r "$1" ]; then
	echo "usage: dsccheck.sh FILE.ps (readable)" >&2
	exit 2
fi
LC_ALL=C awk -v file="$1" '
function bad(msg) {
	printf "dsccheck: %s:%d: %s\n", file, NR, msg
	nbad++
}
# Sections that must not nest: open_at[name] is the line that opened it.
function open_sec(s) {
	if (s in open_at)
		bad("nested " s)
	open_at[s] = NR
}
function close_sec(s) {
	if (!(s in open_at))
		bad("End" s " without Begin" s)
	delete open_at[s]
}
BEGIN {
	inheader = 1; npages = 0; lastline = ""; sawendcomments = 0
	prolog = 0; setup = 0; trailer = 0; inpage = 0; pageclosed = 1
}
{
	sub(/\r$/, "")
	line = $0
	lastline = line
	if (length(line) > 255)
		bad("line of " length(line) " bytes, over 255")
	if (line ~ /[^\t -~]/)
		bad("byte outside Clean7Bit")
}
NR == 1 {
	if (line !~ /^%!PS-Adobe-3\.0( |$)/)
		bad("first line is not %!PS-Adobe-3.0")
	next
}
inheader {
	if (line == "%%EndComments") {
		inheader = 0
		sawendcomments = 1
		next
	}
	if (line !~ /^%%/ && line !~ /^%!/) {
		bad("header ends without %%EndComments")
		inheader = 0
	} else {
		if (line ~ /^%%Pages:/) {
			hdrpages = line
			sub(/^%%Pages:[ \t]*/, "", hdrpages)
		}
		if (line ~ /^%%DocumentNeededResources:/)
			inres = 1
		else if (line !~ /^%%\+/)
			inres = 0
		if (inres) {
			s = line
			sub(/^%%(DocumentNeededResources:|\+)[ \t]*/, "", s)
			n = split(s, f, /[ \t]+/)
			for (i = 1; i < n; i++)
				if (f[i] == "font")
					needed[f[i + 1]] = 1
		}
		next
	}
}
/^%%BeginProlog/ {
	if (prolog++) bad("second %%BeginProlog")
	if (npages) bad("%%BeginProlog after the first page")
	open_sec("Prolog")
}
/^%%EndProlog/ { close_sec("Prolog") }
/^%%BeginSetup/ {
	if (setup++) bad("second %%BeginSetup")
	if (npages) bad("%%BeginSetup after the first page")
	open_sec("Setup")
}
/^%%EndSetup/ { close_sec("Setup") }
/^%%BeginFeature:/ { open_sec("Feature") }
/^%%EndFeature/ { close_sec("Feature") }
/^%%BeginResource:/ { open_sec("Resource") }
/^%%EndResource/ { close_sec("Resource") }
/^%%BeginPageSetup/ {
	if (!inpage) bad("%%BeginPageSetup outside a page")
	open_sec("PageSetup")
}
/^%%EndPageSetup/ { close_sec("PageSetup") }
/^%%IncludeResource:/ {
	n = split(line, f, /[ \t]+/)
	if (f[2] == "font" && !(f[3] in needed))
		bad("font " f[3] " not in %%DocumentNeededResources")
}
/^%%Page:/ {
	for (s in open_at)
		bad("%%Page: inside " s " opened at line " open_at[s])
	if (!pageclosed)
		bad("page " npages " has no %%PageTrailer")
	if (trailer)
		bad("%%Page: after %%Trailer")
	npages++
	n = split(line, f, /[ \t]+/)
	if (n != 3)
		bad("%%Page: needs a label and an ordinal: " line)
	else if (f[3] != npages)
		bad("page ordinal " f[3] ", expected " npages)
	inpage = 1; pageclosed = 0
}
/^%%PageTrailer/ {
	if (!inpage) bad("%%PageTrailer outside a page")
	pageclosed = 1
}
/^%%Trailer/ {
	if (trailer++) bad("second %%Trailer")
	if (npages && !pageclosed)
		bad("page " npages " has no %%PageTrailer")
	for (s in open_at)
		bad("%%Trailer inside " s " opened at line " open_at[s])
	inpage = 0
}
/^%%Pages:/ && trailer {
	s = line
	sub(/^%%Pages:[ \t]*/, "", s)
	trlpages = s
}
END {
	if (!sawendcomments)
		bad("no %%EndComments")
	if (!prolog) bad("no %%BeginProlog")
	if (!setup) bad("no %%BeginSetup")
	if (!trailer) bad("no %%Trailer")
	for (s in open_at)
		bad("Begin" s " at line " open_at[s] " never ended")
	if (hdrpages == "")
		bad("no %%Pages: in the header")
	else if (hdrpages == "(atend)") {
		if (trlpages == "")
			bad("%%Pages: (atend) not resolved in the trailer")
		else if (trlpages != npages)
			bad("%%Pages: " trlpages " in the trailer, " \
			    npages " %%Page: comments")
	} else if (hdrpages != npages)
		bad("%%Pages: " hdrpages ", " npages " %%Page: comments")
	if (lastline != "%%EOF")
		bad("last line is not %%EOF")
	exit (nbad > 0 ? 1 : 0)
}
' "$1"
