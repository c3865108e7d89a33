/*
 * ps-sample: write a small PostScript run through emit_ps for the
 * Ghostscript tests (tests/ps/ps-sample.sh).
 *
 * Three sheets' worth of pages, built by hand as compose would: a letter
 * with every item kind and the hostile strings a name could hold (a
 * string that tries to close itself and call showpage, a backslash, a
 * "%!PS" that a careless spooler could take for a new job, control
 * bytes), a blank verso with a label that needs cleaning, and a page in
 * glyph vector 1.  The strings are in Windows-1252, as text.c would
 * encode them; the vector 1 glyphs are looked up by name, so that the
 * page is the same whatever slots text.c gives them.  With -n N the letter is repeated N times, to measure the
 * size of a run.
 *
 *	ps-sample [-n N] OUT.ps
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "emit_ps.h"
#include "outw.h"
#include "page.h"
#include "text.h"

static void
text(struct pg_page *p, enum pg_font f, int enc, double size, double xmm,
    double ymm, const char *s)
{
	pg_text(p, f, enc, PG_PT(size), PG_MM(xmm), PG_MM(297 - ymm), s,
	    strlen(s));
}

/* The code of glyph name in vector enc; the program fails without it. */
static char
code_of(int enc, const char *name)
{
	const char *const	*v = text_vector_names(enc);
	int			 c;

	for (c = 1; c < 256; c++)
		if (v != NULL && strcmp(v[c], name) == 0)
			return (char)c;
	fprintf(stderr, "ps-sample: no %s in vector %d\n", name, enc);
	exit(99);
}

/* A letter laid out roughly as the `letter' layout does. */
static void
letter(struct pg_page *p, int n)
{
	char	 label[32], serial[48];

	snprintf(label, sizeof(label), "4B-%03d", n);
	memcpy(p->label, label, strlen(label) + 1);
	snprintf(serial, sizeof(serial), "2026-0699990Z-%06d", n);

	text(p, FONT_HELVETICA_BOLD, 0, 11, 20, 15,
	    "Coll\xE8ge \xC9lise Reclus");
	text(p, FONT_HELVETICA, 0, 9, 20, 20, "12 rue des \xC9" "coles");
	text(p, FONT_HELVETICA, 0, 9, 20, 24, "69100 Villeurbanne");
	pg_rect(p, PG_MM(100), PG_MM(297 - 80), PG_MM(100), PG_MM(45),
	    PG_PT(0.5), PG_PT(2), 0, 0);
	text(p, FONT_HELVETICA, 0, 9, 110, 50, "\x8Cuvre \xC6ther \xE9l\xE8ve");
	text(p, FONT_HELVETICA, 0, 9, 110, 55, ") showpage (");
	text(p, FONT_HELVETICA, 0, 9, 110, 60, "back\\slash");
	text(p, FONT_HELVETICA, 0, 9, 110, 65, "%!PS");
	text(p, FONT_HELVETICA, 0, 9, 110, 70, "ctl\x01\x1f\x7f(x");
	text(p, FONT_HELVETICA, 0, 10, 120, 99,
	    "Villeurbanne, le 1er septembre 2026");
	text(p, FONT_HELVETICA_BOLD, 0, 11, 20, 115,
	    "Vos identifiants pour l'ENT");
	text(p, FONT_HELVETICA, 0, 10, 20, 125,
	    "Ce courrier contient les identifiants de l'\xE9l\xE8ve "
	    "pour l'espace num\xE9rique de travail (12 \x80).");
	pg_rect(p, PG_MM(20), PG_MM(297 - 170), PG_MM(170), PG_MM(30),
	    PG_PT(1), 0, 1, 235);
	text(p, FONT_COURIER_BOLD, 0, 14, 30, 150, "Login : zoe.martin");
	text(p, FONT_COURIER_BOLD, 0, 14, 30, 160, "Code : k7Tm 9qRw");
	/* A run longer than a DSC line once escaped. */
	text(p, FONT_HELVETICA, 0, 5, 20, 200,
	    "\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9"
	    "\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9"
	    "\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9"
	    "\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9"
	    "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
	    "end");
	text(p, FONT_HELVETICA, 0, 7, 20, 285,
	    "Document personnel \x97 ne pas diffuser");
	text(p, FONT_HELVETICA, 0, 7, 150, 285, serial);
	/* Fold marks for a DL envelope. */
	pg_line(p, PG_MM(3.5), PG_MM(297 - 99), PG_MM(5.5), PG_MM(297 - 99),
	    PG_PT(0.2), 0);
	pg_line(p, PG_MM(3.5), PG_MM(297 - 198), PG_MM(5.5),
	    PG_MM(297 - 198), PG_PT(0.2), 0);
}

int
main(int argc, char *argv[])
{
	struct pg_docinfo	 di;
	struct pg_page		 p;
	struct outw		 w;
	struct emit_ps		*ps;
	char			 ext[5];
	int			 ch, i, n = 1, ret;

	diag_init("ps-sample");
	while ((ch = getopt(argc, argv, "n:")) != -1) {
		switch (ch) {
		case 'n':
			n = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1 || n < 1)
		goto usage;

	memset(&di, 0, sizeof(di));
	di.title = "Lettres ENT \xe2\x80\x94 4B (Coll\xc3\xa8ge \xc3\x89lise)";
	di.creator = "entpress";
	di.date = "2026-09-01";
	di.duplex = 1;
	di.fonts_used = 1u << FONT_HELVETICA | 1u << FONT_HELVETICA_BOLD |
	    1u << FONT_COURIER_BOLD;
	di.encs_used = 1u << 0 | 1u << 1;

	if (outw_open(&w, argv[optind]) == -1)
		return 3;
	ps = emit_ps_begin(&w, &di);
	pg_init(&p, PG_MM(210), PG_MM(297));
	for (i = 1; i <= n; i++) {
		pg_reset(&p);
		letter(&p, i);
		emit_ps_page(ps, &p);
		/* The verso, left blank so the next letter starts a sheet. */
		pg_reset(&p);
		memcpy(p.label, "4B 001 (verso)", sizeof("4B 001 (verso)"));
		p.blank = 1;
		emit_ps_page(ps, &p);
	}
	pg_reset(&p);
	memcpy(p.label, "5\xc3\xa8-001", sizeof("5\xc3\xa8-001"));
	ext[0] = code_of(1, "Lslash");
	ext[1] = code_of(1, "lslash");
	ext[2] = code_of(1, "Amacron");
	ext[3] = code_of(1, "amacron");
	ext[4] = '\0';
	pg_text(&p, FONT_HELVETICA, 1, PG_PT(12), PG_MM(20), PG_MM(267), ext,
	    1);
	text(&p, FONT_HELVETICA, 0, 12, 24.5, 30, "ukasz");
	text(&p, FONT_HELVETICA_BOLD, 1, 12, 20, 40, ext);
	emit_ps_page(ps, &p);
	pg_free(&p);
	ret = emit_ps_end(ps);
	if (outw_commit(&w) == -1 || ret == -1)
		return 3;
	return 0;
usage:
	fprintf(stderr, "usage: ps-sample [-n N] OUT.ps\n");
	return 2;
}
