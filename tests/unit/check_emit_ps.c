/*
 * check_emit_ps: the PostScript back end, byte by byte.  Pages are built
 * by hand with page.h, written through a real outw whose hook keeps a
 * copy of every byte, and the copy is examined: the DSC frame, escaping,
 * line lengths, labels, the state tracking that keeps pages small, and
 * determinism.  Ghostscript's view of the same output is in
 * tests/ps/ps-sample.sh.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "emit_ps.h"
#include "mem.h"
#include "outw.h"
#include "page.h"

/* emit_ps.c's piece length (not exported): what the test expects. */
#define STR_PIECE	200

static void
capture(void *arg, const void *p, size_t n)
{
	buf_add(arg, p, n);
}

/*
 * Write n pages with di through emit_ps and return the bytes, NUL-
 * terminated (the output is 7-bit, so no NUL of its own).  The file
 * itself is abandoned: the hook saw everything.  *ret gets the result
 * of emit_ps_end; seterr makes the writer fail before the first page.
 */
static char *
render_ex(const struct pg_docinfo *di, struct pg_page *pages, size_t n,
    int seterr, int *ret)
{
	char		 dir[] = "/tmp/check_emit_ps.XXXXXX", path[64];
	struct outw	 w;
	struct buf	 b;
	struct emit_ps	*ps;
	size_t		 i;
	int		 r = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.ps", dir);
	ck_assert_int_eq(outw_open(&w, path), 0);
	buf_init(&b);
	outw_set_hook(&w, capture, &b);
	if (seterr)
		w.err = EIO;
	ps = emit_ps_begin(&w, di);
	for (i = 0; i < n; i++)
		if (emit_ps_page(ps, &pages[i]) == -1)
			r = -1;
	if (emit_ps_end(ps) == -1)
		r = -1;
	outw_abort(&w);
	ck_assert_int_eq(rmdir(dir), 0);
	if (ret != NULL)
		*ret = r;
	buf_addc(&b, '\0');
	return b.p;
}

static char *
render(const struct pg_docinfo *di, struct pg_page *pages, size_t n)
{
	return render_ex(di, pages, n, 0, NULL);
}

static void
docinfo(struct pg_docinfo *di)
{
	memset(di, 0, sizeof(*di));
	di->title = "Lettres ENT \xe2\x80\x94 Coll\xc3\xa8ge \xc3\x89lise";
	di->creator = "entpress";
	di->date = "2026-09-01";
	di->duplex = 1;
	di->fonts_used = 1u << FONT_HELVETICA | 1u << FONT_COURIER_BOLD;
	di->encs_used = 1u;
}

static void
a4(struct pg_page *p, const char *label)
{
	pg_init(p, PG_MM(210), PG_MM(297));
	snprintf(p->label, sizeof(p->label), "%s", label);
}

static void
add_text(struct pg_page *p, enum pg_font f, const char *s, size_t len)
{
	pg_text(p, f, 0, PG_PT(10), PG_PT(72), PG_PT(700), s, len);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t		 n = 0, k = strlen(needle);
	const char	*p;

	for (p = hay; (p = strstr(p, needle)) != NULL; p += k)
		n++;
	return n;
}

static int
ends_with(const char *s, const char *end)
{
	size_t	 n = strlen(s), k = strlen(end);

	return n >= k && strcmp(s + n - k, end) == 0;
}

/*
 * The bytes shown by the string lines of a page body, "(...) x y T" and
 * "(...) S", unescaped as a PostScript interpreter reads them.
 */
static void
unescape_shown(const char *body, struct buf *out)
{
	const char	*p, *e;

	ck_assert_ptr_nonnull(body);
	for (p = body; *p != '\0'; p = e + 1) {
		e = strchr(p, '\n');
		ck_assert_ptr_nonnull(e);
		if (*p != '(')
			continue;
		while (e > p && e[-1] != ')')
			e--;
		ck_assert(e > p + 1);
		for (p++; p < e - 1; p++) {
			if (*p != '\\') {
				ck_assert(*p != '(' && *p != ')');
				buf_addc(out, *p);
			} else if (p[1] >= '0' && p[1] <= '7') {
				/* Always three digits. */
				ck_assert(p[2] >= '0' && p[2] <= '7');
				ck_assert(p[3] >= '0' && p[3] <= '7');
				buf_addc(out, (p[1] - '0') << 6 |
				    (p[2] - '0') << 3 | (p[3] - '0'));
				p += 3;
			} else {
				ck_assert(strchr("()\\", p[1]) != NULL);
				buf_addc(out, *++p);
			}
		}
		e = strchr(e, '\n');
	}
}

/* Is /name in s as a whole name, wherever the vector's lines wrap? */
static int
has_name(const char *s, const char *name)
{
	size_t		 k = strlen(name);
	const char	*p;

	for (p = s; (p = strstr(p, "/")) != NULL; p++)
		if (strncmp(p + 1, name, k) == 0 &&
		    (p[k + 1] == ' ' || p[k + 1] == '\n'))
			return 1;
	return 0;
}

/* Every line at most 255 bytes, every byte printable ASCII or newline. */
static void
assert_clean(const char *s)
{
	size_t	 col = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			col = 0;
			continue;
		}
		ck_assert_msg(*s >= ' ' && *s <= '~', "byte 0x%02x",
		    (unsigned char)*s);
		col++;
		ck_assert_msg(col <= EMIT_PS_LINEMAX, "line over %d bytes",
		    EMIT_PS_LINEMAX);
	}
}

START_TEST(test_frame)
{
	struct pg_docinfo	 di;
	struct pg_page		 p[2];
	char			*s;

	docinfo(&di);
	a4(&p[0], "4B-017");
	add_text(&p[0], FONT_HELVETICA, "Zo\xe9", 3);
	a4(&p[1], "4B-017v");
	p[1].blank = 1;
	s = render(&di, p, 2);
	ck_assert_ptr_nonnull(strstr(s, "%!PS-Adobe-3.0\n"
	    "%%Title: Lettres ENT - College Elise\n"
	    "%%Creator: entpress\n"
	    "%%CreationDate: 2026-09-01\n"
	    "%%LanguageLevel: 2\n"
	    "%%DocumentData: Clean7Bit\n"
	    "%%Orientation: Portrait\n"
	    "%%BoundingBox: 0 0 595 842\n"
	    "%%DocumentMedia: A4 595 842 80 white ()\n"
	    "%%DocumentNeededResources: font Helvetica\n"
	    "%%+ font Courier-Bold\n"
	    "%%Requirements: duplex\n"
	    "%%Pages: (atend)\n"
	    "%%PageOrder: Ascend\n"
	    "%%EndComments\n"
	    "%%BeginProlog\n"));
	ck_assert(strncmp(s, "%!PS-Adobe-3.0\n", 15) == 0);
	ck_assert_ptr_nonnull(strstr(s, "%%EndProlog\n%%BeginSetup\n"));
	ck_assert_ptr_nonnull(strstr(s, "[{\n"
	    "%%BeginFeature: *PageSize A4\n"
	    "<</PageSize [595 842] /ImagingBBox null>> setpagedevice\n"
	    "%%EndFeature\n"
	    "} stopped cleartomark\n"));
	ck_assert_ptr_nonnull(strstr(s, "[{\n"
	    "%%BeginFeature: *Duplex DuplexNoTumble\n"
	    "<</Duplex true /Tumble false>> setpagedevice\n"
	    "%%EndFeature\n"
	    "} stopped cleartomark\n"));
	ck_assert_ptr_nonnull(strstr(s, "%%IncludeResource: font Helvetica\n"
	    "/F0e0 /Helvetica V0 RE\n"
	    "%%IncludeResource: font Courier-Bold\n"
	    "/F11e0 /Courier-Bold V0 RE\n"
	    "%%EndSetup\n"
	    "%%Page: 4B-017 1\n"
	    "%%BeginPageSetup\n/pgsave save def\n%%EndPageSetup\n"));
	/* The blank verso: nothing between save and restore. */
	ck_assert_ptr_nonnull(strstr(s, "%%Page: 4B-017v 2\n"
	    "%%BeginPageSetup\n/pgsave save def\n%%EndPageSetup\n"
	    "pgsave restore showpage\n%%PageTrailer\n"));
	ck_assert_int_eq(count(s, "pgsave restore showpage\n"), 2);
	ck_assert_int_eq(count(s, "\n%%PageTrailer\n"), 2);
	ck_assert_int_eq(count(s, "showpage"), 2);
	ck_assert(ends_with(s, "showpage\n%%PageTrailer\n"
	    "%%Trailer\n%%Pages: 2\n%%EOF\n"));
	assert_clean(s);
	free(s);
	pg_free(&p[0]);
	pg_free(&p[1]);
}
END_TEST

START_TEST(test_escape)
{
	struct pg_docinfo	 di;
	struct pg_page		 p;
	char			*s;
	static const char	 bytes[] = "\x80\xe9\xff\x00\n\x1f\x7f~ ";

	docinfo(&di);
	a4(&p, "1");
	add_text(&p, FONT_HELVETICA, "a(b)c\\d", 7);
	add_text(&p, FONT_HELVETICA, ") showpage (", 12);
	add_text(&p, FONT_HELVETICA, "%!PS", 4);
	add_text(&p, FONT_HELVETICA, "\\", 1);
	add_text(&p, FONT_HELVETICA, bytes, sizeof(bytes) - 1);
	add_text(&p, FONT_HELVETICA, "\\0053", 5);
	s = render(&di, &p, 1);
	ck_assert_ptr_nonnull(strstr(s, "\n(a\\(b\\)c\\\\d) 72 700 T\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n(\\) showpage \\() 72 700 T\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n(%!PS) 72 700 T\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n(\\\\) 72 700 T\n"));
	ck_assert_ptr_nonnull(strstr(s,
	    "\n(\\200\\351\\377\\000\\012\\037\\177~ ) 72 700 T\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n(\\\\0053) 72 700 T\n"));
	/* Only the page's own showpage; the font is set once. */
	ck_assert_int_eq(count(s, "showpage\n"), 1);
	ck_assert_int_eq(count(s, " F\n"), 1);
	assert_clean(s);
	free(s);
	pg_free(&p);
}
END_TEST

/* A run far longer than a line, in the worst escaping case. */
START_TEST(test_long)
{
	struct pg_docinfo	 di;
	struct pg_page		 p;
	struct buf		 b;
	char			*s, big[3000];
	size_t			 i;

	buf_init(&b);
	docinfo(&di);
	a4(&p, "1");
	for (i = 0; i < sizeof(big); i++)
		big[i] = i % 3 == 0 ? '(' : i % 3 == 1 ? '\xe9' : 'x';
	add_text(&p, FONT_HELVETICA, big, sizeof(big));
	s = render(&di, &p, 1);
	assert_clean(s);
	/* One T, then S pieces that together hold every byte in order. */
	ck_assert_int_eq(count(s, " 72 700 T\n"), 1);
	ck_assert(count(s, ") S\n") >= 3000 * 7 / 3 / STR_PIECE);
	unescape_shown(strstr(s, "%%EndPageSetup\n"), &b);
	ck_assert_uint_eq(b.len, sizeof(big));
	ck_assert(memcmp(b.p, big, sizeof(big)) == 0);
	buf_free(&b);
	free(s);
	pg_free(&p);
}
END_TEST

START_TEST(test_pages)
{
	struct pg_docinfo	 di;
	struct pg_page		 p[5];
	char			*s, want[64];
	size_t			 i;

	docinfo(&di);
	for (i = 0; i < 5; i++) {
		a4(&p[i], "");
		if (i % 2)
			p[i].blank = 1;
		else
			add_text(&p[i], FONT_COURIER_BOLD, "k7Tm 9qRw", 9);
	}
	s = render(&di, p, 5);
	for (i = 0; i < 5; i++) {
		/* An empty label becomes the ordinal. */
		snprintf(want, sizeof(want), "\n%%%%Page: %zu %zu\n", i + 1,
		    i + 1);
		ck_assert_ptr_nonnull(strstr(s, want));
		pg_free(&p[i]);
	}
	ck_assert_int_eq(count(s, "\n%%Page: "), 5);
	ck_assert_int_eq(count(s, "pgsave restore showpage\n"), 5);
	ck_assert_ptr_nonnull(strstr(s, "\n%%Trailer\n%%Pages: 5\n%%EOF\n"));
	ck_assert_int_eq(count(s, "%%Pages:"), 2);
	/* The font is forgotten at each page: pages stand alone. */
	ck_assert_int_eq(count(s, "/F11e0 10 F\n"), 3);
	free(s);
}
END_TEST

START_TEST(test_labels)
{
	struct pg_docinfo	 di;
	struct pg_page		 p[4];
	char			*s;
	size_t			 i;

	docinfo(&di);
	a4(&p[0], "4B 017 (verso)");
	a4(&p[1], "5\xc3\xa8-002");
	a4(&p[2], "%!PS\\");
	a4(&p[3], "x");
	/* A label filling the array without a NUL. */
	memset(p[3].label, 'A', sizeof(p[3].label));
	s = render(&di, p, 4);
	ck_assert_ptr_nonnull(strstr(s, "\n%%Page: 4B_017__verso_ 1\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n%%Page: 5e-002 2\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n%%Page: __PS_ 3\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n%%Page: "
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA 4\n"));
	for (i = 0; i < 4; i++)
		pg_free(&p[i]);
	free(s);
}
END_TEST

START_TEST(test_deterministic)
{
	struct pg_docinfo	 di;
	struct pg_page		 p[2];
	char			*a, *b;

	docinfo(&di);
	a4(&p[0], "4B-001");
	add_text(&p[0], FONT_HELVETICA, "Zo\xe9 Martin", 10);
	pg_line(&p[0], 0, 0, PG_MM(10), PG_MM(10), PG_PT(0.2), PG_PT(2));
	pg_rect(&p[0], PG_MM(20), PG_MM(20), PG_MM(100), PG_MM(30),
	    PG_PT(1), 0, 1, 235);
	a4(&p[1], "4B-001v");
	p[1].blank = 1;
	a = render(&di, p, 2);
	b = render(&di, p, 2);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	pg_free(&p[0]);
	pg_free(&p[1]);
}
END_TEST

/* Gray, line width and dash are set only when they change. */
START_TEST(test_state)
{
	struct pg_docinfo	 di;
	struct pg_page		 p;
	char			*s, *body;

	docinfo(&di);
	a4(&p, "1");
	pg_line(&p, 0, 0, 1000, 0, PG_PT(0.5), 0);
	pg_line(&p, 0, 1000, 1000, 1000, PG_PT(0.5), 0);
	pg_line(&p, 0, 2000, 1000, 2000, PG_PT(0.5), PG_PT(2));
	pg_rect(&p, 1500, 2500, 10000, -5000, 0, 0, 1, 128);
	pg_rect(&p, 1500, 2500, 10000, 5000, PG_PT(0.5), PG_PT(2), 1, 255);
	add_text(&p, FONT_HELVETICA, "a", 1);
	add_text(&p, FONT_HELVETICA, "b", 1);
	pg_text(&p, FONT_HELVETICA, 0, PG_PT(12.5), -500, 0, "c", 1);
	s = render(&di, &p, 1);
	body = strstr(s, "%%EndPageSetup\n");
	ck_assert_ptr_nonnull(body);
	ck_assert_str_eq(body, "%%EndPageSetup\n"
	    "0 G\n0.5 W\n0 D\n"
	    "0 0 1 0 L\n"
	    "0 1 1 1 L\n"
	    "2 D\n0 2 1 2 L\n"
	    "0.502 G\n1.5 2.5 10 -5 RF\n"
	    "1 G\n1.5 2.5 10 5 RF\n0 G\n1.5 2.5 10 5 RS\n"
	    "/F0e0 10 F\n(a) 72 700 T\n(b) 72 700 T\n"
	    "/F0e0 12.5 F\n(c) -0.5 0 T\n"
	    "pgsave restore showpage\n%%PageTrailer\n"
	    "%%Trailer\n%%Pages: 1\n%%EOF\n");
	free(s);
	pg_free(&p);
}
END_TEST

START_TEST(test_vectors)
{
	struct pg_docinfo	 di;
	struct pg_page		 p;
	char			*s;

	docinfo(&di);
	a4(&p, "1");
	s = render(&di, &p, 1);
	ck_assert_ptr_nonnull(strstr(s, "\n/V0 [\n"));
	ck_assert(has_name(s, "OE"));
	ck_assert(has_name(s, "eacute"));
	ck_assert(has_name(s, "Euro"));
	ck_assert_ptr_null(strstr(s, "/V1 ["));
	ck_assert_ptr_null(strstr(s, "/V2 ["));
	ck_assert_ptr_null(strstr(s, "WinAnsiEncoding"));
	free(s);

	/* Vector 2 without vector 1: each used font gets both 0 and 2. */
	di.encs_used = 1u << 2;
	s = render(&di, &p, 1);
	ck_assert_ptr_nonnull(strstr(s, "\n/V0 [\n"));
	ck_assert_ptr_null(strstr(s, "/V1 ["));
	ck_assert_ptr_nonnull(strstr(s, "\n/V2 [\n"));
	ck_assert(has_name(s, "Alpha"));
	ck_assert_ptr_nonnull(strstr(s, "\n/F0e0 /Helvetica V0 RE\n"
	    "/F0e2 /Helvetica V2 RE\n"));
	ck_assert_int_eq(count(s, "%%IncludeResource: font Helvetica\n"), 1);
	assert_clean(s);
	free(s);
	pg_free(&p);
}
END_TEST

/*
 * A font or vector compose forgot to declare is defined in the page, so
 * the page still prints; the next page does it again.
 */
START_TEST(test_undeclared)
{
	struct pg_docinfo	 di;
	struct pg_page		 p[2];
	char			*s, *page;

	docinfo(&di);
	a4(&p[0], "1");
	pg_text(&p[0], FONT_TIMES_ROMAN, 2, PG_PT(9), 0, 0, "!", 1);
	pg_text(&p[0], FONT_TIMES_ROMAN, 2, PG_PT(9), 0, 0, "!", 1);
	a4(&p[1], "2");
	pg_text(&p[1], FONT_TIMES_ROMAN, 2, PG_PT(9), 0, 0, "!", 1);
	s = render(&di, p, 2);
	page = strstr(s, "%%Page: 1 1\n");
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_null(strstr(s, "Times-Roman\n%%Page: 1 1"));
	ck_assert_ptr_nonnull(strstr(page, "%%EndPageSetup\n/V2 [\n"));
	ck_assert_ptr_nonnull(strstr(page, "] def\n"
	    "%%IncludeResource: font Times-Roman\n"
	    "/F6e2 /Times-Roman V2 RE\n0 G\n/F6e2 9 F\n"
	    "(!) 0 0 T\n(!) 0 0 T\n"));
	ck_assert_int_eq(count(s, "/F6e2 /Times-Roman V2 RE\n"), 2);
	ck_assert_int_eq(count(s, "/V2 [\n"), 2);
	free(s);
	pg_free(&p[0]);
	pg_free(&p[1]);
}
END_TEST

/*
 * Forms: a form of declared fonts becomes one procedure in the prolog
 * and one line per use, with its items relative to the origin and its
 * own state, so that the page's font and gray are unchanged after it;
 * a form of an undeclared font, or one the page does not have, is drawn
 * in place, as if the items had been on the page.
 */
START_TEST(test_forms)
{
	struct pg_docinfo	 di;
	struct pg_forms		 forms;
	struct pg_page		 f[2], p[2];
	char			*s, *a, *b;

	docinfo(&di);
	pg_init(&f[0], 0, 0);
	pg_text(&f[0], FONT_HELVETICA, 0, PG_PT(9), 0, 0, "Madame,", 7);
	pg_text(&f[0], FONT_HELVETICA, 0, PG_PT(9), PG_PT(5), -PG_PT(11),
	    "Monsieur,", 9);
	pg_line(&f[0], 0, -PG_PT(12), PG_PT(100), -PG_PT(12), PG_PT(1), 0);
	pg_init(&f[1], 0, 0);
	pg_text(&f[1], FONT_TIMES_ROMAN, 0, PG_PT(9), 0, 0, "Times", 5);
	forms.v = f;
	forms.n = 2;

	a4(&p[0], "1");
	p[0].forms = &forms;
	pg_text(&p[0], FONT_COURIER_BOLD, 0, PG_PT(10), 0, 0, "code", 4);
	pg_use(&p[0], 0, PG_PT(72), PG_PT(700));
	pg_text(&p[0], FONT_COURIER_BOLD, 0, PG_PT(10), 0, 0, "more", 4);
	pg_use(&p[0], 1, PG_PT(72), PG_PT(600));
	pg_use(&p[0], 7, PG_PT(72), PG_PT(500));
	s = render(&di, p, 1);
	a = strstr(s, "%%BeginProlog\n");
	b = strstr(s, "%%EndProlog\n");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(strstr(a, "/Fm0 { gsave translate\n0 G\n"
	    "/F0e0 9 F\n(Madame,) 0 0 T\n(Monsieur,) 5 -11 T\n1 W\n0 D\n"
	    "0 -12 100 -12 L\ngrestore } bind def\n"));
	ck_assert(strstr(a, "/Fm0 ") < b);
	ck_assert_ptr_null(strstr(s, "/Fm1 "));
	/* The page: the call, the font kept, the Times form in place. */
	ck_assert_ptr_nonnull(strstr(s, "%%EndPageSetup\n0 G\n/F11e0 10 F\n"
	    "(code) 0 0 T\n72 700 Fm0\n(more) 0 0 T\n"
	    "%%IncludeResource: font Times-Roman\n"));
	ck_assert_ptr_nonnull(strstr(s, "/F6e0 9 F\n(Times) 72 600 T\n"
	    "pgsave restore showpage\n"));
	ck_assert_int_eq(count(s, " Fm"), 1);
	free(s);

	/*
	 * Forms that came after the prolog (the first page had none): drawn
	 * in place, as the same items on the page would be.
	 */
	pg_reset(&p[0]);
	p[0].forms = NULL;
	pg_text(&p[0], FONT_COURIER_BOLD, 0, PG_PT(10), 0, 0, "code", 4);
	a4(&p[1], "2");
	p[1].forms = &forms;
	pg_use(&p[1], 0, PG_PT(72), PG_PT(700));
	s = render(&di, p, 2);
	ck_assert_ptr_null(strstr(s, "Fm0"));
	ck_assert_ptr_nonnull(strstr(s, "%%Page: 2 2\n%%BeginPageSetup\n"
	    "/pgsave save def\n%%EndPageSetup\n0 G\n/F0e0 9 F\n"
	    "(Madame,) 72 700 T\n(Monsieur,) 77 689 T\n1 W\n0 D\n"
	    "72 688 172 688 L\npgsave restore showpage\n"));
	free(s);
	pg_free(&p[0]);
	pg_free(&p[1]);
	pg_free(&f[0]);
	pg_free(&f[1]);
}
END_TEST

START_TEST(test_simplex)
{
	struct pg_docinfo	 di;
	char			*s;

	docinfo(&di);
	di.duplex = 0;
	di.title = NULL;
	di.date = NULL;
	di.creator = NULL;
	di.fonts_used = 0;
	s = render(&di, NULL, 0);
	ck_assert_ptr_nonnull(strstr(s, "%%BeginFeature: *Duplex None\n"
	    "<</Duplex false>> setpagedevice\n"));
	ck_assert_ptr_null(strstr(s, "%%Requirements"));
	ck_assert_ptr_null(strstr(s, "%%Title"));
	ck_assert_ptr_null(strstr(s, "%%CreationDate"));
	ck_assert_ptr_null(strstr(s, "%%DocumentNeededResources"));
	ck_assert_ptr_null(strstr(s, "%%IncludeResource"));
	ck_assert_ptr_nonnull(strstr(s, "%%Creator: entpress\n"));
	/* No page: still a complete A4 document of zero pages. */
	ck_assert_ptr_nonnull(strstr(s, "%%BoundingBox: 0 0 595 842\n"));
	ck_assert_ptr_nonnull(strstr(s, "%%EndSetup\n%%Trailer\n%%Pages: 0\n"
	    "%%EOF\n"));
	free(s);
}
END_TEST

START_TEST(test_title)
{
	struct pg_docinfo	 di;
	char			*s, big[1000];

	docinfo(&di);
	di.title = "(brouillon) \\ 4B\tx\xff";
	s = render(&di, NULL, 0);
	ck_assert_ptr_nonnull(strstr(s,
	    "\n%%Title: (\\(brouillon\\) \\\\ 4B x?)\n"));
	free(s);
	memset(big, '(', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	di.title = big;
	di.creator = big;
	s = render(&di, NULL, 0);
	assert_clean(s);
	free(s);
}
END_TEST

/* Media other than A4 are named when a PPD would know them. */
START_TEST(test_media)
{
	struct pg_docinfo	 di;
	struct pg_page		 p;
	char			*s;

	docinfo(&di);
	pg_init(&p, PG_MM(148), PG_MM(210));
	s = render(&di, &p, 1);
	ck_assert_ptr_nonnull(strstr(s, "%%BoundingBox: 0 0 420 595\n"));
	ck_assert_ptr_nonnull(strstr(s, "%%DocumentMedia: A5 420 595 80 "
	    "white ()\n"));
	free(s);
	pg_free(&p);
	pg_init(&p, PG_PT(300), PG_PT(200.5));
	s = render(&di, &p, 1);
	ck_assert_ptr_nonnull(strstr(s, "%%Orientation: Landscape\n"));
	ck_assert_ptr_nonnull(strstr(s, "%%DocumentMedia: Custom 300 201 "));
	ck_assert_ptr_nonnull(strstr(s, "[{\n<</PageSize [300 200.5] "
	    "/ImagingBBox null>> setpagedevice\n} stopped cleartomark\n"));
	free(s);
	pg_free(&p);
}
END_TEST

START_TEST(test_write_error)
{
	struct pg_docinfo	 di;
	struct pg_page		 p;
	char			*s;
	int			 ret;

	docinfo(&di);
	a4(&p, "1");
	s = render_ex(&di, &p, 1, 0, &ret);
	ck_assert_int_eq(ret, 0);
	free(s);
	s = render_ex(&di, &p, 1, 1, &ret);
	ck_assert_int_eq(ret, -1);
	free(s);
	pg_free(&p);
}
END_TEST

/*
 * The numbers of page content, against printf: integers, and thousandths
 * with no trailing zero after the point (12.345, 7, -0.5, 0.005).
 */
static void
fixed3_ref(char *out, size_t sz, long long v)
{
	unsigned long long	 u = v < 0 ? 0ULL - (unsigned long long)v :
				    (unsigned long long)v;
	size_t			 n;

	n = (size_t)snprintf(out, sz, "%s%llu.%03llu", v < 0 ? "-" : "",
	    u / 1000, u % 1000);
	while (out[n - 1] == '0')
		out[--n] = '\0';
	if (out[n - 1] == '.')
		out[--n] = '\0';
}

START_TEST(test_numbers)
{
	char		 dir[] = "/tmp/check_emit_ps.XXXXXX", path[64], ref[64];
	struct outw	 w;
	struct buf	 b;
	long long	 v;
	uint64_t	 x = 1;
	int		 i, f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/n", dir);
	ck_assert_int_eq(outw_open(&w, path), 0);
	buf_init(&b);
	outw_set_hook(&w, capture, &b);
	for (i = 0; i < 4000; i++) {
		/* Every small value, then values of every length. */
		if (i < 2200)
			v = i - 1100;
		else {
			/* Unsigned: the generator wraps, a long long may not. */
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			v = (long long)(x >> (1 + i % 62));
			if (i & 1)
				v = -v;
		}
		if (i == 3998)
			v = INT64_MAX;
		if (i == 3999)
			v = INT64_MIN;
		for (f = 0; f < 2; f++) {
			buf_reset(&b);
			if (f)
				outw_fixed3(&w, v);
			else
				outw_int(&w, v);
			outw_flush(&w);
			buf_addc(&b, '\0');
			if (f)
				fixed3_ref(ref, sizeof(ref), v);
			else
				snprintf(ref, sizeof(ref), "%lld", v);
			ck_assert_str_eq(b.p, ref);
		}
	}
	outw_abort(&w);
	buf_free(&b);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/*
 * The writer's hook sees every byte in order, in the pieces the buffer
 * holds: what was written under one hook goes to it when the hook
 * changes, even across buffer refills.
 */
START_TEST(test_hook)
{
	char		 dir[] = "/tmp/check_emit_ps.XXXXXX", path[64];
	struct outw	 w;
	struct buf	 a, b;
	char		*big;
	size_t		 n = OUTW_BUFSZ + OUTW_BUFSZ / 2, i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/h", dir);
	ck_assert_int_eq(outw_open(&w, path), 0);
	buf_init(&a);
	buf_init(&b);
	outw_puts(&w, "before ");	/* no hook yet: seen by none */
	outw_set_hook(&w, capture, &a);
	outw_puts(&w, "abc");
	outw_set_hook(&w, capture, &b);
	buf_addc(&a, '\0');
	ck_assert_str_eq(a.p, "abc");
	big = xmalloc(n);
	memset(big, 'x', n);
	outw_write(&w, big, n);
	outw_puts(&w, "end");
	outw_set_hook(&w, NULL, NULL);
	ck_assert_uint_eq(b.len, n + 3);
	for (i = 0; i < n; i++)
		if (b.p[i] != 'x')
			break;
	ck_assert_uint_eq(i, n);
	ck_assert_int_eq(memcmp(b.p + n, "end", 3), 0);
	ck_assert_uint_eq(w.count, 7 + 3 + n + 3);
	free(big);
	outw_abort(&w);
	buf_free(&a);
	buf_free(&b);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static Suite *
emit_ps_suite(void)
{
	Suite	*s = suite_create("emit_ps");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_frame);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_long);
	tcase_add_test(tc, test_pages);
	tcase_add_test(tc, test_labels);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_state);
	tcase_add_test(tc, test_vectors);
	tcase_add_test(tc, test_undeclared);
	tcase_add_test(tc, test_forms);
	tcase_add_test(tc, test_simplex);
	tcase_add_test(tc, test_title);
	tcase_add_test(tc, test_media);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_hook);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	diag_init("entpress");
	sr = srunner_create(emit_ps_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
