/*
 * check_text: the text stage (text.h): UTF-8 to glyphs with the
 * warnings a changed name deserves, AFM widths, line breaking and the
 * NF Z 10-011 address block.  Its own runner, so that the stage can be
 * tested before it joins check_entpress.  Widths are checked against
 * numbers read from the URW AFM files by hand.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mem.h"
#include "page.h"
#include "text.h"
#include "utf8.h"

/* Captured diagnostics (the pattern of check_main.c). */
static char	*cap_buf;
static size_t	 cap_len;
static FILE	*cap_fp;

static void
diagcap_stop(void)
{
	if (cap_fp != NULL)
		fclose(cap_fp);
	free(cap_buf);
	cap_fp = NULL;
	cap_buf = NULL;
	cap_len = 0;
	diag_set_stream(NULL);
}

static void
diagcap_start(void)
{
	diagcap_stop();
	cap_fp = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap_fp);
	diag_reset();
}

static const char *
diagcap_text(void)
{
	fflush(cap_fp);
	return cap_buf != NULL ? cap_buf : "";
}

static struct glyphs	 gs;

static void
setup(void)
{
	ck_assert_int_eq(text_init(), 0);
	glyphs_init(&gs);
	diagcap_start();
}

static void
teardown(void)
{
	glyphs_free(&gs);
	diagcap_stop();
}

/* Encode s afresh; returns the count of warned characters. */
static int
enc(const char *s, const char *who)
{
	glyphs_reset(&gs);
	return text_encode(&gs, s, who);
}

/* The glyph name of gs.g[i]. */
static const char *
gname(size_t i)
{
	return text_vector_names(gs.g[i] >> 8)[gs.g[i] & 0xFF];
}

/* --- encoding --------------------------------------------------------- */

START_TEST(test_encode_ascii)
{
	const char	*s = "Vos identifiants: 4B-017 (ENT) ~";
	size_t		 i;

	ck_assert_int_eq(enc(s, "E1"), 0);
	ck_assert_uint_eq(gs.n, strlen(s));
	for (i = 0; i < gs.n; i++)
		ck_assert_uint_eq(gs.g[i], (unsigned char)s[i]);
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST

START_TEST(test_encode_cp1252)
{
	static const uint16_t want[] = {
		0xC9, 0xEF, 0xE7, 0xE0, 0x20, 0x9C, 0x8C, 0x80, 0xAB, 0xBB,
		0x96, 0x92, 0xA0, 0x9A, 0x9F
	};
	size_t	 i;

	/* É ï ç à space œ Œ € « » – ’ nbsp š Ÿ */
	ck_assert_int_eq(enc("Éïçà œŒ€«»–’\xc2\xa0šŸ", "E1"), 0);
	ck_assert_uint_eq(gs.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < gs.n; i++)
		ck_assert_uint_eq(gs.g[i], want[i]);
	ck_assert_str_eq(gname(5), "oe");
	ck_assert_str_eq(gname(6), "OE");
	ck_assert_str_eq(gname(7), "Euro");
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST

START_TEST(test_encode_vectors)
{
	static const char *const latin[] = {
		"Lslash", "ohungarumlaut", "scedilla", "gbreve", "dotlessi",
		"ccaron", "rcaron", "zcaron", "scommaaccent", "uni021B"
	};
	size_t	 i;

	/* Ł ő ş ğ ı č ř ž ș ț: ž is cp1252, the rest vector 1. */
	ck_assert_int_eq(enc("Łőşğıčřžșț", "E1"), 0);
	ck_assert_uint_eq(gs.n, 10);
	for (i = 0; i < gs.n; i++) {
		ck_assert_str_eq(gname(i), latin[i]);
		ck_assert_uint_eq(gs.g[i] >> 8, i == 7 ? 0 : 1);
	}

	ck_assert_int_eq(enc("Ωμέγα Дмитрий Її", "E2"), 0);
	ck_assert_uint_eq(gs.n, 16);
	ck_assert_str_eq(gname(0), "uni03A9");
	ck_assert_uint_eq(gs.g[0] >> 8, 2);
	ck_assert_str_eq(gname(2), "epsilontonos");
	ck_assert_uint_eq(gs.g[5], 0x20);
	ck_assert_str_eq(gname(6), "afii10021");	/* Д */
	ck_assert_uint_eq(gs.g[6] >> 8, 2);
	ck_assert_str_eq(gname(12), "afii10075");	/* й */
	ck_assert_str_eq(gname(14), "afii10056");	/* Ї */
	ck_assert_str_eq(gname(15), "afii10104");	/* ї */
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST

START_TEST(test_encode_missing)
{
	ck_assert_int_eq(enc("Li 李", "E123"), 1);
	ck_assert_uint_eq(gs.n, 4);
	ck_assert_uint_eq(gs.g[3], '?');
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "WARNING: character cannot be printed, shown as ?: "
	    "person E123: U+674E 李 as ?"));

	diagcap_start();
	ck_assert_int_eq(enc("Zoé 😀😀", "E9"), 2);
	ck_assert_uint_eq(gs.n, 6);
	ck_assert_uint_eq(gs.g[4], '?');
	ck_assert_uint_eq(gs.g[5], '?');
	/* One warning for the same character twice. */
	ck_assert_ptr_nonnull(strstr(diagcap_text(), "person E9: U+1F600 😀"));
	ck_assert_uint_eq(diag_count(LEVEL_WARNING), 1);

	/* Text of our own says so instead of naming a person. */
	diagcap_start();
	ck_assert_int_eq(enc("李", NULL), 1);
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "layout text: U+674E 李"));
}
END_TEST

START_TEST(test_encode_translit)
{
	/* Capital sharp s: not in the fonts, spelled SS. */
	ck_assert_int_eq(enc("GROẞ", "E5"), 1);
	ck_assert_uint_eq(gs.n, 5);
	ck_assert_uint_eq(gs.g[3], 'S');
	ck_assert_uint_eq(gs.g[4], 'S');
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "WARNING: character not in the fonts, transliterated: "
	    "person E5: U+1E9E ẞ as SS"));

	/* Vietnamese: the nearest letter the fonts have. */
	diagcap_start();
	ck_assert_int_eq(enc("Nguyễn Thị", "E6"), 2);
	ck_assert_uint_eq(gs.n, 10);
	ck_assert_uint_eq(gs.g[4], 0xEA);		/* ê */
	ck_assert_uint_eq(gs.g[9], 'i');
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "person E6: U+1EC5 ễ as ê"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "person E6: U+1ECB ị as i"));
}
END_TEST

START_TEST(test_encode_decomposed)
{
	/* e + U+0301, И + U+0306, Å + U+0301 (two steps): composed. */
	ck_assert_int_eq(enc("Zoe\xcc\x81 \xd0\x98\xcc\x86 A\xcc\x8a\xcc\x81",
	    "E7"), 0);
	ck_assert_uint_eq(gs.n, 7);
	ck_assert_uint_eq(gs.g[2], 0xE9);
	ck_assert_str_eq(gname(4), "afii10027");	/* Й */
	ck_assert_str_eq(gname(6), "Aringacute");
	ck_assert_str_eq(diagcap_text(), "");

	/* q + acute exists nowhere: the accent goes, with a warning. */
	ck_assert_int_eq(enc("q\xcc\x81", "E7"), 1);
	ck_assert_uint_eq(gs.n, 1);
	ck_assert_uint_eq(gs.g[0], 'q');
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "person E7: U+0301 \xcc\x81 accent dropped"));
}
END_TEST

START_TEST(test_encode_controls)
{
	/* Tab, newline, CRLF: spaces; BEL, DEL and C1 NEL: dropped. */
	ck_assert_int_eq(enc("a\tb\nc\r\nd\x07" "e\x7f" "f\xc2\x85g", "E8"),
	    3);
	ck_assert_uint_eq(gs.n, 10);
	ck_assert_uint_eq(gs.g[1], ' ');
	ck_assert_uint_eq(gs.g[3], ' ');
	ck_assert_uint_eq(gs.g[5], ' ');
	ck_assert_uint_eq(gs.g[6], 'd');
	ck_assert_uint_eq(gs.g[7], 'e');
	ck_assert_uint_eq(gs.g[8], 'f');
	ck_assert_uint_eq(gs.g[9], 'g');
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "person E8: U+0007 control character dropped"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "person E8: U+007F control character dropped"));
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "person E8: U+0085 control character dropped"));
}
END_TEST

START_TEST(test_encode_invalid)
{
	/* A lone byte, a truncated sequence, a truncated one at the end. */
	ck_assert_int_eq(enc("a\xff" "b\xe2\x82" "c\xc3", "E4"), 3);
	ck_assert_uint_eq(gs.n, 6);
	ck_assert_uint_eq(gs.g[1], '?');
	ck_assert_uint_eq(gs.g[3], '?');
	ck_assert_uint_eq(gs.g[5], '?');
	ck_assert_ptr_nonnull(strstr(diagcap_text(),
	    "person E4: invalid UTF-8 byte 0xFF"));
}
END_TEST

START_TEST(test_encode_typography)
{
	/* Narrow nbsp before ':' is a nbsp; soft hyphen and ZWSP vanish. */
	ck_assert_int_eq(enc("Code\xe2\x80\xaf: Ma\xc2\xadrie\xe2\x80\x8b"
	    "-Jo\xe2\x80\x91" "e\xe2\x80\x89!", "E3"), 0);
	ck_assert_uint_eq(gs.n, 19);
	ck_assert_uint_eq(gs.g[4], 0xA0);
	ck_assert_uint_eq(gs.g[8], 'a');
	ck_assert_uint_eq(gs.g[9], 'r');
	ck_assert_uint_eq(gs.g[12], '-');
	ck_assert_uint_eq(gs.g[15], '-');
	ck_assert_uint_eq(gs.g[16], 'e');
	ck_assert_uint_eq(gs.g[17], ' ');
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST

/* --- vectors ------------------------------------------------------------ */

START_TEST(test_vector_names)
{
	const char *const	*v0 = text_vector_names(0);
	int			 v, c;

	ck_assert_str_eq(v0[0x00], ".notdef");
	ck_assert_str_eq(v0[0x20], "space");
	ck_assert_str_eq(v0[0x27], "quotesingle");
	ck_assert_str_eq(v0[0x2D], "hyphen");
	ck_assert_str_eq(v0[0x60], "grave");
	ck_assert_str_eq(v0[0x7F], "bullet");
	ck_assert_str_eq(v0[0x80], "Euro");
	ck_assert_str_eq(v0[0x9C], "oe");
	ck_assert_str_eq(v0[0xA0], "space");
	ck_assert_str_eq(v0[0xAD], "hyphen");
	ck_assert_str_eq(v0[0xFF], "ydieresis");
	for (v = 1; v < PG_NENC; v++) {
		ck_assert(text_vector_used(v));
		ck_assert_str_eq(text_vector_names(v)[0], ".notdef");
		ck_assert_str_eq(text_vector_names(v)[0x20], "space");
		for (c = 1; c < 256; c++)
			ck_assert_str_ne(text_vector_names(v)[c], ".notdef");
	}
	ck_assert(!text_vector_used(PG_NENC));
}
END_TEST

/* Every glyph of every vector is what its code point encodes to. */
START_TEST(test_vector_roundtrip)
{
	char		 u8[5];
	uint32_t	 cp;
	uint16_t	 g;
	int		 v, c, n = 0;

	for (v = 0; v < PG_NENC; v++)
		for (c = 0; c < 256; c++) {
			g = (uint16_t)(v << 8 | c);
			if ((cp = text_glyph_unicode(g)) == 0)
				continue;
			/* The spaces of vectors 1-2, the soft hyphen. */
			if ((v > 0 && c == 0x20) || cp == 0xAD)
				continue;
			u8[utf8_encode(cp, u8)] = '\0';
			ck_assert_int_eq(enc(u8, "E0"), 0);
			ck_assert_uint_eq(gs.n, 1);
			ck_assert_uint_eq(gs.g[0], g);
			n++;
		}
	/* 218 printable cp1252 bytes less the soft hyphen, 254 + 254. */
	ck_assert_int_eq(n, 217 + 254 + 254);
	ck_assert_str_eq(diagcap_text(), "");
}
END_TEST

/* --- widths --------------------------------------------------------------- */

START_TEST(test_width)
{
	uint16_t	 g;
	int		 f, v, c;

	ck_assert_int_eq(enc("A", NULL), 0);
	ck_assert_int_eq(text_width(FONT_HELVETICA, gs.g, gs.n), 667);
	enc("Vos identifiants", NULL);
	ck_assert_int_eq(text_width(FONT_HELVETICA_BOLD, gs.g, gs.n), 7446);
	enc("€œ Ł А", NULL);		/* Cyrillic A */
	ck_assert_int_eq(text_width(FONT_HELVETICA, gs.g, gs.n),
	    556 + 944 + 278 + 556 + 278 + 667);
	ck_assert_int_eq(text_width(FONT_COURIER, gs.g, gs.n), 6 * 600);

	/* Every glyph of every Courier is 600 wide. */
	for (f = FONT_COURIER; f <= FONT_COURIER_BOLDOBLIQUE; f++)
		for (v = 0; v < PG_NENC; v++)
			for (c = 0; c < 256; c++) {
				if (strcmp(text_vector_names(v)[c],
				    ".notdef") == 0)
					continue;
				g = (uint16_t)(v << 8 | c);
				ck_assert_int_eq(text_width(f, &g, 1), 600);
			}
	ck_assert_int_eq(text_width(FONT_TIMES_ROMAN, NULL, 0), 0);
}
END_TEST

/* --- line breaking ------------------------------------------------------ */

START_TEST(test_fit)
{
	size_t	 next;

	/* Helvetica: a and b 556, space 278, hyphen 333. */
	enc("aaa bbb ccc", NULL);
	ck_assert_uint_eq(text_fit(FONT_HELVETICA, gs.g, gs.n, 3700, &next),
	    7);
	ck_assert_uint_eq(next, 8);
	ck_assert_uint_eq(text_fit(FONT_HELVETICA, gs.g, gs.n, 2000, &next),
	    3);
	ck_assert_uint_eq(next, 4);
	ck_assert_uint_eq(text_fit(FONT_HELVETICA, gs.g, gs.n, 100000,
	    &next), 11);
	ck_assert_uint_eq(next, 11);
	/* A space that overflows does not push its word down. */
	ck_assert_uint_eq(text_fit(FONT_HELVETICA, gs.g, gs.n, 1700, &next),
	    3);
	ck_assert_uint_eq(next, 4);

	enc("aaa   bbb", NULL);
	ck_assert_uint_eq(text_fit(FONT_HELVETICA, gs.g, gs.n, 2000, &next),
	    3);
	ck_assert_uint_eq(next, 6);

	enc("aaa-bbb", NULL);
	ck_assert_uint_eq(text_fit(FONT_HELVETICA, gs.g, gs.n, 2100, &next),
	    4);
	ck_assert_uint_eq(next, 4);

	/* No break: cut the word; never less than one glyph. */
	enc("aaaaaa", NULL);
	ck_assert_uint_eq(text_fit(FONT_HELVETICA, gs.g, gs.n, 2000, &next),
	    3);
	ck_assert_uint_eq(next, 3);
	ck_assert_uint_eq(text_fit(FONT_HELVETICA, gs.g, gs.n, 10, &next),
	    1);
	ck_assert_uint_eq(next, 1);
	ck_assert_uint_eq(text_fit(FONT_HELVETICA, gs.g, 0, 10, &next), 0);
	ck_assert_uint_eq(next, 0);

	/* A leading hyphen is no break point. */
	enc("-aaaaa", NULL);
	ck_assert_uint_eq(text_fit(FONT_HELVETICA, gs.g, gs.n, 2000, &next),
	    3);
}
END_TEST

/* --- addresses ------------------------------------------------------------ */

static void
addr(struct addr_out *out, const char *r0, const char *r1, const char *a,
    const char *pc, const char *city, const char *country)
{
	struct addr_in	 in;

	in.recipient[0] = r0;
	in.recipient[1] = r1;
	in.address = a;
	in.postcode = pc;
	in.city = city;
	in.country = country;
	text_address(&in, out);
}

START_TEST(test_addr_plain)
{
	struct addr_out	 o;

	addr(&o, "Madame Zoé  MARTIN ", NULL, "12 rue des Lilas", "69100",
	    "Villeurbanne", NULL);
	ck_assert_int_eq(o.status, ADDR_OK);
	ck_assert_int_eq(o.abroad, 0);
	ck_assert_uint_eq(o.nlines, 3);
	ck_assert_str_eq(o.line[0], "Madame Zoé MARTIN");
	ck_assert_str_eq(o.line[1], "12 rue des Lilas");
	ck_assert_str_eq(o.line[2], "69100 VILLEURBANNE");
	addr_out_free(&o);

	addr(&o, "M. Paul Durand", NULL, "3 bd Voltaire", "75 011", "paris",
	    "France");
	ck_assert_int_eq(o.status, ADDR_OK);
	ck_assert_int_eq(o.abroad, 0);
	ck_assert_str_eq(o.line[2], "75011 PARIS");
	addr_out_free(&o);

	addr(&o, "M. Paul Durand", NULL, "BP 12", "69003", "Lyon Cedex 03",
	    NULL);
	ck_assert_str_eq(o.line[2], "69003 LYON CEDEX 03");
	addr_out_free(&o);

	addr(&o, "M. Paul Durand", NULL, "Place de l'Église", "94240",
	    "L'Haÿ-les-Roses", "");
	ck_assert_str_eq(o.line[1], "Place de l Église");
	ck_assert_str_eq(o.line[2], "94240 L HAY LES ROSES");
	addr_out_free(&o);
}
END_TEST

START_TEST(test_addr_dollar)
{
	struct addr_out	 o;

	/* Empty parts dropped; hyphens become spaces on the last line. */
	addr(&o, "M. et Mme Dupont-Moretti", "  ",
	    "Bâtiment C$$  12,  rue de l'Église $", "42000",
	    "Saint-Étienne", "FRANCE");
	ck_assert_int_eq(o.status, ADDR_OK);
	ck_assert_uint_eq(o.nlines, 4);
	ck_assert_str_eq(o.line[0], "M. et Mme Dupont-Moretti");
	ck_assert_str_eq(o.line[1], "Bâtiment C");
	ck_assert_str_eq(o.line[2], "12 rue de l Église");
	ck_assert_str_eq(o.line[3], "42000 SAINT ETIENNE");
	addr_out_free(&o);
}
END_TEST

START_TEST(test_addr_punct)
{
	struct addr_out	 o;

	/* Six lines: 1-3 as given, 4-6 without punctuation. */
	addr(&o, "Mme Anne-Marie L'Hôte", "Appt. 12, 3e étage",
	    "Résidence « Les Pins », Bât. B$12, rue Jean-Jaurès$B.P. 7",
	    "69100", "Villeurbanne", NULL);
	ck_assert_int_eq(o.status, ADDR_OK);
	ck_assert_uint_eq(o.nlines, 6);
	ck_assert_str_eq(o.line[0], "Mme Anne-Marie L'Hôte");
	ck_assert_str_eq(o.line[1], "Appt. 12, 3e étage");
	ck_assert_str_eq(o.line[2], "Résidence « Les Pins », Bât. B");
	ck_assert_str_eq(o.line[3], "12 rue Jean Jaurès");
	ck_assert_str_eq(o.line[4], "B P 7");
	ck_assert_str_eq(o.line[5], "69100 VILLEURBANNE");
	addr_out_free(&o);

	/* A line of punctuation only goes away. */
	addr(&o, "M. X", NULL, "5 rue Haute$ - ", "01000", "Bourg", NULL);
	ck_assert_int_eq(o.status, ADDR_OK);
	ck_assert_uint_eq(o.nlines, 3);
	ck_assert_str_eq(o.line[2], "01000 BOURG");
	addr_out_free(&o);
}
END_TEST

START_TEST(test_addr_too_long)
{
	struct addr_out	 o;
	const char	*street45 =
	    "123 avenue du Marechal de Lattre de Tassigny";
	const char	*accents38 =
	    "Résidence Les Érables Bâtiment É 12345";

	ck_assert_uint_eq(strlen(street45), 44);
	addr(&o, "M. X", NULL, "Bâtiment B$1123 avenue du Marechal de "
	    "Lattre de Tassigny", "69100", "Villeurbanne", NULL);
	ck_assert_int_eq(o.status, ADDR_TOO_LONG);
	ck_assert_uint_eq(o.bad_line, 2);
	/* Never cut. */
	ck_assert_uint_eq(text_utf8_chars(o.line[2]), 45);
	addr_out_free(&o);

	/* 38 characters, 43 bytes: fits. */
	ck_assert_uint_eq(text_utf8_chars(accents38), 38);
	ck_assert_uint_gt(strlen(accents38), 38);
	addr(&o, "M. X", NULL, accents38, "69100", "Villeurbanne", NULL);
	ck_assert_int_eq(o.status, ADDR_OK);
	addr_out_free(&o);
}
END_TEST

START_TEST(test_addr_missing)
{
	struct addr_out	 o;

	addr(&o, "M. X", NULL, "12 rue des Lilas", "", "Villeurbanne",
	    NULL);
	ck_assert_int_eq(o.status, ADDR_MISSING);
	addr_out_free(&o);
	addr(&o, "M. X", NULL, "12 rue des Lilas", NULL, "Villeurbanne",
	    NULL);
	ck_assert_int_eq(o.status, ADDR_MISSING);
	addr_out_free(&o);
	addr(&o, "M. X", NULL, "$ $", "69100", "Villeurbanne", NULL);
	ck_assert_int_eq(o.status, ADDR_MISSING);
	addr_out_free(&o);
	addr(&o, "M. X", NULL, NULL, "69100", "Villeurbanne", NULL);
	ck_assert_int_eq(o.status, ADDR_MISSING);
	addr_out_free(&o);
	addr(&o, "M. X", NULL, "12 rue des Lilas", "69100", " ", NULL);
	ck_assert_int_eq(o.status, ADDR_MISSING);
	addr_out_free(&o);
}
END_TEST

START_TEST(test_addr_abroad)
{
	struct addr_out	 o;

	/* Seven lines abroad, the country last. */
	addr(&o, "Famille Peeters", "Chez Mme Janssens",
	    "Résidence du Parc$Boîte 3$Rue de la Loi, 16", "1000",
	    "Bruxelles", "Belgique");
	ck_assert_int_eq(o.status, ADDR_OK);
	ck_assert_int_eq(o.abroad, 1);
	ck_assert_uint_eq(o.nlines, 7);
	ck_assert_str_eq(o.line[2], "Résidence du Parc");
	ck_assert_str_eq(o.line[3], "Boîte 3");
	ck_assert_str_eq(o.line[4], "Rue de la Loi 16");
	ck_assert_str_eq(o.line[5], "1000 BRUXELLES");
	ck_assert_str_eq(o.line[6], "BELGIQUE");
	addr_out_free(&o);

	/* The same seven lines at home are one too many. */
	addr(&o, "Famille Peeters", "Chez Mme Janssens",
	    "Résidence du Parc$Boîte 3$Rue de la Loi, 16$Lieu-dit", "69100",
	    "Villeurbanne", NULL);
	ck_assert_int_eq(o.status, ADDR_TOO_MANY_LINES);
	ck_assert_uint_eq(o.bad_line, 6);
	ck_assert_uint_eq(o.nlines, 7);
	addr_out_free(&o);

	/* Foreign postcodes keep their hyphens, cities their accents. */
	addr(&o, "Pan Nowak", NULL, "ul. Długa 5", "00-950", "Warszawa",
	    "Pologne");
	ck_assert_str_eq(o.line[1], "ul Długa 5");
	ck_assert_str_eq(o.line[2], "00-950 WARSZAWA");
	ck_assert_str_eq(o.line[3], "POLOGNE");
	addr_out_free(&o);
	addr(&o, "M. X", NULL, "Rue Haute 1", "4000", "Liège",
	    "Belgique");
	ck_assert_str_eq(o.line[2], "4000 LIÈGE");
	addr_out_free(&o);
	addr(&o, "Пан Х", NULL, "вул. Хрещатик, 1", "01001", "Київ",
	    "Україна");
	ck_assert_int_eq(o.abroad, 1);
	ck_assert_str_eq(o.line[2], "01001 КИЇВ");
	ck_assert_str_eq(o.line[3], "УКРАЇНА");
	addr_out_free(&o);

	/* Without a postcode abroad: still an address. */
	addr(&o, "Mr X", NULL, "1 Main Street", NULL, "Dublin",
	    "Irlande");
	ck_assert_int_eq(o.status, ADDR_OK);
	ck_assert_str_eq(o.line[2], "DUBLIN");
	addr_out_free(&o);
}
END_TEST

START_TEST(test_utf8_chars)
{
	ck_assert_uint_eq(text_utf8_chars(""), 0);
	ck_assert_uint_eq(text_utf8_chars("Zoé"), 3);
	ck_assert_uint_eq(text_utf8_chars("Zoe\xcc\x81"), 3);
	ck_assert_uint_eq(text_utf8_chars("Дима"), 4);
	ck_assert_uint_eq(text_utf8_chars("a\xff"), 2);
}
END_TEST

static Suite *
text_suite(void)
{
	Suite	*s = suite_create("text");
	TCase	*tc;

	tc = tcase_create("encode");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_encode_ascii);
	tcase_add_test(tc, test_encode_cp1252);
	tcase_add_test(tc, test_encode_vectors);
	tcase_add_test(tc, test_encode_missing);
	tcase_add_test(tc, test_encode_translit);
	tcase_add_test(tc, test_encode_decomposed);
	tcase_add_test(tc, test_encode_controls);
	tcase_add_test(tc, test_encode_invalid);
	tcase_add_test(tc, test_encode_typography);
	suite_add_tcase(s, tc);

	tc = tcase_create("vectors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_vector_names);
	tcase_add_test(tc, test_vector_roundtrip);
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_fit);
	suite_add_tcase(s, tc);

	tc = tcase_create("address");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_addr_plain);
	tcase_add_test(tc, test_addr_dollar);
	tcase_add_test(tc, test_addr_punct);
	tcase_add_test(tc, test_addr_too_long);
	tcase_add_test(tc, test_addr_missing);
	tcase_add_test(tc, test_addr_abroad);
	tcase_add_test(tc, test_utf8_chars);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	diag_init("entpress");
	sr = srunner_create(text_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	text_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
