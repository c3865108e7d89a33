/*
 * check_layout: layout and school files.  The three shipped layouts
 * must load with the geometry the print shop relies on (NF window, fold
 * marks, 8 cards); broken files written on the fly must be refused
 * with the right file:line and nothing more (an external entity's
 * target must never reach a message); the demo school file must load.
 * A rough measure of the letter's flow, with the AFM widths of the text
 * module, checks that the fullest parents' letter (two guardians, three
 * children, a reissue) still fits its page: compose would otherwise
 * continue it on a second sheet, which the envelope cannot take.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "layout.h"
#include "mem.h"
#include "page.h"
#include "text.h"

/* --- captured diagnostics and temporary files --------------------- */

static char	*cap_buf;
static size_t	 cap_len;
static FILE	*cap_fp;

static void
cap_start(void)
{
	cap_fp = open_memstream(&cap_buf, &cap_len);
	ck_assert_ptr_nonnull(cap_fp);
	diag_set_stream(cap_fp);
	diag_reset();
}

static const char *
cap_text(void)
{
	fflush(cap_fp);
	return cap_buf != NULL ? cap_buf : "";
}

static void
cap_stop(void)
{
	if (cap_fp != NULL)
		fclose(cap_fp);
	free(cap_buf);
	cap_fp = NULL;
	cap_buf = NULL;
	cap_len = 0;
	diag_set_stream(NULL);
}

static char	 tmpdir[] = "/tmp/check_layout.XXXXXX";
static char	*tmpfiles[64];
static size_t	 ntmpfiles;

/* Write a file in the test's directory; the path lives until main ends. */
static const char *
write_tmp(const char *name, const char *content)
{
	char	*path;
	FILE	*fp;

	xasprintf(&path, "%s/%s", tmpdir, name);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(content, fp);
	ck_assert_int_eq(fclose(fp), 0);
	if (ntmpfiles < sizeof(tmpfiles) / sizeof(tmpfiles[0]))
		tmpfiles[ntmpfiles++] = path;
	return path;
}

/*
 * A layout whose lines 1-5 are fixed, line 6 is win (a window, or
 * empty) and the template's body starts on line 8.
 */
static const char *
bad_layout(const char *name, const char *win, const char *body)
{
	char		*doc;
	const char	*path;

	xasprintf(&doc,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<layout xmlns=\"urn:entpress:layout:1\" name=\"t\">\n"
	    "<page width=\"210mm\" height=\"297mm\"/>\n"
	    "<cells columns=\"1\" rows=\"1\" width=\"210mm\" "
	    "height=\"297mm\"/>\n"
	    "<fonts/>\n"
	    "%s\n"
	    "<template>\n"
	    "%s\n"
	    "</template>\n"
	    "</layout>\n", win, body);
	path = write_tmp(name, doc);
	free(doc);
	return path;
}

/* Load path, expect a refusal whose messages hold every one of want. */
static void
expect_refused(const char *path, int line, const char *want1,
    const char *want2)
{
	struct layout	*lay;
	char		 pos[512];

	cap_start();
	lay = layout_load(path);
	if (lay != NULL)
		layout_free(lay);
	ck_assert_ptr_null(lay);
	snprintf(pos, sizeof(pos), "entpress: %s:%d:", path, line);
	ck_assert_msg(strstr(cap_text(), pos) != NULL,
	    "wanted %s in: %s", pos, cap_text());
	ck_assert_msg(strstr(cap_text(), "ERROR: invalid layout: ") != NULL,
	    "no ERROR line in: %s", cap_text());
	if (want1 != NULL)
		ck_assert_msg(strstr(cap_text(), want1) != NULL,
		    "wanted \"%s\" in: %s", want1, cap_text());
	if (want2 != NULL)
		ck_assert_msg(strstr(cap_text(), want2) != NULL,
		    "wanted \"%s\" in: %s", want2, cap_text());
	ck_assert_int_eq(diag_worst(), LEVEL_ERROR);
	cap_stop();
}

/* --- walking the template ------------------------------------------ */

typedef void	 elem_fn(const struct lay_elem *, void *);

static void
walk(const struct lay_elem *v, size_t n, elem_fn *fn, void *arg)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		fn(&v[i], arg);
		walk(v[i].kids, v[i].nkids, fn, arg);
	}
}

struct find {
	const char		*text;		/* a substring */
	unsigned int		 when;		/* exact mask, or ~0u */
	const struct lay_elem	*found;
};

static void
find_fn(const struct lay_elem *e, void *arg)
{
	struct find	*f = arg;

	if (f->found == NULL && e->text != NULL &&
	    strstr(e->text, f->text) != NULL &&
	    (f->when == ~0u || e->when == f->when))
		f->found = e;
}

static const struct lay_elem *
find_text(const struct layout *lay, const char *text, unsigned int when)
{
	struct find	 f = { text, when, NULL };

	walk(lay->elems, lay->nelems, find_fn, &f);
	return f.found;
}

/* Every {field} of every text is known: the layouts and compose agree. */
static void
fields_fn(const struct lay_elem *e, void *arg)
{
	const char	*p, *q;
	int		*count = arg;

	if (e->text == NULL)
		return;
	for (p = e->text; (p = strchr(p, '{')) != NULL; p = q + 1) {
		q = strchr(p, '}');
		ck_assert_ptr_nonnull(q);
		ck_assert_msg(layout_field_known(p + 1, (size_t)(q - p - 1)),
		    "line %u: field %.*s", e->line_no, (int)(q - p + 1), p);
		(*count)++;
	}
}

/* --- the shipped layouts ------------------------------------------ */

START_TEST(test_letter)
{
	struct layout		*lay;
	const struct lay_elem	*e;
	int			 nfields = 0;

	cap_start();
	ck_assert_ptr_nonnull(lay = layout_load("letter"));
	ck_assert_str_eq(cap_text(), "");
	cap_stop();
	ck_assert_str_eq(lay->name, "letter");
	ck_assert_ptr_nonnull(strstr(lay->path, "layouts/letter.xml"));
	ck_assert_int_eq(lay->page_width, PG_MM(210));
	ck_assert_int_eq(lay->page_height, PG_MM(297));
	ck_assert_int_eq(lay->duplex, 1);
	ck_assert_int_eq(lay->columns, 1);
	ck_assert_int_eq(lay->rows, 1);
	ck_assert_int_eq(lay->cell_width, PG_MM(210));
	ck_assert_int_eq(lay->cell_height, PG_MM(297));
	ck_assert_int_eq(lay->grid_left, 0);
	ck_assert_int_eq(lay->grid_top, 0);
	ck_assert_int_eq(lay->cut, 0);
	ck_assert_int_eq(lay->font_regular, FONT_HELVETICA);
	ck_assert_int_eq(lay->font_bold, FONT_HELVETICA_BOLD);
	ck_assert_int_eq(lay->font_mono, FONT_COURIER_BOLD);

	/* The NF window: 100 x 45 mm, 35 mm down, 10 mm from the right. */
	ck_assert_int_eq(lay->window.present, 1);
	ck_assert_int_eq(lay->window.left, PG_MM(100));
	ck_assert_int_eq(lay->window.top, PG_MM(35));
	ck_assert_int_eq(lay->window.width, PG_MM(100));
	ck_assert_int_eq(lay->window.height, PG_MM(45));
	ck_assert_int_eq(lay->page_width - lay->window.left -
	    lay->window.width, PG_MM(10));
	ck_assert_int_eq(lay->window.indent, PG_MM(5));
	ck_assert_int_eq(lay->window.font, FONT_HELVETICA);
	ck_assert_int_eq(lay->window.size, PG_PT(9));
	ck_assert_int_eq(lay->window.leading, PG_PT(11));
	ck_assert_int_eq(lay->window.return_size, PG_PT(7));

	ck_assert_int_eq(lay->folds.present, 1);
	ck_assert_uint_eq(lay->folds.nat, 2);
	ck_assert_int_eq(lay->folds.at[0], PG_MM(99));
	ck_assert_int_eq(lay->folds.at[1], PG_MM(198));
	ck_assert_int_eq(lay->folds.punch, PG_MM(148.5));
	ck_assert_int_eq(lay->folds.left, PG_MM(3.5));
	ck_assert_int_eq(lay->folds.length, PG_MM(2));
	ck_assert_int_eq(lay->folds.line, PG_PT(0.2));

	/* The school at 15 mm, in bold 11 pt. */
	ck_assert_ptr_nonnull(e = find_text(lay, "{school_name}", 0));
	ck_assert_int_eq(e->kind, LAY_TEXT);
	ck_assert_int_eq(e->top, PG_MM(15));
	ck_assert_int_eq(e->font, FONT_HELVETICA_BOLD);
	ck_assert_int_eq(e->size, PG_PT(11));
	ck_assert_int_eq(e->leading, PG_PT(13.2));

	/* Place and date on the right at 99 mm. */
	ck_assert_ptr_nonnull(e = find_text(lay, "{place_date}", ~0u));
	ck_assert_int_eq(e->top, PG_MM(99));
	ck_assert_int_eq(e->align, ALIGN_RIGHT);

	/* The account box: login and code in Courier-Bold 14 pt. */
	ck_assert_ptr_nonnull(e = find_text(lay, "{code_grouped}", ~0u));
	ck_assert_int_eq(e->kind, LAY_PARA);
	ck_assert_int_eq(e->font, FONT_COURIER_BOLD);
	ck_assert_int_eq(e->size, PG_PT(14));
	ck_assert_ptr_nonnull(e = find_text(lay, "{login}", ~0u));
	ck_assert_int_eq(e->font, FONT_COURIER_BOLD);
	/* Inside a frame: the width left by padding and line. */
	ck_assert_int_eq(e->width, PG_MM(170) - 2 * (PG_MM(2.5) + PG_PT(0.8)));

	/* The subject follows the number of children. */
	ck_assert_ptr_nonnull(find_text(lay, "de votre enfant",
	    WHEN_PARENT | WHEN_ONE_CHILD));
	ck_assert_ptr_nonnull(find_text(lay, "de vos enfants",
	    WHEN_PARENT | WHEN_CHILDREN));
	ck_assert_ptr_nonnull(find_text(lay, "{replaces}", WHEN_REISSUE));
	ck_assert_ptr_nonnull(find_text(lay, "{contact}", ~0u));
	ck_assert_ptr_nonnull(find_text(lay, "{serial}", ~0u));
	ck_assert_ptr_nonnull(find_text(lay, "{page_label}", ~0u));
	ck_assert_ptr_nonnull(find_text(lay, "ne pas diffuser", ~0u));

	walk(lay->elems, lay->nelems, fields_fn, &nfields);
	ck_assert_int_gt(nfields, 20);
	layout_free(lay);
}
END_TEST

START_TEST(test_halfsheet)
{
	struct layout	*lay;
	int		 nfields = 0;

	ck_assert_ptr_nonnull(lay = layout_load("halfsheet"));
	ck_assert_int_eq(lay->columns, 1);
	ck_assert_int_eq(lay->rows, 2);
	ck_assert_int_eq(lay->cell_width, PG_MM(210));
	ck_assert_int_eq(lay->cell_height, PG_MM(148.5));
	ck_assert_int_eq(lay->rows * lay->cell_height, lay->page_height);
	ck_assert_int_eq(lay->cut, 2);
	ck_assert_int_eq(lay->window.present, 0);
	ck_assert_int_eq(lay->folds.present, 0);
	ck_assert_int_eq(lay->duplex, 0);
	ck_assert_ptr_nonnull(find_text(lay, "{code_grouped}", ~0u));
	walk(lay->elems, lay->nelems, fields_fn, &nfields);
	ck_assert_int_gt(nfields, 10);
	layout_free(lay);
}
END_TEST

START_TEST(test_cards)
{
	struct layout		*lay;
	const struct lay_elem	*e;
	int			 nfields = 0;

	ck_assert_ptr_nonnull(lay = layout_load(TEST_SRCDIR
	    "/layouts/cards.xml"));
	ck_assert_str_eq(lay->name, "cards");
	ck_assert_int_eq(lay->columns * lay->rows, 8);
	ck_assert_int_eq(lay->columns, 2);
	ck_assert_int_eq(lay->cell_width, PG_MM(85));
	ck_assert_int_eq(lay->cell_height, PG_MM(60));
	ck_assert_int_eq(lay->cut, 2);
	ck_assert_int_eq(lay->window.present, 0);
	/* Centred on the sheet, to the rounding of one unit. */
	ck_assert_int_le(abs(2 * lay->grid_left + 2 * lay->cell_width -
	    lay->page_width), 2);
	ck_assert_int_le(abs(2 * lay->grid_top + 4 * lay->cell_height -
	    lay->page_height), 2);
	ck_assert_ptr_nonnull(e = find_text(lay, "{code_grouped}", ~0u));
	ck_assert_int_eq(e->font, FONT_COURIER_BOLD);
	ck_assert_ptr_nonnull(find_text(lay, "{serial}", ~0u));
	ck_assert_ptr_nonnull(find_text(lay, "{ent_url}", ~0u));
	walk(lay->elems, lay->nelems, fields_fn, &nfields);
	ck_assert_int_gt(nfields, 5);
	layout_free(lay);
}
END_TEST

/* --- a rough measure of the letters -------------------------------- */

/* Long but plausible values, the worst a real letter meets. */
static const struct {
	const char	*name, *value;
} samples[] = {
	{ "school_name",	"Collège des Trois Rivières" },
	{ "school_address",	"27 rue des Trois Rivières, 69100 Villeurbanne" },
	{ "school_city",	"Villeurbanne" },
	{ "ent_url",		"https://ent.trois-rivieres.example.org" },
	{ "contact",		"le secrétariat du collège au 04 65 71 90 00" },
	{ "signature",		"Le principal, Marc-Antoine Garnier" },
	{ "date",		"30 septembre 2026" },
	{ "place_date",		"Villeurbanne, le 30 septembre 2026" },
	{ "serial",		"2026-0699990Z-000123" },
	{ "valid_until",	"30 septembre 2026" },
	{ "replaces",		"2026-0699990Z-000042" },
	{ "recipients",		"Hélène ROUSSEL-DUMONTEIL et Jérôme "
				"ROUSSEL-DUMONTEIL" },
	{ "classes",		"3A, 4A, 6B" },
	{ "page_label",		"MAIL-00123" },
	{ "class",		"2NDE10" },
	{ "first_name",		"Marie-Héloïse" },
	{ "last_name",		"DE LA VERNÈDE" },
	{ "full_name",		"Marie-Héloïse DE LA VERNÈDE" },
	{ "title",		"Mme" },
	{ "login",		"marieheloise.delavernede" },
	{ "code",		"k7Tm9qRw" },
	{ "code_grouped",	"k7Tm 9qRw" },
	{ "profile_word",	"enseignant" },
};

struct est {
	unsigned int	 have;		/* WHEN_* of the letter */
	int		 naccounts, nchildren;
	struct glyphs	 g;
	struct buf	 b;
};

static int
est_holds(unsigned int cond, unsigned int have)
{
	if (cond == 0)
		return 1;
	if ((cond & WHEN_PROFILES) != 0 && (cond & have & WHEN_PROFILES) == 0)
		return 0;
	return (cond & ~WHEN_PROFILES & ~have) == 0;
}

static void
est_expand(struct est *x, const char *t)
{
	const char	*p, *q;
	size_t		 i;

	buf_reset(&x->b);
	buf_adds(&x->b, "");
	for (p = t; *p != '\0'; p++) {
		if (*p != '{' || (q = strchr(p, '}')) == NULL) {
			buf_addc(&x->b, *p);
			continue;
		}
		for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
			if (strlen(samples[i].name) == (size_t)(q - p - 1) &&
			    memcmp(samples[i].name, p + 1, q - p - 1) == 0)
				buf_adds(&x->b, samples[i].value);
		p = q;
	}
}

/* Lines of a paragraph broken as compose breaks them. */
static int
est_lines(struct est *x, const struct lay_elem *e, pg_unit width)
{
	size_t	 start, next;
	int	 lines = 0;
	int32_t	 maxw;

	est_expand(x, e->text);
	glyphs_reset(&x->g);
	text_encode(&x->g, x->b.p, NULL);
	maxw = (int32_t)((int64_t)width * 1000 / e->size);
	/* text_fit's next counts from where the line starts. */
	for (start = 0; start < x->g.n; start += next) {
		text_fit(e->font, x->g.g + start, x->g.n - start, maxw, &next);
		lines++;
		if (next == 0)
			break;
	}
	return lines > 0 ? lines : 1;
}

static pg_unit
est_elems(struct est *x, const struct lay_elem *v, size_t n, pg_unit width)
{
	pg_unit	 h = 0;
	size_t	 i;
	int	 k, times;

	for (i = 0; i < n; i++) {
		if (!est_holds(v[i].when, x->have))
			continue;
		switch (v[i].kind) {
		case LAY_PARA:
			h += v[i].space_before +
			    est_lines(x, &v[i], width) * v[i].leading;
			break;
		case LAY_FRAME:
			h += v[i].space_before + 2 * v[i].padding +
			    est_elems(x, v[i].kids, v[i].nkids,
			    width - 2 * v[i].padding);
			break;
		case LAY_EACH:
			times = v[i].each == EACH_ACCOUNT ? x->naccounts :
			    x->nchildren;
			for (k = 0; k < times; k++)
				h += est_elems(x, v[i].kids, v[i].nkids, width);
			break;
		case LAY_GAP:
			h += v[i].size;
			break;
		default:
			break;
		}
	}
	return h;
}

/*
 * Every flow of the layout fits above its bottom for this letter, with
 * half a line to spare (when must_fit); single texts fit their box.
 */
static void
check_fits(const char *name, unsigned int have, int naccounts,
    int nchildren, int must_fit)
{
	struct layout		*lay;
	const struct lay_elem	*e;
	struct est		 x;
	pg_unit			 h, room, w;
	size_t			 i;

	ck_assert_ptr_nonnull(lay = layout_load(name));
	memset(&x, 0, sizeof(x));
	x.have = have;
	x.naccounts = naccounts;
	x.nchildren = nchildren;
	glyphs_init(&x.g);
	buf_init(&x.b);
	for (i = 0; i < lay->nelems; i++) {
		e = &lay->elems[i];
		if (!est_holds(e->when, have))
			continue;
		if (e->kind == LAY_TEXT) {
			est_expand(&x, e->text);
			glyphs_reset(&x.g);
			text_encode(&x.g, x.b.p, NULL);
			w = (pg_unit)((int64_t)text_width(e->font, x.g.g,
			    x.g.n) * e->size / 1000);
			room = e->width > 0 ? e->width :
			    lay->cell_width - e->left - PG_MM(5);
			ck_assert_msg(w <= room, "%s line %u: text %.1fmm in "
			    "%.1fmm", name, e->line_no, w * 25.4 / 72000,
			    room * 25.4 / 72000);
			continue;
		}
		if (e->kind != LAY_FLOW)
			continue;
		h = est_elems(&x, e->kids, e->nkids, e->width);
		room = (e->height > 0 ? e->height : lay->cell_height -
		    lay->margin) - e->top;
		printf("%s, when %#x, %d account(s), %d child(ren): flow at "
		    "line %u takes %.1fmm of %.1fmm\n", name, have, naccounts,
		    nchildren, e->line_no, h * 25.4 / 72000,
		    room * 25.4 / 72000);
		if (must_fit)
			ck_assert_msg(h + PG_PT(6) <= room, "%s: flow at line "
			    "%u needs %.1fmm, has %.1fmm", name, e->line_no,
			    h * 25.4 / 72000, room * 25.4 / 72000);
	}
	glyphs_free(&x.g);
	buf_free(&x.b);
	layout_free(lay);
}

START_TEST(test_letters_fit)
{
	/* The fullest parents' letter: one page, or no envelope. */
	check_fits("letter", WHEN_PARENT | WHEN_POSTED | WHEN_SEVERAL |
	    WHEN_CHILDREN | WHEN_REISSUE, 2, 3, 1);
	/* Three guardians may take a second sheet (handed out). */
	check_fits("letter", WHEN_PARENT | WHEN_HANDED | WHEN_SEVERAL |
	    WHEN_CHILDREN, 3, 3, 0);
	check_fits("letter", WHEN_PARENT | WHEN_POSTED | WHEN_ONE |
	    WHEN_ONE_CHILD, 1, 1, 1);
	check_fits("letter", WHEN_STUDENT | WHEN_HANDED | WHEN_ONE |
	    WHEN_REISSUE, 1, 0, 1);
	check_fits("letter", WHEN_TEACHER | WHEN_HANDED | WHEN_ONE, 1, 0, 1);
	check_fits("letter", WHEN_STAFF | WHEN_HANDED | WHEN_ONE, 1, 0, 1);
	check_fits("letter", WHEN_GUEST | WHEN_POSTED | WHEN_ONE, 1, 0, 1);
	/* Half sheets and cards have no second page to go on to. */
	check_fits("halfsheet", WHEN_STUDENT | WHEN_HANDED | WHEN_ONE |
	    WHEN_REISSUE, 1, 0, 1);
	check_fits("halfsheet", WHEN_TEACHER | WHEN_HANDED | WHEN_ONE, 1, 0, 1);
	check_fits("halfsheet", WHEN_PARENT | WHEN_HANDED | WHEN_SEVERAL |
	    WHEN_CHILDREN | WHEN_REISSUE, 2, 3, 1);
	check_fits("cards", WHEN_PARENT | WHEN_HANDED | WHEN_ONE, 1, 1, 1);
	check_fits("cards", WHEN_STUDENT | WHEN_HANDED | WHEN_ONE, 1, 0, 1);
	check_fits("cards", WHEN_TEACHER | WHEN_HANDED | WHEN_ONE, 1, 0, 1);
}
END_TEST

/* --- lookup and defaults ------------------------------------------- */

START_TEST(test_lookup)
{
	cap_start();
	ck_assert_ptr_null(layout_load("nosuch"));
	ck_assert_ptr_nonnull(strstr(cap_text(),
	    "entpress: nosuch: ERROR: invalid layout: no such layout in "));
	cap_stop();

	cap_start();
	ck_assert_ptr_null(layout_load("a b"));
	ck_assert_ptr_nonnull(strstr(cap_text(), "a layout name has only"));
	cap_stop();

	/* A path is a path: no lookup, a missing file is a system error. */
	cap_start();
	ck_assert_ptr_null(layout_load("./letter"));
	ck_assert_ptr_nonnull(strstr(cap_text(),
	    "entpress: ./letter: SYSERR: cannot open"));
	ck_assert_int_eq(diag_worst(), LEVEL_SYSERR);
	cap_stop();

	cap_start();
	ck_assert_ptr_null(layout_load("letter-nosuch.xml"));
	ck_assert_ptr_nonnull(strstr(cap_text(), "cannot open"));
	cap_stop();
}
END_TEST

START_TEST(test_defaults)
{
	struct layout		*lay;
	const struct lay_elem	*f, *p;
	const char		*path;

	path = bad_layout("defaults.xml", "",
	    "<text left=\"10mm\" top=\"10mm\">a</text>\n"
	    "<flow left=\"20mm\" top=\"30mm\" width=\"100mm\" size=\"9pt\">\n"
	    " <p>b\n   c\t d </p>\n"
	    " <p size=\"12pt\" font=\"bold\">e</p>\n"
	    " <p font=\"Times-Roman\" align=\"center\">{{x}} {{</p>\n"
	    " <frame><p>f</p></frame>\n"
	    " <gap size=\"4.5mm\"/>\n"
	    "</flow>\n"
	    "<flow left=\"20mm\" top=\"150mm\" width=\"100mm\" "
	    "leading=\"11pt\" bottom=\"200mm\"><p>g</p></flow>\n"
	    "<rule left=\"0mm\" top=\"0.1mm\" width=\"210mm\"/>\n"
	    "<box left=\"1pt\" top=\"2pt\" width=\"3pt\" height=\"4pt\" "
	    "dash=\"2pt\"/>");
	cap_start();
	ck_assert_ptr_nonnull(lay = layout_load(path));
	ck_assert_str_eq(cap_text(), "");
	cap_stop();
	ck_assert_int_eq(lay->margin, PG_MM(15));
	ck_assert_int_eq(lay->duplex, 0);
	ck_assert_int_eq(lay->cut, 0);
	ck_assert_int_eq(lay->window.present, 0);
	ck_assert_int_eq(lay->folds.present, 0);
	ck_assert_uint_eq(lay->nelems, 5);

	p = &lay->elems[0];
	ck_assert_int_eq(p->kind, LAY_TEXT);
	ck_assert_int_eq(p->font, FONT_HELVETICA);
	ck_assert_int_eq(p->size, PG_PT(10));
	ck_assert_int_eq(p->leading, PG_PT(12));
	ck_assert_int_eq(p->width, 0);
	ck_assert_uint_eq(p->line_no, 8);

	f = &lay->elems[1];
	ck_assert_int_eq(f->kind, LAY_FLOW);
	ck_assert_int_eq(f->height, 0);
	ck_assert_uint_eq(f->nkids, 5);
	p = &f->kids[0];
	ck_assert_str_eq(p->text, "b c d");
	ck_assert_int_eq(p->size, PG_PT(9));
	ck_assert_int_eq(p->leading, PG_PT(10.8));
	ck_assert_int_eq(p->width, PG_MM(100));
	ck_assert_int_eq(p->align, ALIGN_LEFT);
	p = &f->kids[1];
	ck_assert_int_eq(p->size, PG_PT(12));
	ck_assert_int_eq(p->leading, PG_PT(14.4));
	ck_assert_int_eq(p->font, FONT_HELVETICA_BOLD);
	p = &f->kids[2];
	ck_assert_int_eq(p->font, FONT_TIMES_ROMAN);
	ck_assert_int_eq(p->align, ALIGN_CENTER);
	p = &f->kids[3];
	ck_assert_int_eq(p->kind, LAY_FRAME);
	ck_assert_int_eq(p->padding, PG_MM(3));
	ck_assert_int_eq(p->line, PG_PT(0.5));
	ck_assert_int_eq(p->kids[0].width,
	    PG_MM(100) - 2 * (PG_MM(3) + PG_PT(0.5)));
	ck_assert_int_eq(p->kids[0].size, PG_PT(9));
	p = &f->kids[4];
	ck_assert_int_eq(p->kind, LAY_GAP);
	ck_assert_int_eq(p->size, PG_MM(4.5));

	f = &lay->elems[2];
	ck_assert_int_eq(f->height, PG_MM(200));
	ck_assert_int_eq(f->kids[0].leading, PG_PT(11));
	ck_assert_int_eq(f->kids[0].size, PG_PT(10));

	ck_assert_int_eq(lay->elems[3].kind, LAY_RULE);
	ck_assert_int_eq(lay->elems[3].line, PG_PT(0.5));
	ck_assert_int_eq(lay->elems[3].top, 283);	/* 0.1 mm */
	ck_assert_int_eq(lay->elems[4].kind, LAY_BOX);
	ck_assert_int_eq(lay->elems[4].left, 1000);
	ck_assert_int_eq(lay->elems[4].height, 4000);
	ck_assert_int_eq(lay->elems[4].dash, 2000);
	layout_free(lay);
}
END_TEST

START_TEST(test_fields)
{
	ck_assert(layout_field_known("login", 5));
	ck_assert(layout_field_known("login}", 5));
	ck_assert(layout_field_known("code_grouped", 12));
	ck_assert(layout_field_known("page_label", 10));
	ck_assert(!layout_field_known("log", 3));
	ck_assert(!layout_field_known("password", 8));
	ck_assert(!layout_field_known("", 0));
	ck_assert(!layout_field_known("Login", 5));
}
END_TEST

/* --- refused layouts ------------------------------------------------ */

START_TEST(test_bad_element)
{
	expect_refused(bad_layout("elem.xml", "",
	    "<frobnicate/>"), 8, "frobnicate", NULL);
}
END_TEST

START_TEST(test_bad_length)
{
	expect_refused(bad_layout("length.xml", "",
	    "<text left=\"12km\" top=\"3mm\">x</text>"), 8,
	    "left=\"12km\" is not a length", NULL);
	expect_refused(bad_layout("length2.xml", "",
	    "<text left=\"12 mm\" top=\"3mm\">x</text>"), 8, "12 mm", NULL);
	expect_refused(bad_layout("length3.xml",
	    "<foldmarks at=\"99mm 19 8mm\"/>", "<text left=\"1mm\" "
	    "top=\"3mm\">x</text>"), 6, "at=\"99mm 19 8mm\"", NULL);
}
END_TEST

START_TEST(test_bad_font)
{
	expect_refused(bad_layout("font.xml", "",
	    "<text left=\"1mm\" top=\"3mm\" font=\"Comic-Sans\">x</text>"), 8,
	    "unknown font font=\"Comic-Sans\"", NULL);
	expect_refused(bad_layout("font2.xml",
	    "<window left=\"100mm\" top=\"35mm\" width=\"100mm\" "
	    "height=\"45mm\" font=\"Arial\"/>", ""), 6, "\"Arial\"", NULL);
}
END_TEST

START_TEST(test_bad_field)
{
	expect_refused(bad_layout("field.xml", "",
	    "<text left=\"1mm\" top=\"3mm\">Mot de passe : {password}</text>"),
	    8, "unknown field {password}", NULL);
	expect_refused(bad_layout("field2.xml", "",
	    "<flow left=\"1mm\" top=\"3mm\" width=\"100mm\">\n"
	    "<each of=\"children\"><p>{full_name} {login}</p></each>\n"
	    "</flow>"), 9, "field {login} cannot be used inside <each "
	    "of=\"children\">", NULL);
	expect_refused(bad_layout("field3.xml", "",
	    "<text left=\"1mm\" top=\"3mm\">Bonjour {first_name</text>"), 8,
	    "unterminated field {first_name", NULL);
	expect_refused(bad_layout("field4.xml", "",
	    "<text left=\"1mm\" top=\"3mm\">a } b</text>"), 8, "} without {",
	    NULL);
}
END_TEST

START_TEST(test_bad_geometry)
{
	expect_refused(bad_layout("window.xml",
	    "<window left=\"150mm\" top=\"35mm\" width=\"100mm\" "
	    "height=\"45mm\"/>", ""), 6, "is not inside the 210.0mm x "
	    "297.0mm cell", NULL);
	expect_refused(bad_layout("text.xml", "",
	    "<text left=\"1mm\" top=\"1mm\">ok</text>\n"
	    "<text left=\"1mm\" top=\"296mm\">x</text>"), 9,
	    "outside the 210.0mm x 297.0mm cell", NULL);
	expect_refused(bad_layout("flow.xml", "",
	    "<flow left=\"20mm\" top=\"30mm\" width=\"191mm\"/>"), 8,
	    "<flow> reaches 211.0mm", NULL);
	expect_refused(bad_layout("box.xml", "",
	    "<box left=\"20mm\" top=\"30mm\" width=\"10mm\" "
	    "height=\"300mm\"/>"), 8, "<box>", NULL);
	expect_refused(bad_layout("align.xml", "",
	    "<text left=\"1mm\" top=\"3mm\" align=\"right\">x</text>"), 8,
	    "needs a width", NULL);
	expect_refused(bad_layout("nested.xml", "",
	    "<flow left=\"1mm\" top=\"3mm\" width=\"100mm\">\n"
	    "<each of=\"accounts\"><frame>\n"
	    "<each of=\"children\"><p>x</p></each>\n"
	    "</frame></each></flow>"), 10, "<each> inside an <each>", NULL);
}
END_TEST

START_TEST(test_bad_cells)
{
	const char	*path;

	path = write_tmp("cells.xml",
	    "<?xml version=\"1.0\"?>\n"
	    "<layout xmlns=\"urn:entpress:layout:1\" name=\"t\">\n"
	    "<page width=\"210mm\" height=\"297mm\"/>\n"
	    "<cells columns=\"3\" rows=\"4\" width=\"80mm\" height=\"60mm\"/>\n"
	    "<fonts/>\n"
	    "<template/>\n"
	    "</layout>\n");
	expect_refused(path, 4, "3 x 4 cells of 80.0mm x 60.0mm do not fit",
	    NULL);
	path = write_tmp("version.xml",
	    "<?xml version=\"1.0\"?>\n"
	    "<layout xmlns=\"urn:entpress:layout:1\" name=\"t\" "
	    "version=\"2\">\n"
	    "<page width=\"210mm\" height=\"297mm\"/>\n"
	    "<cells columns=\"1\" rows=\"1\" width=\"80mm\" height=\"60mm\"/>\n"
	    "<fonts/>\n"
	    "<template/>\n"
	    "</layout>\n");
	expect_refused(path, 2, "layout version 2", NULL);
	/* Not a layout at all: the school file. */
	expect_refused(TEST_SRCDIR "/fixtures/school.xml", 8,
	    "layout", NULL);
	/* Not well-formed. */
	expect_refused(write_tmp("wf.xml", "<?xml version=\"1.0\"?>\n"
	    "<layout xmlns=\"urn:entpress:layout:1\">\n<page>\n</layout>\n"),
	    4, "mismatch", NULL);
}
END_TEST

/* tmpl with every @SECRET@ replaced by val. */
static char *
subst(const char *tmpl, const char *val)
{
	struct buf	 b;
	const char	*p, *q;

	buf_init(&b);
	for (p = tmpl; (q = strstr(p, "@SECRET@")) != NULL; p = q + 8) {
		buf_add(&b, p, (size_t)(q - p));
		buf_adds(&b, val);
	}
	buf_adds(&b, p);
	return b.p;
}

/*
 * A DOCTYPE is refused whatever it holds, and whatever its entities
 * point at never reaches a message.
 */
START_TEST(test_doctype)
{
	const char	*secret, *path;
	char		*doc;
	struct layout	*lay;
	static const char *const bodies[] = {
		/* general entity in content */
		"<!DOCTYPE layout [\n<!ENTITY xxe SYSTEM \"file://@SECRET@\">\n]>\n"
		"<layout xmlns=\"urn:entpress:layout:1\" name=\"t\">\n"
		"<page width=\"210mm\" height=\"297mm\"/>\n"
		"<cells columns=\"1\" rows=\"1\" width=\"210mm\" "
		"height=\"297mm\"/><fonts/><template>\n"
		"<text left=\"1mm\" top=\"1mm\">&xxe;</text>\n"
		"</template></layout>\n",
		/* in an attribute value */
		"<!DOCTYPE layout [\n<!ENTITY xxe SYSTEM \"@SECRET@\">\n]>\n"
		"<layout xmlns=\"urn:entpress:layout:1\" name=\"&xxe;\">\n"
		"<page width=\"210mm\" height=\"297mm\"/>\n"
		"<cells columns=\"1\" rows=\"1\" width=\"210mm\" "
		"height=\"297mm\"/><fonts/><template/></layout>\n",
		/* parameter entity */
		"<!DOCTYPE layout [\n<!ENTITY % p SYSTEM \"@SECRET@\">\n%p;\n]>\n"
		"<layout xmlns=\"urn:entpress:layout:1\" name=\"t\">\n"
		"<page width=\"210mm\" height=\"297mm\"/>\n"
		"<cells columns=\"1\" rows=\"1\" width=\"210mm\" "
		"height=\"297mm\"/><fonts/><template/></layout>\n",
		/* external DTD */
		"<!DOCTYPE layout SYSTEM \"@SECRET@\">\n"
		"<layout xmlns=\"urn:entpress:layout:1\" name=\"t\">\n"
		"<page width=\"210mm\" height=\"297mm\"/>\n"
		"<cells columns=\"1\" rows=\"1\" width=\"210mm\" "
		"height=\"297mm\"/><fonts/><template/></layout>\n",
		/* entity expansion bomb */
		"<!DOCTYPE layout [\n<!-- @SECRET@ -->\n"
		"<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
		"<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
		"<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
		"]>\n"
		"<layout xmlns=\"urn:entpress:layout:1\" name=\"&h;\">\n"
		"<page width=\"210mm\" height=\"297mm\"/>\n"
		"<cells columns=\"1\" rows=\"1\" width=\"210mm\" "
		"height=\"297mm\"/><fonts/><template><text left=\"1mm\" "
		"top=\"1mm\">&h;</text></template></layout>\n",
	};
	char		 name[32];
	size_t		 i;

	secret = write_tmp("secret.txt", "TOPSECRET-4242\n");
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		doc = subst(bodies[i], secret);
		snprintf(name, sizeof(name), "doctype%zu.xml", i);
		path = write_tmp(name, doc);
		free(doc);
		cap_start();
		lay = layout_load(path);
		ck_assert_ptr_null(lay);
		ck_assert_msg(strstr(cap_text(), "TOPSECRET") == NULL,
		    "case %zu leaks: %s", i, cap_text());
		ck_assert_msg(strstr(cap_text(), "ERROR: invalid layout") !=
		    NULL, "case %zu: %s", i, cap_text());
		ck_assert_int_eq(diag_worst(), LEVEL_ERROR);
		cap_stop();
	}
	/* The plain case says why, at the DOCTYPE's line. */
	path = write_tmp("doctype-plain.xml", "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE layout [\n<!ENTITY x \"y\">\n]>\n"
	    "<layout xmlns=\"urn:entpress:layout:1\" name=\"t\">\n"
	    "<page width=\"210mm\" height=\"297mm\"/>\n"
	    "<cells columns=\"1\" rows=\"1\" width=\"210mm\" "
	    "height=\"297mm\"/><fonts/><template/></layout>\n");
	expect_refused(path, 2, "DOCTYPE not allowed", NULL);
}
END_TEST

/* --- school files --------------------------------------------------- */

START_TEST(test_school_demo)
{
	struct school_file		 sf;
	const struct school_info	*s;

	cap_start();
	ck_assert_int_eq(school_file_load(&sf,
	    TEST_SRCDIR "/fixtures/school.xml"), 0);
	ck_assert_str_eq(cap_text(), "");
	cap_stop();
	ck_assert_uint_eq(sf.n, 1);
	ck_assert_ptr_nonnull(s = school_file_find(&sf, "0699990Z"));
	ck_assert_ptr_eq(school_file_find(&sf, "0699990z"), s);
	ck_assert_ptr_null(school_file_find(&sf, "0699991A"));
	ck_assert_ptr_null(school_file_find(NULL, "0699990Z"));
	ck_assert_str_eq(s->uai, "0699990Z");
	ck_assert_str_eq(s->name, "Collège des Trois Rivières");
	ck_assert_str_eq(s->address[0], "27 rue des Trois Rivières");
	ck_assert_ptr_null(s->address[1]);
	ck_assert_str_eq(s->postcode, "69100");
	ck_assert_str_eq(s->city, "Villeurbanne");
	ck_assert_str_eq(s->place, "Villeurbanne");
	ck_assert_str_eq(s->ent_url, "https://ent.trois-rivieres.example.org");
	ck_assert_ptr_nonnull(s->contact);
	ck_assert_ptr_nonnull(s->signature);
	ck_assert_ptr_nonnull(strstr(s->return_address, "69100"));
	ck_assert_str_eq(s->phone, "04 65 71 90 00");
	ck_assert_ptr_nonnull(s->mail);
	school_file_free(&sf);
	ck_assert_uint_eq(sf.n, 0);
	school_file_free(&sf);		/* twice is harmless */
}
END_TEST

static const char *
school_doc(const char *name, const char *uai2, int with_url)
{
	char		*doc;
	const char	*path;

	xasprintf(&doc,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<schools xmlns=\"urn:entpress:school:1\">\n"
	    "<school uai=\"0699990Z\">\n"
	    "<name>Collège</name>\n"
	    "<address><line>1 rue A</line><line>Bât. B</line></address>\n"
	    "<postcode>69100</postcode><city>Villeurbanne</city>\n"
	    "<place>Villeurbanne</place>\n"
	    "%s"
	    "<contact>le secrétariat</contact>\n"
	    "<signature>La principale</signature>\n"
	    "<return-address>Collège, 69100 Villeurbanne</return-address>\n"
	    "</school>\n"
	    "%s%s%s"
	    "</schools>\n",
	    with_url ? "<ent-url>https://ent.example.org</ent-url>\n" : "",
	    uai2 != NULL ? "<school uai=\"" : "",
	    uai2 != NULL ? uai2 : "",
	    uai2 != NULL ? "\"><name>Lycée</name><address><line>2 rue B"
	    "</line></address><postcode>69001</postcode><city>Lyon</city>"
	    "<place>Lyon</place><ent-url>https://ent.example.net</ent-url>"
	    "<contact>l'accueil</contact><signature>Le proviseur"
	    "</signature><return-address>Lycée, 69001 Lyon</return-address>"
	    "<phone>04 65 71 90 01</phone></school>\n" : "");
	path = write_tmp(name, doc);
	free(doc);
	return path;
}

START_TEST(test_school_files)
{
	struct school_file	 sf;
	const char		*path;
	char			 pos[512];

	/* Two schools. */
	path = school_doc("two.xml", "0691234A", 1);
	ck_assert_int_eq(school_file_load(&sf, path), 0);
	ck_assert_uint_eq(sf.n, 2);
	ck_assert_str_eq(school_file_find(&sf, "0699990Z")->address[1],
	    "Bât. B");
	ck_assert_str_eq(school_file_find(&sf, "0691234A")->city, "Lyon");
	ck_assert_ptr_null(school_file_find(&sf, "0699990Z")->phone);
	school_file_free(&sf);

	/* No ent-url: the schema says where. */
	path = school_doc("nourl.xml", NULL, 0);
	cap_start();
	ck_assert_int_eq(school_file_load(&sf, path), -1);
	snprintf(pos, sizeof(pos), "entpress: %s:3:0: ERROR: invalid school "
	    "file: Expecting an element ent-url", path);
	ck_assert_msg(strstr(cap_text(), pos) != NULL, "%s", cap_text());
	ck_assert_uint_eq(sf.n, 0);
	ck_assert_ptr_null(sf.v);
	cap_stop();

	/* The same UAI twice. */
	path = school_doc("dup.xml", "0699990Z", 1);
	cap_start();
	ck_assert_int_eq(school_file_load(&sf, path), -1);
	snprintf(pos, sizeof(pos), "entpress: %s:13:0: ERROR: invalid school "
	    "file: school 0699990Z described twice", path);
	ck_assert_msg(strstr(cap_text(), pos) != NULL, "%s", cap_text());
	cap_stop();

	/* A bad UAI. */
	path = school_doc("baduai.xml", "069123A", 1);
	cap_start();
	ck_assert_int_eq(school_file_load(&sf, path), -1);
	snprintf(pos, sizeof(pos), "entpress: %s:13:", path);
	ck_assert_msg(strstr(cap_text(), pos) != NULL, "%s", cap_text());
	cap_stop();

	/* A layout is not a school file. */
	cap_start();
	ck_assert_int_eq(school_file_load(&sf,
	    TEST_SRCDIR "/layouts/cards.xml"), -1);
	ck_assert_ptr_nonnull(strstr(cap_text(), "invalid school file"));
	cap_stop();

	cap_start();
	ck_assert_int_eq(school_file_load(&sf, "/nonexistent/school.xml"),
	    -1);
	ck_assert_ptr_nonnull(strstr(cap_text(), "SYSERR: cannot open"));
	cap_stop();
}
END_TEST

static Suite *
layout_suite(void)
{
	Suite	*s = suite_create("layout");
	TCase	*tc;

	tc = tcase_create("shipped");
	tcase_add_test(tc, test_letter);
	tcase_add_test(tc, test_halfsheet);
	tcase_add_test(tc, test_cards);
	tcase_add_test(tc, test_letters_fit);
	suite_add_tcase(s, tc);

	tc = tcase_create("reader");
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_fields);
	suite_add_tcase(s, tc);

	tc = tcase_create("refused");
	tcase_add_test(tc, test_bad_element);
	tcase_add_test(tc, test_bad_length);
	tcase_add_test(tc, test_bad_font);
	tcase_add_test(tc, test_bad_field);
	tcase_add_test(tc, test_bad_geometry);
	tcase_add_test(tc, test_bad_cells);
	tcase_add_test(tc, test_doctype);
	suite_add_tcase(s, tc);

	tc = tcase_create("school");
	tcase_add_test(tc, test_school_demo);
	tcase_add_test(tc, test_school_files);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner		*sr;
	DIR		*dir;
	struct dirent	*de;
	char		*path;
	int		 failed;
	size_t		 i;

	diag_init("entpress");
	if (mkdtemp(tmpdir) == NULL) {
		perror(tmpdir);
		return 99;
	}
	sr = srunner_create(layout_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	text_cleanup();
	/* Forked tests registered their files in their own memory. */
	if ((dir = opendir(tmpdir)) != NULL) {
		while ((de = readdir(dir)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			xasprintf(&path, "%s/%s", tmpdir, de->d_name);
			unlink(path);
			free(path);
		}
		closedir(dir);
	}
	rmdir(tmpdir);
	for (i = 0; i < ntmpfiles; i++)
		free(tmpfiles[i]);
	return failed == 0 ? 0 : 1;
}
