/*
 * pdf-sample: write a small PDF run through emit_pdf for the tests of
 * tests/pdf/pdf-sample.sh (qpdf, poppler, Ghostscript).
 *
 * Pages built by hand as compose would: for each of two classes a
 * letter with every item kind (text in the fourteen faces and the three
 * glyph vectors, a framed box, a gray fill, a dashed cut line, fold
 * marks) and the strings a name could hold against us (one that tries
 * to close its string and call showpage, backslashes, accents, œ and
 * €), then a blank verso; bookmarks for the section, the school and
 * each class; page labels like 4B-001.  Text goes through text_encode,
 * so the glyph vectors are text.c's own.  With -n N the two letters are
 * repeated N times, to measure the size and speed of a run; with -a
 * the file is PDF/A-2b; with -f the fonts are embedded whole; with -p
 * the same pages go through emit_ps instead, for the cross-backend
 * checks (same text, same pixels).
 *
 *	pdf-sample [-a] [-f] [-p] [-n N] OUT
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "emit_pdf.h"
#include "emit_ps.h"
#include "outw.h"
#include "page.h"
#include "text.h"

static struct glyphs	 gl;

/*
 * UTF-8 at (xmm, ymm from the top): one pg_text per run of glyphs in
 * one vector, each placed after the width of the runs before it.
 */
static void
text(struct pg_page *p, enum pg_font f, double size, double xmm,
    double ymm, const char *s)
{
	char		 run[512];
	pg_unit		 x = PG_MM(xmm), y = PG_MM(297 - ymm);
	size_t		 i, j, n;
	int		 enc;

	glyphs_reset(&gl);
	text_encode(&gl, s, NULL);
	for (i = 0; i < gl.n; i = j) {
		enc = gl.g[i] >> 8;
		for (j = i, n = 0; j < gl.n && gl.g[j] >> 8 == enc &&
		    n < sizeof(run); j++)
			run[n++] = (char)(gl.g[j] & 0xFF);
		pg_text(p, f, enc, PG_PT(size), x, y, run, n);
		x += (pg_unit)((int64_t)text_width(f, gl.g + i, j - i) *
		    PG_PT(size) / 1000);
	}
}

static void
letter(struct pg_page *p, const char *cls, int n, int first)
{
	char	 buf[128];

	snprintf(p->label, sizeof(p->label), "%s-%03d", cls, n);
	if (first) {
		pg_mark(p, 0, "Élèves");
		pg_mark(p, 1, "Collège Jean Moulin (0699990Z)");
	}
	if (n == 1)
		pg_mark(p, 2, cls);

	text(p, FONT_HELVETICA_BOLD, 11, 20, 20, "Collège Jean Moulin");
	text(p, FONT_HELVETICA, 9, 20, 25, "12 rue de l’École, 69100 "
	    "Villeurbanne");
	text(p, FONT_HELVETICA, 7, 110, 40, "Collège Jean Moulin, 69100 "
	    "Villeurbanne");
	pg_line(p, PG_MM(110), PG_MM(297 - 41), PG_MM(190), PG_MM(297 - 41),
	    PG_PT(0.3), 0);
	text(p, FONT_HELVETICA, 10, 110, 50, "Famille ) showpage (");
	text(p, FONT_HELVETICA, 10, 110, 55, "C:\\ENT\\ (\\) \\\\");
	text(p, FONT_HELVETICA, 10, 110, 60, "RÉSIDENCE LES CHÊNES");
	text(p, FONT_HELVETICA, 10, 110, 65, "69100 VILLEURBANNE");
	text(p, FONT_TIMES_ROMAN, 11, 130, 99, "Villeurbanne, le 1er "
	    "septembre 2026");
	text(p, FONT_HELVETICA_BOLD, 12, 20, 110, "Vos identifiants pour "
	    "l’ENT");
	snprintf(buf, sizeof(buf), "Élève : Cœur Œuvre, classe %s, 12 € "
	    "« élève »", cls);
	text(p, FONT_TIMES_ROMAN, 11, 20, 120, buf);
	text(p, FONT_TIMES_ITALIC, 11, 20, 126, "Łukasz Wałęsa, Şükrü "
	    "Ağaoğlu, Dvořák");
	text(p, FONT_TIMES_BOLD, 11, 20, 132, "Αθηνά Σωκράτους, Дмитрий "
	    "Шостакович");
	text(p, FONT_TIMES_BOLDITALIC, 11, 20, 138, "Times gras italique");
	text(p, FONT_HELVETICA_OBLIQUE, 10, 20, 144, "Helvetica oblique");
	text(p, FONT_HELVETICA_BOLDOBLIQUE, 10, 80, 144, "gras oblique");
	text(p, FONT_HELVETICA_NARROW, 10, 130, 144, "Narrow");
	text(p, FONT_HELVETICA_NARROW_BOLD, 10, 160, 144, "Narrow gras");

	pg_rect(p, PG_MM(20), PG_MM(297 - 185), PG_MM(170), PG_MM(30),
	    PG_PT(1), 0, 1, 230);
	text(p, FONT_HELVETICA, 10, 25, 163, "Identifiant :");
	text(p, FONT_COURIER_BOLD, 14, 60, 163, "jean.dupont");
	text(p, FONT_HELVETICA, 10, 25, 172, "Code d’activation :");
	text(p, FONT_COURIER_BOLD, 14, 60, 172, "k7Tm 9qRw");
	text(p, FONT_COURIER, 9, 25, 180, "https://ent.example.fr/");
	text(p, FONT_COURIER_OBLIQUE, 9, 100, 180, "oblique");
	text(p, FONT_COURIER_BOLDOBLIQUE, 9, 130, 180, "gras oblique");
	pg_rect(p, PG_MM(20), PG_MM(297 - 200), PG_MM(40), PG_MM(8), 0, 0,
	    1, 128);

	pg_line(p, PG_MM(10), PG_MM(297 - 230), PG_MM(200), PG_MM(297 - 230),
	    PG_PT(0.5), PG_PT(3));
	pg_line(p, PG_MM(3.5), PG_MM(297 - 99), PG_MM(5.5), PG_MM(297 - 99),
	    PG_PT(0.2), 0);
	pg_line(p, PG_MM(3.5), PG_MM(297 - 198), PG_MM(5.5),
	    PG_MM(297 - 198), PG_PT(0.2), 0);
	pg_rect(p, PG_MM(15), PG_MM(20), PG_MM(180), PG_MM(260), PG_PT(0.5),
	    PG_PT(2), 0, 0);
	snprintf(buf, sizeof(buf), "Document personnel — ne pas diffuser "
	    "— 2026-0699990Z-%06d — %s", n, p->label);
	text(p, FONT_HELVETICA, 7, 20, 285, buf);
}

int
main(int argc, char *argv[])
{
	struct emit_pdf_opts	 opts;
	struct pg_docinfo	 di;
	struct pg_page		 pg;
	struct outw		 w;
	struct emit_pdf		*e = NULL;
	struct emit_ps		*ps = NULL;
	static const char	*cls[] = { "4B", "4C" };
	int			 ch, n = 1, i, k, rc = 0, pflag = 0;

	memset(&opts, 0, sizeof(opts));
	while ((ch = getopt(argc, argv, "afn:p")) != -1) {
		switch (ch) {
		case 'a':
			opts.pdfa = 1;
			break;
		case 'f':
			opts.full_fonts = 1;
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 'p':
			pflag = 1;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1 || n < 1)
		goto usage;
	diag_init("pdf-sample");
	if (text_init() == -1)
		return 3;
	glyphs_init(&gl);

	memset(&di, 0, sizeof(di));
	di.title = "Identifiants ENT — Collège Jean Moulin";
	di.creator = "entpress pdf-sample";
	di.date = "2026-09-01";
	di.duplex = 1;
	if (outw_open(&w, argv[optind]) == -1)
		return 3;
	for (k = 0; k < FONT__MAX; k++)
		di.fonts_used |= 1U << k;
	di.encs_used = (1U << PG_NENC) - 1;
	if (pflag)
		ps = emit_ps_begin(&w, &di);
	else
		e = emit_pdf_begin(&w, &di, &opts);
	if (e == NULL && ps == NULL) {
		outw_abort(&w);
		return 3;
	}
	pg_init(&pg, PG_MM(210), PG_MM(297));
	for (k = 0; k < 2; k++) {
		for (i = 1; i <= n; i++) {
			pg_reset(&pg);
			letter(&pg, cls[k], i, k == 0 && i == 1);
			if ((ps != NULL ? emit_ps_page(ps, &pg) :
			    emit_pdf_page(e, &pg)) == -1)
				rc = 3;
			/* The blank verso of a one-page letter, duplex. */
			pg_reset(&pg);
			snprintf(pg.label, sizeof(pg.label), "%s-%03d-v",
			    cls[k], i);
			pg.blank = 1;
			if ((ps != NULL ? emit_ps_page(ps, &pg) :
			    emit_pdf_page(e, &pg)) == -1)
				rc = 3;
		}
	}
	if ((ps != NULL ? emit_ps_end(ps) : emit_pdf_end(e)) == -1)
		rc = 3;
	if (rc == 0 && outw_commit(&w) == -1)
		rc = 3;
	else if (rc != 0)
		outw_abort(&w);
	pg_free(&pg);
	glyphs_free(&gl);
	text_cleanup();
	return rc;
usage:
	fprintf(stderr, "usage: pdf-sample [-a] [-f] [-p] [-n N] OUT\n");
	return 2;
}
