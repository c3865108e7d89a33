/*
 * check_emit_pdf: byte-level properties of the PDF back end: the header
 * and its binary comment, the cross-reference table (20-byte entries,
 * each offset at its object, startxref at the table), the trailer and
 * its content-derived ID, determinism, string escaping, the content
 * operators, fonts and their subsets, bookmarks, page labels and page
 * trees beyond one node, and PDF/A's metadata and output intent.  The
 * files are read back by this program only; tests/pdf/pdf-sample.sh has
 * qpdf, poppler and Ghostscript read them.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "diag.h"
#include "emit_pdf.h"
#include "outw.h"
#include "page.h"

static char	 tmpdir[] = "/tmp/check_emit_pdf.XXXXXX";

/* A file written by emit_pdf, read back. */
struct pdf {
	char		*p;
	size_t		 len;
	uint64_t	*off;		/* from the xref, [0] unused */
	unsigned int	 nobj;		/* /Size */
};

typedef void	(*build_fn)(struct pg_page *, int);

static void
pdf_free(struct pdf *f)
{
	free(f->p);
	free(f->off);
	memset(f, 0, sizeof(*f));
}

/* s in the file from q on (the file has NULs: no strstr). */
static const char *
find_from(const struct pdf *f, const char *q, const char *s)
{
	return memmem(q, f->len - (size_t)(q - f->p), s, strlen(s));
}

static const char *
find(const struct pdf *f, const char *s)
{
	return find_from(f, f->p, s);
}

static const char *
find_last(const struct pdf *f, const char *s)
{
	const char	*q, *last = NULL;
	size_t		 n = strlen(s);

	for (q = f->p; (q = memmem(q, f->len - (size_t)(q - f->p), s, n))
	    != NULL; q++)
		last = q;
	return last;
}

static size_t
count(const struct pdf *f, const char *s)
{
	const char	*q;
	size_t		 n = 0;

	for (q = f->p; (q = memmem(q, f->len - (size_t)(q - f->p), s,
	    strlen(s))) != NULL; q++)
		n++;
	return n;
}

/* Parse the xref that startxref points at; fails the test if bad. */
static void
pdf_xref(struct pdf *f)
{
	const char	*sx, *x, *e;
	unsigned long long off;
	unsigned int	 first, i;

	sx = find_last(f, "startxref\n");
	ck_assert_ptr_nonnull(sx);
	off = strtoull(sx + 10, NULL, 10);
	ck_assert_uint_lt(off, f->len);
	x = f->p + off;
	ck_assert_int_eq(strncmp(x, "xref\n", 5), 0);
	ck_assert_int_eq(sscanf(x + 5, "%u %u", &first, &f->nobj), 2);
	ck_assert_uint_eq(first, 0);
	e = strchr(x + 5, '\n') + 1;
	f->off = calloc(f->nobj, sizeof(*f->off));
	ck_assert_int_eq(strncmp(e, "0000000000 65535 f \n", 20), 0);
	for (i = 1; i < f->nobj; i++) {
		e += 20;
		/* nnnnnnnnnn ggggg n EOL: exactly 20 bytes. */
		ck_assert_int_eq(e[10], ' ');
		ck_assert_int_eq(e[16], ' ');
		ck_assert_int_eq(e[18], ' ');
		ck_assert_int_eq(e[19], '\n');
		ck_assert_int_eq(e[17], 'n');
		f->off[i] = strtoull(e, NULL, 10);
		ck_assert_uint_lt(f->off[i], off);
	}
	ck_assert_int_eq(strncmp(e + 20, "trailer\n", 8), 0);
}

/* The text of object n, from "n 0 obj" on. */
static const char *
pdf_obj(const struct pdf *f, unsigned int n)
{
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_lt(n, f->nobj);
	return f->p + f->off[n];
}

/* s within the object that starts at o, or NULL. */
static const char *
in_obj(const char *o, const char *s)
{
	const char	*q = strstr(o, s), *end = strstr(o, "endobj");

	return q != NULL && (end == NULL || q < end) ? q : NULL;
}

/* The object number after key (e.g. "/Contents") in s, or 0. */
static unsigned int
ref_after(const char *s, const char *key)
{
	const char	*q = in_obj(s, key);

	return q == NULL ? 0 :
	    (unsigned int)strtoul(q + strlen(key), NULL, 10);
}

/* The decoded data of a FlateDecode stream object. */
static char *
pdf_inflate(const struct pdf *f, unsigned int n, size_t *outlen)
{
	const char	*o = pdf_obj(f, n), *d;
	unsigned long	 len;
	uLongf		 cap = 1 << 22;
	char		*out;

	len = strtoul(strstr(o, "/Length ") + 8, NULL, 10);
	ck_assert_ptr_nonnull(strstr(o, "/FlateDecode"));
	d = strstr(o, "stream\n") + 7;
	ck_assert_int_eq(strncmp(d + len, "\nendstream\n", 11), 0);
	out = malloc(cap + 1);
	ck_assert_int_eq(uncompress((Bytef *)out, &cap, (const Bytef *)d,
	    len), Z_OK);
	out[cap] = '\0';
	*outlen = cap;
	return out;
}

/* Write npages pages built by fn to a file and read it back. */
/*
 * The same, telling rf (when not NULL) each page's byte range, and
 * *first_at (when not NULL) the writer's count before the first page.
 */
static void
make_pdf_with(struct pdf *f, const struct emit_pdf_opts *o, build_fn fn,
    int npages, emit_pdf_range_fn *rf, void *arg, uint64_t *first_at)
{
	struct pg_docinfo	 di;
	struct pg_page		 pg;
	struct outw		 w;
	struct emit_pdf		*e;
	char			 path[64];
	FILE			*fp;
	long			 sz;
	int			 i;

	memset(&di, 0, sizeof(di));
	di.title = "Identifiants — 4B";
	di.creator = "check_emit_pdf";
	di.date = "2026-09-01";
	snprintf(path, sizeof(path), "%s/t.pdf", tmpdir);
	ck_assert_int_eq(outw_open(&w, path), 0);
	e = emit_pdf_begin(&w, &di, o);
	ck_assert_ptr_nonnull(e);
	if (rf != NULL)
		emit_pdf_on_range(e, rf, arg);
	if (first_at != NULL)
		*first_at = w.count;
	pg_init(&pg, PG_MM(210), PG_MM(297));
	for (i = 0; i < npages; i++) {
		pg_reset(&pg);
		fn(&pg, i);
		ck_assert_int_eq(emit_pdf_page(e, &pg), 0);
	}
	pg_free(&pg);
	ck_assert_int_eq(emit_pdf_end(e), 0);
	ck_assert_int_eq(outw_commit(&w), 0);

	memset(f, 0, sizeof(*f));
	fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	fseek(fp, 0, SEEK_END);
	sz = ftell(fp);
	rewind(fp);
	f->p = malloc((size_t)sz + 1);
	f->len = fread(f->p, 1, (size_t)sz, fp);
	f->p[f->len] = '\0';
	fclose(fp);
	ck_assert_uint_eq(f->len, (size_t)sz);
	pdf_xref(f);
}

static void
make_pdf(struct pdf *f, const struct emit_pdf_opts *o, build_fn fn,
    int npages)
{
	make_pdf_with(f, o, fn, npages, NULL, NULL, NULL);
}

static void
put(struct pg_page *pg, enum pg_font font, int x, int y, const char *s)
{
	pg_text(pg, font, 0, PG_PT(10), PG_PT(x), PG_PT(y), s, strlen(s));
}

/* A letter with hostile strings (cp1252 bytes), a rule and boxes. */
static void
build_letter(struct pg_page *pg, int i)
{
	snprintf(pg->label, sizeof(pg->label), "4B-%03d", i + 1);
	if (i == 0) {
		pg_mark(pg, 0, "\xC3\x89l\xC3\xA8ves");	/* Élèves */
		pg_mark(pg, 2, "4B");
	}
	put(pg, FONT_HELVETICA, 72, 700, ") showpage (");
	put(pg, FONT_HELVETICA, 72, 690, "C:\\ENT\\");
	put(pg, FONT_HELVETICA, 72, 680, "\xE9l\xE8ve \x9C \x80 \x01");
	pg_rect(pg, PG_PT(70), PG_PT(600), PG_PT(200), PG_PT(40), PG_PT(1),
	    0, 1, 128);
	put(pg, FONT_COURIER_BOLD, 80, 620, "k7Tm 9qRw");
	pg_line(pg, PG_PT(10), PG_PT(400), PG_PT(585), PG_PT(400),
	    PG_PT(0.5), PG_PT(3));
	put(pg, FONT_HELVETICA, 72, 300, "bottom");
}

/* Even pages are letters, odd ones blank versos. */
static void
build_duplex(struct pg_page *pg, int i)
{
	if (i % 2 == 0)
		build_letter(pg, i / 2);
	else {
		snprintf(pg->label, sizeof(pg->label), "4B-%03d-v", i / 2 + 1);
		pg->blank = 1;
	}
	if (i == 4)
		pg_mark(pg, 2, "4C");
}

static void
build_other(struct pg_page *pg, int i)
{
	build_letter(pg, i);
	put(pg, FONT_HELVETICA, 72, 200, "another letter");
}

static void
build_blank(struct pg_page *pg, int i)
{
	snprintf(pg->label, sizeof(pg->label), "P%d", i + 1);
}

/* The content of page k (from 0), decoded. */
static char *
page_content(const struct pdf *f, int k, size_t *len)
{
	const char	*q = f->p;
	unsigned int	 n;
	int		 i;

	for (i = 0; i <= k; i++) {
		q = find_from(f, q, "/Type /Page /Parent");
		ck_assert_ptr_nonnull(q);
		q++;
	}
	n = ref_after(q, "/Contents");
	ck_assert_uint_ne(n, 0);
	return pdf_inflate(f, n, len);
}

START_TEST(test_emit_pdf_header)
{
	struct pdf	 f;
	int		 i;

	make_pdf(&f, NULL, build_letter, 1);
	ck_assert_int_eq(memcmp(f.p, "%PDF-1.7\n%", 10), 0);
	for (i = 10; i < 14; i++)
		ck_assert_uint_gt((unsigned char)f.p[i], 127);
	ck_assert_int_eq(f.p[14], '\n');
	/* Nothing after %%EOF but its EOL. */
	ck_assert_int_eq(memcmp(f.p + f.len - 6, "%%EOF\n", 6), 0);
	pdf_free(&f);
}
END_TEST

START_TEST(test_emit_pdf_xref)
{
	struct pdf	 f;
	unsigned int	 i;
	char		 head[32];

	make_pdf(&f, NULL, build_duplex, 6);
	for (i = 1; i < f.nobj; i++) {
		snprintf(head, sizeof(head), "%u 0 obj\n", i);
		ck_assert_int_eq(strncmp(f.p + f.off[i], head, strlen(head)),
		    0);
	}
	ck_assert_ptr_nonnull(strstr(find_last(&f, "trailer"), "/Size "));
	ck_assert_uint_eq(strtoul(strstr(find_last(&f, "trailer"),
	    "/Size ") + 6, NULL, 10), f.nobj);
	pdf_free(&f);
}
END_TEST

START_TEST(test_emit_pdf_deterministic)
{
	struct pdf	 a, b, c;
	const char	*ida, *idc;

	make_pdf(&a, NULL, build_duplex, 6);
	make_pdf(&b, NULL, build_duplex, 6);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.p, b.p, a.len), 0);

	/* The ID: two equal 32-digit strings that follow the content. */
	ida = strstr(find_last(&a, "trailer"), "/ID [<");
	ck_assert_ptr_nonnull(ida);
	ck_assert_int_eq(ida[38], '>');
	ck_assert_int_eq(strncmp(ida + 6, ida + 41, 32), 0);
	make_pdf(&c, NULL, build_other, 6);
	idc = strstr(find_last(&c, "trailer"), "/ID [<");
	ck_assert_int_ne(strncmp(ida, idc, 38), 0);
	ck_assert_ptr_nonnull(find(&a, "/CreationDate (D:20260901000000Z)"));
	pdf_free(&a);
	pdf_free(&b);
	pdf_free(&c);
}
END_TEST

/*
 * Forms: the letter with its rectangle, code and rule moved into a form.
 * The form is one XObject in the shared resources, drawn from a state
 * of its own, and the page calls it inside q ... Q; when the first page
 * had no forms (build_late), pages that have some draw them in place,
 * exactly as the same items on the page.
 */
static struct pg_forms	 letter_forms;

static void
build_with_form(struct pg_page *pg, int i)
{
	snprintf(pg->label, sizeof(pg->label), "4B-%03d", i + 1);
	if (i == 0) {
		pg_mark(pg, 0, "\xC3\x89l\xC3\xA8ves");
		pg_mark(pg, 2, "4B");
	}
	pg->forms = &letter_forms;
	put(pg, FONT_HELVETICA, 72, 700, ") showpage (");
	put(pg, FONT_HELVETICA, 72, 690, "C:\\ENT\\");
	put(pg, FONT_HELVETICA, 72, 680, "\xE9l\xE8ve \x9C \x80 \x01");
	pg_use(pg, 0, PG_PT(70), PG_PT(600));
	put(pg, FONT_HELVETICA, 72, 300, "bottom");
}

static void
build_late(struct pg_page *pg, int i)
{
	if (i == 0) {
		build_letter(pg, i);
		pg->forms = NULL;
	} else
		build_with_form(pg, i);
}

START_TEST(test_emit_pdf_forms)
{
	struct pg_page	 form;
	struct pdf	 a, b, c;
	const char	*res;
	char		*ca, *cb, *fm;
	size_t		 la, lb, lf;
	unsigned int	 n;

	pg_init(&form, 0, 0);
	pg_rect(&form, 0, 0, PG_PT(200), PG_PT(40), PG_PT(1), 0, 1, 128);
	put(&form, FONT_COURIER_BOLD, 10, 20, "k7Tm 9qRw");
	pg_line(&form, -PG_PT(60), -PG_PT(200), PG_PT(515), -PG_PT(200),
	    PG_PT(0.5), PG_PT(3));
	letter_forms.v = &form;
	letter_forms.n = 1;

	make_pdf(&a, NULL, build_with_form, 3);
	ck_assert_int_eq(count(&a, "/Subtype /Form"), 1);
	res = find(&a, "/XObject << /Fm0 ");
	ck_assert_ptr_nonnull(res);
	n = ref_after(res, "/Fm0");
	fm = pdf_inflate(&a, n, &lf);
	ck_assert_str_eq(fm, "1 w\n[] 0 d\n0.502 g\n0 0 200 40 re B\n"
	    "BT\n0 g\n/F33 10 Tf\n10 20 Td (k7Tm 9qRw)Tj\nET\n"
	    "0.5 w\n[3 3 ] 0 d\n-60 -200 m 515 -200 l S\n");
	ca = page_content(&a, 1, &la);
	ck_assert_ptr_nonnull(strstr(ca, "ET\nq 1 0 0 1 70 600 cm /Fm0 Do Q\n"
	    "BT\n72 300 Td (bottom)Tj\nET\n"));
	free(fm);
	free(ca);

	make_pdf(&b, NULL, build_late, 3);
	make_pdf(&c, NULL, build_letter, 3);
	ck_assert_int_eq(count(&b, "/Subtype /Form"), 0);
	ca = page_content(&b, 2, &la);
	cb = page_content(&c, 2, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert_int_eq(memcmp(ca, cb, la), 0);
	free(ca);
	free(cb);
	pdf_free(&a);
	pdf_free(&b);
	pdf_free(&c);
	pg_free(&form);
}
END_TEST

START_TEST(test_emit_pdf_escape)
{
	struct pdf	 f;
	char		*cs;
	size_t		 len;

	make_pdf(&f, NULL, build_letter, 1);
	cs = page_content(&f, 0, &len);
	ck_assert_ptr_nonnull(strstr(cs, "(\\) showpage \\()Tj"));
	ck_assert_ptr_nonnull(strstr(cs, "(C:\\\\ENT\\\\)Tj"));
	ck_assert_ptr_nonnull(strstr(cs, "(\\351l\\350ve \\234 \\200 "
	    "\\001)Tj"));
	/* The page's text is 7-bit. */
	for (len = 0; cs[len] != '\0'; len++)
		ck_assert_uint_lt((unsigned char)cs[len], 0x80);
	free(cs);
	pdf_free(&f);
}
END_TEST

START_TEST(test_emit_pdf_operators)
{
	struct pdf	 f;
	char		*cs, *q;
	size_t		 len;

	make_pdf(&f, NULL, build_letter, 1);
	cs = page_content(&f, 0, &len);
	/* Three runs in one BT, one Tf, relative moves. */
	ck_assert_ptr_nonnull(strstr(cs, "BT\n/F0 10 Tf\n72 700 Td "
	    "(\\) showpage \\()Tj\n0 -10 Td (C:"));
	/* The fill: 128/255 gray, stroked black, then text black again. */
	ck_assert_ptr_nonnull(strstr(cs, "ET\n0.502 g\n70 600 200 40 re B\n"
	    "BT\n0 g\n/F33 10 Tf\n80 620 Td (k7Tm 9qRw)Tj\nET\n"));
	ck_assert_ptr_nonnull(strstr(cs, "0.5 w\n[3 3 ] 0 d\n"
	    "10 400 m 585 400 l S\n"));
	/* Back to Helvetica: Tf again, once. */
	q = strstr(cs, "l S\nBT\n/F0 10 Tf\n72 300 Td (bottom)Tj\nET\n");
	ck_assert_ptr_nonnull(q);
	free(cs);
	pdf_free(&f);
}
END_TEST

START_TEST(test_emit_pdf_blank)
{
	struct pdf	 f;
	const char	*pg;

	make_pdf(&f, NULL, build_duplex, 2);
	pg = find_from(&f, find(&f, "/Type /Page /Parent") + 1,
	    "/Type /Page /Parent");
	ck_assert_ptr_nonnull(pg);
	ck_assert_uint_eq(ref_after(pg, "/Contents"), 0);
	ck_assert_ptr_nonnull(strstr(pg, "/MediaBox [0 0 595.276 841.89]"));
	ck_assert_uint_eq(count(&f, "/Contents "), 1);
	/* One resource dictionary for all. */
	ck_assert_uint_eq(count(&f, "/Resources "), 2);
	ck_assert_uint_eq(count(&f, "/Font <<"), 1);
	pdf_free(&f);
}
END_TEST

START_TEST(test_emit_pdf_fonts)
{
	struct emit_pdf_opts	 o;
	struct pdf		 f;
	const char		*bf, *ff;
	char			*prog;
	unsigned int		 n;
	size_t			 len;

	make_pdf(&f, NULL, build_letter, 1);
	/* Two faces, each a subset under a tagged name. */
	ck_assert_uint_eq(count(&f, "/Subtype /Type1"), 2);
	ck_assert_uint_eq(count(&f, "/FontFile "), 2);
	bf = find(&f, "/BaseFont /");
	ck_assert_ptr_nonnull(bf);
	for (len = 11; len < 17; len++)
		ck_assert(bf[len] >= 'A' && bf[len] <= 'Z');
	ck_assert_int_eq(strncmp(bf + 17, "+NimbusSans-Regular ", 20), 0);
	ck_assert_ptr_nonnull(find(&f, "/FontName /"));
	ck_assert_int_eq(strncmp(find(&f, "/FontName /") + 11, bf + 11,
	    26), 0);
	ck_assert_ptr_nonnull(find(&f, "/BaseEncoding /WinAnsiEncoding"));

	/* The program: cleartext and binary parts, its name tagged too. */
	n = ref_after(pdf_obj(&f, ref_after(bf, "/FontDescriptor")),
	    "/FontFile");
	ff = pdf_obj(&f, n);
	ck_assert_ptr_nonnull(in_obj(ff, "/Length3 0 >>"));
	prog = pdf_inflate(&f, n, &len);
	ck_assert_int_eq(strncmp(prog, "%!PS-AdobeFont-1.0: NimbusSans", 30),
	    0);
	ck_assert_ptr_nonnull(strstr(prog, "/FontName /"));
	ck_assert_int_eq(strncmp(strstr(prog, "/FontName /") + 11, bf + 11,
	    26), 0);
	ck_assert_uint_eq(strtoul(in_obj(ff, "/Length1 ") + 9, NULL, 10),
	    (size_t)(strstr(prog, "currentfile eexec") + 18 - prog));
	free(prog);
	pdf_free(&f);

	memset(&o, 0, sizeof(o));
	o.full_fonts = 1;
	make_pdf(&f, &o, build_letter, 1);
	ck_assert_ptr_nonnull(find(&f, "/BaseFont /NimbusSans-Regular "));
	ck_assert_ptr_nonnull(find(&f, "/BaseFont /NimbusMonoPS-Bold "));
	pdf_free(&f);
}
END_TEST

START_TEST(test_emit_pdf_outlines)
{
	struct pdf	 f;
	const char	*cat, *root;

	make_pdf(&f, NULL, build_duplex, 6);
	cat = find(&f, "/Type /Catalog");
	ck_assert_ptr_nonnull(cat);
	ck_assert_ptr_nonnull(strstr(cat, "/PageMode /UseOutlines"));
	root = pdf_obj(&f, ref_after(cat, "/Outlines"));
	ck_assert_ptr_nonnull(strstr(root, "/Type /Outlines"));
	ck_assert_ptr_nonnull(strstr(root, "/Count 3 >>"));
	/* Élèves in UTF-16BE; 4B and 4C, both under it. */
	ck_assert_ptr_nonnull(find(&f, "/Title <FEFF00C9006C00E8007600650073>"
	    " /Parent"));
	ck_assert_ptr_nonnull(find(&f, "/Title (4B)"));
	ck_assert_ptr_nonnull(find(&f, "/Title (4C)"));
	ck_assert_ptr_nonnull(find(&f, " /Count 2 /Dest"));
	/* Labels, one per page, in the root. */
	ck_assert_ptr_nonnull(find(&f, "/Nums [ 0 << /P (4B-001) >> 1 << /P "
	    "(4B-001-v) >> 2 << /P (4B-002) >>"));
	ck_assert_ptr_nonnull(find(&f, "/Title <FEFF00490064"));
	pdf_free(&f);
}
END_TEST

START_TEST(test_emit_pdf_trees)
{
	struct pdf	 f;
	const char	*cat, *root, *labels, *mid;

	/* 4100 pages: three levels of page tree, two of labels. */
	make_pdf(&f, NULL, build_blank, 4100);
	cat = find(&f, "/Type /Catalog");
	root = pdf_obj(&f, ref_after(cat, "/Pages"));
	ck_assert_ptr_nonnull(strstr(root, "/Type /Pages /Kids ["));
	ck_assert_ptr_null(in_obj(root, "/Parent"));
	ck_assert_ptr_nonnull(strstr(root, "/Count 4100 >>"));
	ck_assert_uint_eq(count(&f, "/Type /Page /Parent"), 4100);
	ck_assert_uint_eq(count(&f, "/Contents"), 0);

	labels = pdf_obj(&f, ref_after(cat, "/PageLabels"));
	ck_assert_int_eq(strncmp(strchr(labels, '\n') + 1, "<< /Kids [", 10),
	    0);
	mid = pdf_obj(&f, ref_after(labels, "/Kids ["));
	ck_assert_ptr_nonnull(in_obj(mid, "<< /Limits [0 4095] /Kids ["));
	ck_assert_ptr_nonnull(in_obj(pdf_obj(&f, ref_after(mid, "/Kids [")),
	    "<< /Limits [0 63] /Nums [ 0 << /P (P1) >>"));
	ck_assert_ptr_nonnull(find(&f, "/Limits [4096 4099] /Nums ["));
	pdf_free(&f);
}
END_TEST

/*
 * Pages are deflated on a thread of the back end and written a few
 * pages later, in order: with more pages than the pipeline holds, blank
 * ones among them (done when handed over, possibly written before the
 * thread reaches them) and the forms with the first, every page keeps
 * its own content and its place, and the byte range each is told has
 * exactly its objects: the ranges follow one another from where the
 * first page's forms start, each holds one page dictionary and its
 * content stream.
 */
struct ranges {
	uint64_t	 start[400], end[400];
	size_t		 n;
	int		 out_of_order;
};

static void
on_range(void *arg, size_t k, uint64_t start, uint64_t end)
{
	struct ranges	*r = arg;

	if (k != r->n || k >= 400)
		r->out_of_order = 1;
	else {
		r->start[k] = start;
		r->end[k] = end;
		r->n++;
	}
}

static void
build_numbered(struct pg_page *pg, int i)
{
	char	 t[32];

	snprintf(pg->label, sizeof(pg->label), "N-%03d", i + 1);
	snprintf(t, sizeof(t), "page %d", i);
	/* Bookmarks on blank pages too (50 and 200). */
	if (i % 50 == 0)
		pg_mark(pg, 0, t);
	if (i % 3 == 2) {
		pg->blank = 1;
		return;
	}
	pg->forms = &letter_forms;
	put(pg, FONT_HELVETICA, 72, 700, t);
	if (i % 5 == 0)
		pg_use(pg, 0, PG_PT(70), PG_PT(600));
}

START_TEST(test_emit_pdf_pipeline)
{
	struct ranges		*r = calloc(1, sizeof(*r));
	struct pg_page		 form;
	struct pdf		 f;
	char			 want[32], *c;
	const char		*pd, *first;
	uint64_t		 pages_at = 0;
	size_t			 len;
	unsigned int		 n;
	int			 i, npages = 300;

	ck_assert_ptr_nonnull(r);
	pg_init(&form, 0, 0);
	put(&form, FONT_COURIER_BOLD, 10, 20, "k7Tm 9qRw");
	letter_forms.v = &form;
	letter_forms.n = 1;
	make_pdf_with(&f, NULL, build_numbered, npages, on_range, r,
	    &pages_at);
	ck_assert_int_eq(r->out_of_order, 0);
	ck_assert_uint_eq(r->n, (size_t)npages);

	/* The first range starts where the first page began: the forms. */
	ck_assert_uint_eq(r->start[0], pages_at);
	first = find(&f, "/Subtype /Form");
	ck_assert_ptr_nonnull(first);
	ck_assert_uint_lt(r->start[0], (uint64_t)(first - f.p));
	ck_assert_uint_lt((uint64_t)(first - f.p), r->end[0]);
	for (i = 0; i < npages; i++) {
		if (i > 0)
			ck_assert_uint_eq(r->start[i], r->end[i - 1]);
		ck_assert_uint_lt(r->start[i], r->end[i]);
		ck_assert_uint_le(r->end[i], f.len);
		/* One page dictionary in the range, the i-th of the file. */
		pd = memmem(f.p + r->start[i], r->end[i] - r->start[i],
		    "/Type /Page /Parent", 19);
		ck_assert_ptr_nonnull(pd);
		ck_assert_ptr_null(memmem(pd + 1, f.p + r->end[i] - pd - 1,
		    "/Type /Page /Parent", 19));
		n = ref_after(pd, "/Contents");
		if (i % 3 == 2) {
			ck_assert_uint_eq(n, 0);
			continue;
		}
		/* Its content stream is in the range and is this page's. */
		ck_assert_uint_ne(n, 0);
		ck_assert_uint_ge(f.off[n], r->start[i]);
		ck_assert_uint_lt(f.off[n], r->end[i]);
		c = pdf_inflate(&f, n, &len);
		snprintf(want, sizeof(want), "(page %d)", i);
		ck_assert_ptr_nonnull(strstr(c, want));
		free(c);
	}
	ck_assert_ptr_nonnull(find(&f, "/Count 300 >>"));
	ck_assert_uint_eq(count(&f, "/Title (page "), 6);
	pdf_free(&f);
	pg_free(&form);
	free(r);
}
END_TEST

START_TEST(test_emit_pdf_pdfa)
{
	struct emit_pdf_opts	 o;
	struct pdf		 f;
	const char		*cat, *md, *oi;

	memset(&o, 0, sizeof(o));
	o.pdfa = 1;
	make_pdf(&f, &o, build_letter, 1);
	cat = find(&f, "/Type /Catalog");
	md = pdf_obj(&f, ref_after(cat, "/Metadata"));
	ck_assert_ptr_nonnull(strstr(md, "/Type /Metadata /Subtype /XML"));
	ck_assert_ptr_null(in_obj(md, "/Filter"));
	ck_assert_ptr_nonnull(strstr(md, "<pdfaid:part>2</pdfaid:part>"));
	ck_assert_ptr_nonnull(strstr(md,
	    "<pdfaid:conformance>B</pdfaid:conformance>"));
	ck_assert_ptr_nonnull(strstr(md, "<xmp:CreateDate>2026-09-01T00:00:00Z"
	    "</xmp:CreateDate>"));
	ck_assert_ptr_nonnull(strstr(md, "Identifiants \xE2\x80\x94 4B"));
	oi = pdf_obj(&f, ref_after(cat, "/OutputIntents ["));
	ck_assert_ptr_nonnull(strstr(oi, "/S /GTS_PDFA1"));
	ck_assert_ptr_nonnull(strstr(pdf_obj(&f, ref_after(oi,
	    "/DestOutputProfile")), "/N 3"));
	ck_assert_ptr_null(find(&f, "/Encrypt"));
	ck_assert_ptr_null(find(&f, "/Transparency"));
	pdf_free(&f);

	/* Without PDF/A: none of it. */
	make_pdf(&f, NULL, build_letter, 1);
	ck_assert_ptr_null(find(&f, "/Metadata"));
	ck_assert_ptr_null(find(&f, "/OutputIntents"));
	pdf_free(&f);
}
END_TEST

START_TEST(test_emit_pdf_no_icc)
{
	struct emit_pdf_opts	 o;
	struct pg_docinfo	 di;
	struct outw		 w;
	char			 path[64];
	char			*msg = NULL;
	size_t			 msglen = 0;
	FILE			*fp;

	memset(&o, 0, sizeof(o));
	memset(&di, 0, sizeof(di));
	o.pdfa = 1;
	o.icc = "/nonexistent/srgb.icc";
	snprintf(path, sizeof(path), "%s/n.pdf", tmpdir);
	ck_assert_int_eq(outw_open(&w, path), 0);
	fp = open_memstream(&msg, &msglen);
	diag_set_stream(fp);
	ck_assert_ptr_null(emit_pdf_begin(&w, &di, &o));
	fclose(fp);
	diag_set_stream(NULL);
	ck_assert_ptr_nonnull(strstr(msg, "/nonexistent/srgb.icc"));
	ck_assert_uint_eq(w.count, 0);
	ck_assert_ptr_null(w.hook);
	outw_abort(&w);
	free(msg);
	diag_reset();
}
END_TEST

static void
count_hook(void *arg, const void *data, size_t len)
{
	*(uint64_t *)arg += len;
	(void)data;
}

/*
 * The ID's digests ride on the writer's hook: a hook the caller set
 * still sees every byte, and gets its place back.  A face whose
 * program is missing is diagnosed, and still named, unembedded.
 */
START_TEST(test_emit_pdf_hook_and_fonts)
{
	struct emit_pdf_opts	 o;
	struct pg_docinfo	 di;
	struct pg_page		 pg;
	struct outw		 w;
	struct emit_pdf		*e;
	char			 path[64];
	char			*msg = NULL;
	size_t			 msglen = 0;
	uint64_t		 seen = 0;
	FILE			*fp;

	memset(&o, 0, sizeof(o));
	memset(&di, 0, sizeof(di));
	o.fontdir = "/nonexistent";
	snprintf(path, sizeof(path), "%s/h.pdf", tmpdir);
	ck_assert_int_eq(outw_open(&w, path), 0);
	outw_set_hook(&w, count_hook, &seen);
	e = emit_pdf_begin(&w, &di, &o);
	ck_assert_ptr_nonnull(e);
	pg_init(&pg, PG_MM(210), PG_MM(297));
	build_letter(&pg, 0);
	ck_assert_int_eq(emit_pdf_page(e, &pg), 0);
	pg_free(&pg);
	fp = open_memstream(&msg, &msglen);
	diag_set_stream(fp);
	ck_assert_int_eq(emit_pdf_end(e), -1);
	fclose(fp);
	diag_set_stream(NULL);
	ck_assert_ptr_nonnull(strstr(msg,
	    "/nonexistent/NimbusSans-Regular.t1"));
	ck_assert(w.hook == count_hook);
	/* Unset, the hook gets what the buffer still held: every byte. */
	outw_set_hook(&w, NULL, NULL);
	ck_assert_uint_eq(seen, w.count);
	/* Still in the writer's buffer: the file is small. */
	ck_assert_uint_eq(w.len, w.count);
	ck_assert(memmem(w.buf, w.len, "/BaseFont /Helvetica /FirstChar",
	    31) != NULL);
	ck_assert(memmem(w.buf, w.len, "/FontFile", 9) == NULL);
	outw_abort(&w);
	free(msg);
	diag_reset();
}
END_TEST

static Suite *
emit_pdf_suite(void)
{
	Suite	*s = suite_create("emit_pdf");
	TCase	*tc = tcase_create("Core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_emit_pdf_header);
	tcase_add_test(tc, test_emit_pdf_xref);
	tcase_add_test(tc, test_emit_pdf_deterministic);
	tcase_add_test(tc, test_emit_pdf_forms);
	tcase_add_test(tc, test_emit_pdf_escape);
	tcase_add_test(tc, test_emit_pdf_operators);
	tcase_add_test(tc, test_emit_pdf_blank);
	tcase_add_test(tc, test_emit_pdf_fonts);
	tcase_add_test(tc, test_emit_pdf_outlines);
	tcase_add_test(tc, test_emit_pdf_trees);
	tcase_add_test(tc, test_emit_pdf_pipeline);
	tcase_add_test(tc, test_emit_pdf_pdfa);
	tcase_add_test(tc, test_emit_pdf_no_icc);
	tcase_add_test(tc, test_emit_pdf_hook_and_fonts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	char	 cmd[64];
	int	 failed;

	diag_init("check_emit_pdf");
	if (mkdtemp(tmpdir) == NULL)
		return 99;
	sr = srunner_create(emit_pdf_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		failed++;
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
