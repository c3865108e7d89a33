#!/usr/bin/env python3
#
# text_vec.py: regenerate compiler/text_vec.c, the glyph vectors of the
# text stage.  Run by hand, never by the build:
#
#	python3 tools/text_vec.py >compiler/text_vec.c
#
# Inputs: the glyph names of the URW base-35 AFM files (fonts-urw-base35),
# Ghostscript's copy of the Adobe Glyph List 2.0 (gs_agl.ps) to give each
# name its code point, Python's unicodedata for decompositions, and the
# WinAnsi vector of Ghostscript's gs_wan_e.ps, spelled out below.  The
# output is committed: the slot of a glyph is part of the design, and it
# must not move when a font package or Python changes.

import glob
import os
import re
import sys
import unicodedata

URW = os.environ.get("URWDIR", "/usr/share/fonts/type1/urw-base35")
AGL = os.environ.get("AGL") or sorted(glob.glob(
    "/usr/share/ghostscript/*/Resource/Init/gs_agl.ps"))[-1]

# The 14 faces of enum pg_font (page.h), as Ghostscript's Fontmap.GS maps them.
FACES = ["NimbusSans-Regular", "NimbusSans-Bold", "NimbusSans-Italic",
         "NimbusSans-BoldItalic", "NimbusSansNarrow-Regular",
         "NimbusSansNarrow-Bold", "NimbusRoman-Regular", "NimbusRoman-Bold",
         "NimbusRoman-Italic", "NimbusRoman-BoldItalic",
         "NimbusMonoPS-Regular", "NimbusMonoPS-Bold", "NimbusMonoPS-Italic",
         "NimbusMonoPS-BoldItalic"]


def afm_names(face):
    names = set()
    for line in open(os.path.join(URW, face + ".afm"), encoding="latin-1"):
        m = re.match(r"C -?\d+ ; WX -?\d+ ; N (\S+) ;", line)
        if m:
            names.add(m.group(1))
    return names


def agl():
    tab = {}
    for line in open(AGL, encoding="latin-1"):
        m = re.match(r"/(\S+) 16#([0-9A-F]+)$", line.strip())
        if m and m.group(1) not in tab:
            tab[m.group(1)] = int(m.group(2), 16)
    return tab


def ucs(name, tab):
    if name in tab:
        return tab[name]
    m = re.match(r"uni([0-9A-F]{4})$", name)
    if m:
        return int(m.group(1), 16)
    return None


# Vector 0: Ghostscript's WinAnsiEncoding (gs_wan_e.ps): StandardEncoding
# for 32..126 with quotesingle, hyphen and grave patched in, bullet on the
# unused codes, cp1252's 0x80 block, then ISOLatin1Encoding's upper half.
STD_LOW = ("space exclam quotedbl numbersign dollar percent ampersand "
           "quotesingle parenleft parenright asterisk plus comma hyphen "
           "period slash zero one two three four five six seven eight nine "
           "colon semicolon less equal greater question at A B C D E F G H "
           "I J K L M N O P Q R S T U V W X Y Z bracketleft backslash "
           "bracketright asciicircum underscore grave a b c d e f g h i j k "
           "l m n o p q r s t u v w x y z braceleft bar braceright "
           "asciitilde bullet").split()
WAN_80 = ("Euro bullet quotesinglbase florin quotedblbase ellipsis dagger "
          "daggerdbl circumflex perthousand Scaron guilsinglleft OE bullet "
          "Zcaron bullet bullet quoteleft quoteright quotedblleft "
          "quotedblright bullet endash emdash tilde trademark scaron "
          "guilsinglright oe bullet zcaron Ydieresis").split()
ISO_A0 = ("space exclamdown cent sterling currency yen brokenbar section "
          "dieresis copyright ordfeminine guillemotleft logicalnot hyphen "
          "registered macron degree plusminus twosuperior threesuperior "
          "acute mu paragraph periodcentered cedilla onesuperior "
          "ordmasculine guillemotright onequarter onehalf threequarters "
          "questiondown Agrave Aacute Acircumflex Atilde Adieresis Aring AE "
          "Ccedilla Egrave Eacute Ecircumflex Edieresis Igrave Iacute "
          "Icircumflex Idieresis Eth Ntilde Ograve Oacute Ocircumflex Otilde "
          "Odieresis multiply Oslash Ugrave Uacute Ucircumflex Udieresis "
          "Yacute Thorn germandbls agrave aacute acircumflex atilde "
          "adieresis aring ae ccedilla egrave eacute ecircumflex edieresis "
          "igrave iacute icircumflex idieresis eth ntilde ograve oacute "
          "ocircumflex otilde odieresis divide oslash ugrave uacute "
          "ucircumflex udieresis yacute thorn ydieresis").split()
WINANSI = [".notdef"] * 32 + STD_LOW + WAN_80 + ISO_A0
assert len(WINANSI) == 256


def cp1252_set():
    s = set()
    for b in range(0x20, 0x100):
        try:
            s.add(ord(bytes([b]).decode("cp1252")))
        except UnicodeDecodeError:
            pass
    return s


def main():
    tab = agl()
    common = None
    for f in FACES:
        n = afm_names(f)
        common = n if common is None else common & n
    for n in WINANSI:
        assert n == ".notdef" or n in common, n
    have = {}
    for n in common:
        u = ucs(n, tab)
        if u is not None:
            assert u not in have, (n, have.get(u))
            have[u] = n
    v0 = cp1252_set()
    extra = sorted(u for u in have if u not in v0)

    def block(lo, hi):
        return [u for u in extra if lo <= u <= hi]

    # Letters first, one script family per vector; then the symbols that
    # text may use, in code point order, in whatever room is left.  Box
    # drawing, block elements, dingbats, the private use area, combining
    # marks and the rarer geometric shapes stay out: no name needs them,
    # and there is no room left (the check below says so if that changes).
    latin = (block(0x0100, 0x024F) + block(0x02B0, 0x02FF) +
             block(0x1E00, 0x1EFF) + block(0xFB00, 0xFB06))
    greek_cyr = block(0x0370, 0x03FF) + block(0x0400, 0x052F)
    symbols = ([u for u in block(0x2000, 0x22FF) if u != 0x20DD] +
               block(0x2300, 0x23FF) +
               [0x25A0, 0x25A1, 0x25AA, 0x25AB, 0x25B2, 0x25BA, 0x25BC,
                0x25C4, 0x25CA, 0x25CB, 0x25CF])
    # Slot order: 0x21..0xFF, then 0x01..0x1F; 0 stays .notdef and 0x20
    # is the space in every vector.
    slots = list(range(0x21, 0x100)) + list(range(0x01, 0x20))
    vec = [dict(), dict()]
    fill = [latin, greek_cyr]
    for i in range(2):
        for u, s in zip(fill[i], slots):
            vec[i][s] = u
        assert len(fill[i]) <= len(slots)
    rest = symbols
    for i in range(2):
        free = slots[len(fill[i]):]
        take = rest[:len(free)]
        rest = rest[len(free):]
        for u, s in zip(take, free):
            vec[i][s] = u
    dropped = rest
    assert not dropped, ["%04X" % u for u in dropped]

    # Canonical compositions whose result is printable: base + one mark.
    printable = v0 | set(vec[0].values()) | set(vec[1].values())
    comp = []
    for u in sorted(printable):
        d = unicodedata.normalize("NFD", chr(u))
        if len(d) < 2 or not unicodedata.combining(d[-1]):
            continue
        base = unicodedata.normalize("NFC", d[:-1])
        if len(base) == 1 and ord(base) in printable:
            comp.append((ord(base), ord(d[-1]), u))
    comp.sort()

    # Letters the fonts lack: the longest printable start of their
    # decomposition (e with circumflex and tilde: e with circumflex).
    near = []
    for lo, hi in ((0x0180, 0x024F), (0x0370, 0x03FF), (0x0400, 0x052F),
                   (0x1E00, 0x1FFF)):
        for u in range(lo, hi + 1):
            if u in printable:
                continue
            d = unicodedata.normalize("NFD", chr(u))
            if len(d) < 2:
                continue
            for k in range(len(d) - 1, 0, -1):
                c = unicodedata.normalize("NFC", d[:k])
                if len(c) == 1 and ord(c) in printable:
                    near.append((u, ord(c)))
                    break

    out = sys.stdout
    w = out.write
    w("""/*
 * text_vec: the glyph vectors of the text stage, and the tables that map
 * decomposed and unprintable letters onto them.  See text.h.
 *
 * Generated by tools/text_vec.py (python3 tools/text_vec.py
 * >compiler/text_vec.c) and committed, because a glyph's slot must stay
 * put.  Sources: the glyph names every one of the 14 URW base-35 faces of
 * enum pg_font has (fonts-urw-base35 20200910 AFM files), the Adobe Glyph
 * List 2.0 (as shipped in Ghostscript's gs_agl.ps) for their code points,
 * with uniXXXX names read as the AGL specification says, Ghostscript's
 * gs_wan_e.ps for the WinAnsi names of vector 0, and the Unicode %s
 * canonical decompositions (Python unicodedata).
 *
 * Vector 1 holds the Latin letters beyond cp1252 (Latin Extended-A, the
 * URW share of Extended-B and Extended Additional, spacing accents, the
 * fi/fl ligatures), vector 2 Greek and Cyrillic; symbols (punctuation,
 * letterlike, arrows, mathematical operators, a few shapes) fill the room
 * left, vector 1 first.  Both vectors are full.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "page.h"
#include "text_tab.h"

""" % unicodedata.unidata_version)

    def names_row(names):
        w("\t{\n")
        for r in range(0, 256, 4):
            cells = ['"%s",' % n for n in names[r:r + 4]]
            line = "\t\t/* %02X */ " % r + " ".join(cells)
            if len(line.expandtabs(8)) > 79:
                line = "\t\t/* %02X */ " % r + " ".join(cells[:2])
                w(line + "\n")
                line = "\t\t/* %02X */ " % (r + 2) + " ".join(cells[2:])
            w(line + "\n")
        w("\t},\n")

    w("/* The 256 glyph names of each vector; vector 0 is WinAnsiEncoding. */\n")
    w("const char *const text_vec_names[PG_NENC][256] = {\n")
    names_row(WINANSI)
    for i in range(2):
        names = [".notdef"] * 256
        names[0x20] = "space"
        for s, u in vec[i].items():
            names[s] = have[u]
        names_row(names)
    w("};\n\n")

    w("/* The code point of each slot of vectors 1 and 2, 0 where empty. */\n")
    w("const uint16_t text_ext_ucs[PG_NENC - 1][256] = {\n")
    for i in range(2):
        row = [0] * 256
        row[0x20] = 0x20
        for s, u in vec[i].items():
            row[s] = u
        w("\t{\n")
        for r in range(0, 256, 8):
            w("\t\t/* %02X */ " % r +
              " ".join("0x%04X," % x for x in row[r:r + 8]).rstrip() + "\n")
        w("\t},\n")
    w("};\n\n")

    w("/* Base + combining mark = printable letter, sorted by base, mark. */\n")
    w("const struct text_compose text_compose_tab[] = {\n")
    for b, m, u in comp:
        w("\t{ 0x%04X, 0x%04X, 0x%04X },\n" % (b, m, u))
    w("};\n")
    w("const size_t text_compose_len =\n"
      "    sizeof(text_compose_tab) / sizeof(text_compose_tab[0]);\n\n")

    w("/* Unprintable letter = its nearest printable letter, sorted. */\n")
    w("const struct text_near text_near_tab[] = {\n")
    for i in range(0, len(near), 3):
        w("\t" + " ".join("{ 0x%04X, 0x%04X }," % p
                          for p in near[i:i + 3]) + "\n")
    w("};\n")
    w("const size_t text_near_len =\n"
      "    sizeof(text_near_tab) / sizeof(text_near_tab[0]);\n")

    sys.stderr.write("vector 1: %d glyphs, vector 2: %d, dropped %d "
                     "symbols, %d compositions, %d near letters\n" %
                     (len(vec[0]), len(vec[1]), len(dropped), len(comp),
                      len(near)))


main()
