/*
 * emit_pdf: the page model as PDF 1.7, or PDF/A-2b.  See emit_pdf.h.
 *
 * Object numbers are handed out in writing order, except those that a
 * page must name before they exist: the shared resource dictionary
 * (reserved by begin) and the leaf of the page tree a page hangs from
 * (reserved with the first page of each leaf).  A reserved object gets
 * its offset when it is finally written, so the xref, which lists
 * objects by number, never needs the file to be in number order.
 *
 * A page's content is built in memory, deflated and written as one
 * stream with its exact /Length: no length object, no seeking.  Its
 * operators keep the graphics state in step with what was last set
 * (font and size, line width, dash, fill gray), so a letter's 200 text
 * runs do not repeat it.  Consecutive text runs share one BT ... ET and
 * move with relative Td, computed in integer 1/1000 pt, so no position
 * drifts.
 *
 * The run's forms (page.h: the layout's fixed paragraphs) are written
 * with the first page, one Form XObject each, and a page calls them: a
 * letter's content stream is then a third shorter.
 *
 * Deflating the pages' streams is half of this back end's work, so a
 * thread of its own does it (struct pdf_zq): a page's content is built
 * and handed over, and the page is written, in its turn, once it is
 * deflated, a few pages behind.  Everything written is still written
 * by the caller's thread, in page order, with the same object numbers:
 * the file is the same bytes as when each page is deflated in place
 * (as it is when the thread cannot be started).
 *
 * Fonts are written last, when the pages have told which glyphs of
 * which (face, vector) pairs they used: per face one font program, the
 * URW .t1 file cut down to those glyphs (a subset, tagged ABCDEF+ as
 * PDF wants), and per pair one font dictionary with its encoding and
 * the widths of text.c, so PDF and PostScript lay out the same.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "diag.h"
#include "emit_pdf.h"
#include "mem.h"
#include "outw.h"
#include "page.h"
#include "text.h"
#include "utf8.h"

#ifndef URWDIR
#define URWDIR	"/usr/share/fonts/type1/urw-base35"
#endif

#define PDF_FANOUT	64	/* kids of a page tree or label tree node */
#define PDF_NFONT	(FONT__MAX * PG_NENC)	/* /F0 ... one per pair */
/*
 * Deflate level of every stream.  1, not zlib's default 6: deflate was
 * a third of a PDF run and the thread that writes pages is the slower
 * of the two; at level 1 the 20,000-student mailing is 3% larger (32.3
 * MB instead of 31.3 MB) and about 30% faster.
 */
#define PDF_ZLEVEL	1

/*
 * The font descriptor of each face, in enum pg_font order: the URW file
 * stem (also its /FontName), then /Flags (32 nonsymbolic, +1 fixed
 * pitch, +2 serif, +64 italic), /ItalicAngle and /FontBBox from the
 * AFM header, /Ascent and /Descent from the bounding boxes of d and p,
 * /CapHeight and /XHeight from the AFM, /StemV from the program's
 * /StdVW.  Values of fonts-urw-base35 20200910.
 */
static const struct pdf_face {
	const char	*file;
	int		 flags;
	int		 italic;
	int		 bbox[4];
	int		 ascent, descent, capheight, xheight, stemv;
} faces[FONT__MAX] = {
	{ "NimbusSans-Regular", 32, 0, { -210, -299, 1032, 1075 },
	    729, -218, 729, 524, 93 },		/* Helvetica */
	{ "NimbusSans-Bold", 32, 0, { -188, -307, 1069, 1070 },
	    729, -218, 729, 540, 139 },		/* Helvetica-Bold */
	{ "NimbusSans-Italic", 96, -12, { -144, -284, 1154, 1070 },
	    729, -213, 729, 524, 89 },		/* Helvetica-Oblique */
	{ "NimbusSans-BoldItalic", 96, -12, { -144, -309, 1196, 1073 },
	    729, -218, 729, 540, 143 },	/* Helvetica-BoldOblique */
	{ "NimbusSansNarrow-Regular", 32, 0, { -144, -285, 1000, 1072 },
	    718, -207, 718, 523, 72 },		/* Helvetica-Narrow */
	{ "NimbusSansNarrow-Bold", 32, 0, { -144, -307, 1000, 1094 },
	    718, -207, 718, 532, 115 },	/* Helvetica-Narrow-Bold */
	{ "NimbusRoman-Regular", 34, 0, { -168, -281, 1000, 1053 },
	    683, -217, 662, 450, 83 },		/* Times-Roman */
	{ "NimbusRoman-Bold", 34, 0, { -168, -341, 1079, 1044 },
	    676, -205, 676, 461, 138 },		/* Times-Bold */
	{ "NimbusRoman-Italic", 98, -15, { -169, -270, 1085, 951 },
	    683, -205, 653, 432, 78 },		/* Times-Italic */
	{ "NimbusRoman-BoldItalic", 98, -15, { -200, -324, 1154, 972 },
	    699, -205, 669, 449, 118 },		/* Times-BoldItalic */
	{ "NimbusMonoPS-Regular", 35, 0, { -161, -317, 761, 933 },
	    603, -182, 563, 417, 51 },		/* Courier */
	{ "NimbusMonoPS-Bold", 35, 0, { -161, -393, 761, 1007 },
	    603, -196, 583, 437, 108 },		/* Courier-Bold */
	{ "NimbusMonoPS-Italic", 99, -12, { -161, -317, 792, 933 },
	    603, -182, 563, 417, 53 },		/* Courier-Oblique */
	{ "NimbusMonoPS-BoldItalic", 99, -12, { -161, -393, 844, 997 },
	    603, -196, 583, 437, 112 }		/* Courier-BoldOblique */
};

/*
 * PDF's WinAnsiEncoding (ISO 32000-1 Annex D) from code 32 on, NULL
 * where it has no glyph.  Vector 0 of text.c is Windows-1252 too, but
 * its names are its own (U+00A0 may be uni00A0 where WinAnsi says
 * space): the codes where they differ go into /Differences, so the PDF
 * draws exactly the glyphs the PostScript vector names.
 */
static const char *const winansi[224] = {
	"space", "exclam", "quotedbl", "numbersign", "dollar", "percent",
	"ampersand", "quotesingle", "parenleft", "parenright", "asterisk",
	"plus", "comma", "hyphen", "period", "slash", "zero", "one", "two",
	"three", "four", "five", "six", "seven", "eight", "nine", "colon",
	"semicolon", "less", "equal", "greater", "question", "at",
	"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
	"N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
	"bracketleft", "backslash", "bracketright", "asciicircum",
	"underscore", "grave",
	"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
	"n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
	"braceleft", "bar", "braceright", "asciitilde", NULL,
	/* 128 */
	"Euro", NULL, "quotesinglbase", "florin", "quotedblbase",
	"ellipsis", "dagger", "daggerdbl", "circumflex", "perthousand",
	"Scaron", "guilsinglleft", "OE", NULL, "Zcaron", NULL,
	/* 144 */
	NULL, "quoteleft", "quoteright", "quotedblleft", "quotedblright",
	"bullet", "endash", "emdash", "tilde", "trademark", "scaron",
	"guilsinglright", "oe", NULL, "zcaron", "Ydieresis",
	/* 160 */
	"space", "exclamdown", "cent", "sterling", "currency", "yen",
	"brokenbar", "section", "dieresis", "copyright", "ordfeminine",
	"guillemotleft", "logicalnot", "hyphen", "registered", "macron",
	"degree", "plusminus", "twosuperior", "threesuperior", "acute",
	"mu", "paragraph", "periodcentered", "cedilla", "onesuperior",
	"ordmasculine", "guillemotright", "onequarter", "onehalf",
	"threequarters", "questiondown",
	/* 192 */
	"Agrave", "Aacute", "Acircumflex", "Atilde", "Adieresis", "Aring",
	"AE", "Ccedilla", "Egrave", "Eacute", "Ecircumflex", "Edieresis",
	"Igrave", "Iacute", "Icircumflex", "Idieresis", "Eth", "Ntilde",
	"Ograve", "Oacute", "Ocircumflex", "Otilde", "Odieresis",
	"multiply", "Oslash", "Ugrave", "Uacute", "Ucircumflex",
	"Udieresis", "Yacute", "Thorn", "germandbls",
	/* 224 */
	"agrave", "aacute", "acircumflex", "atilde", "adieresis", "aring",
	"ae", "ccedilla", "egrave", "eacute", "ecircumflex", "edieresis",
	"igrave", "iacute", "icircumflex", "idieresis", "eth", "ntilde",
	"ograve", "oacute", "ocircumflex", "otilde", "odieresis", "divide",
	"oslash", "ugrave", "uacute", "ucircumflex", "udieresis", "yacute",
	"thorn", "ydieresis"
};

/* A bookmark, kept until the outline tree is written at the end. */
struct pdf_mark {
	int		 level;
	const char	*title;		/* UTF-8, arena copy */
	uint32_t	 page;		/* page object */
	size_t		 parent;	/* index + 1, 0: the root */
	size_t		 first, last;	/* children, index + 1 */
	size_t		 prev, next;	/* siblings, index + 1 */
	size_t		 desc;		/* descendants, all open */
};

/* A Type 1 program split as /FontFile wants it. */
struct t1prog {
	struct buf	 clear;		/* to "eexec" and its EOL */
	struct buf	 bin;		/* the encrypted part, binary */
	char		 name[128];	/* its /FontName */
};

/* A page handed to the deflater, until it is written. */
struct pdf_job {
	struct buf	 cs;		/* its content, plain (secret) */
	unsigned char	*z;		/* deflated, zlen bytes */
	size_t		 zlen, zcap;
	pg_unit		 width, height;
	char		 label[48];
	struct pg_mark	 marks[4];	/* titles in the arena */
	size_t		 nmarks;
	int		 done;		/* deflated, or nothing to deflate */
};

#define PDF_JOBS	64		/* pages between building and writing */

/*
 * The deflater.  Pages are counted from the first: sub were handed
 * over, wr written, and the thread has looked at those before dz; page
 * k is in jobs[k % PDF_JOBS] while wr <= k < sub.  A blank page is done
 * when handed over and may be written before the thread reaches it, so
 * the thread moves dz up to wr first.  The mutex hands a job's buffers
 * from one thread to the other.
 */
struct pdf_zq {
	pthread_t	 th;
	pthread_mutex_t	 mu;
	pthread_cond_t	 work;		/* a page was handed over, or quit */
	pthread_cond_t	 done;		/* a page was deflated */
	struct libdeflate_compressor *dc; /* the thread's own */
	struct pdf_job	 jobs[PDF_JOBS];
	uint64_t	 sub, wr, dz;
	int		 quit;
};

struct emit_pdf {
	struct outw		*w;
	struct emit_pdf_opts	 opts;
	uint64_t		*off;		/* offset of each object */
	uint32_t		 nobj;		/* objects numbered */
	size_t			 capobj;
	uint32_t		 resources;	/* the shared /Resources */
	uint32_t		 info;		/* /Info */
	uint32_t		 metadata;	/* PDF/A: XMP, or 0 */
	uint32_t		 intent;	/* PDF/A: intent, or 0 */
	int			 duplex;
	uint32_t		*pages;		/* page objects */
	const char	       **labels;	/* page labels (arena) */
	size_t			 npages, cappages;
	uint32_t		*leaves;	/* page tree leaves */
	size_t			 nleaves, capleaves;
	struct pdf_mark		*marks;
	size_t			 nmarks, capmarks;
	struct arena		 strs;		/* labels, titles */
	uint8_t			 used[PDF_NFONT][32]; /* codes shown */
	struct buf		 cs;		/* page content, plain */
	unsigned char		*z;		/* deflated stream */
	size_t			 zlen, zcap;
	struct libdeflate_compressor *dc;
	struct buf		 icc;		/* PDF/A: ICC profile */
	const struct pg_forms	*forms;		/* the first page's */
	uint32_t		*formobj;	/* their XObjects, 0: none */
	uint32_t		 crc, adler;	/* document ID: digests */
	uint64_t		 fnv;		/* of every byte */
	void			(*hook)(void *, const void *, size_t);
	void			*hook_arg;	/* the caller's hook */
	struct pdf_zq		*zq;		/* NULL: deflate in place */
	struct pdf_job		 job1;		/* the page, without zq */
	size_t			 nsubmitted;	/* pages handed to page() */
	uint64_t		 pgstart;	/* where the next page starts */
	emit_pdf_range_fn	*range_fn;	/* told each page's bytes */
	void			*range_arg;
};

static void	 zq_start(struct emit_pdf *);

/* --- objects ------------------------------------------------------ */

static uint32_t
pdf_reserve(struct emit_pdf *p)
{
	if ((size_t)p->nobj + 1 >= p->capobj) {
		p->capobj = p->capobj == 0 ? 1024 : p->capobj * 2;
		p->off = xreallocarray(p->off, p->capobj, sizeof(*p->off));
	}
	p->off[++p->nobj] = 0;
	return p->nobj;
}

/* Start object n here: its offset is the writer's count. */
static void
pdf_obj(struct emit_pdf *p, uint32_t n)
{
	p->off[n] = p->w->count;
	outw_int(p->w, n);
	outw_puts(p->w, " 0 obj\n");
}

static uint32_t
pdf_newobj(struct emit_pdf *p)
{
	uint32_t	 n = pdf_reserve(p);

	pdf_obj(p, n);
	return n;
}

static void
pdf_ref(struct emit_pdf *p, const char *key, uint32_t n)
{
	outw_puts(p->w, key);
	outw_putc(p->w, ' ');
	outw_int(p->w, n);
	outw_puts(p->w, " 0 R");
}

/*
 * The compressor's memory, with its size in front so that it can be
 * zeroed when it is given back: what it keeps of a page's content
 * between calls may hold activation codes.
 */
static void *
pdf_dalloc(size_t n)
{
	max_align_t	*m;

	if (n > SIZE_MAX - sizeof(*m) ||
	    (m = malloc(sizeof(*m) + n)) == NULL)
		return NULL;
	memcpy(m, &n, sizeof(n));
	return m + 1;
}

static void
pdf_dfree(void *ptr)
{
	max_align_t	*m;
	size_t		 n;

	if (ptr == NULL)
		return;
	m = (max_align_t *)ptr - 1;
	memcpy(&n, m, sizeof(n));
	mem_wipe(ptr, n);
	free(m);
}

/*
 * Deflate len bytes into p->z, in the zlib format /FlateDecode reads.
 * libdeflate, not zlib: a stream is always a whole buffer in memory, and
 * libdeflate compresses one in a fraction of zlib's time, on the thread
 * whose deflating set the pace of a PDF run.  Given the bound's room,
 * it cannot fail.
 */
static void
pdf_deflate_into(struct libdeflate_compressor *dc, const void *src,
    size_t len, unsigned char **z, size_t *zcap, size_t *zlen)
{
	size_t	 bound;

	bound = libdeflate_zlib_compress_bound(dc, len);
	if (bound > *zcap) {
		mem_wipe(*z, *zcap);
		free(*z);
		*zcap = bound;
		*z = xmalloc(*zcap);
	}
	*zlen = libdeflate_zlib_compress(dc, src, len, *z, bound);
	if (*zlen == 0)
		diag_fatal_nomem();
}

static void
pdf_deflate(struct emit_pdf *p, const void *src, size_t len)
{
	pdf_deflate_into(p->dc, src, len, &p->z, &p->zcap, &p->zlen);
}

/* A stream object: data as it is, deflated already when filter. */
static void
pdf_stream_out(struct emit_pdf *p, uint32_t n, const char *dict,
    const void *data, size_t len, int filter)
{
	pdf_obj(p, n);
	outw_puts(p->w, "<< /Length ");
	outw_int(p->w, (long long)len);
	if (filter)
		outw_puts(p->w, " /Filter /FlateDecode");
	outw_puts(p->w, dict);
	outw_puts(p->w, " >>\nstream\n");
	outw_write(p->w, data, len);
	outw_puts(p->w, "\nendstream\nendobj\n");
}

static void
pdf_stream(struct emit_pdf *p, uint32_t n, const char *dict,
    const void *data, size_t len, int raw)
{
	if (!raw) {
		pdf_deflate(p, data, len);
		data = p->z;
		len = p->zlen;
	}
	pdf_stream_out(p, n, dict, data, len, !raw);
}

/* --- strings ------------------------------------------------------ */

/*
 * A literal string: ( ) and \ escaped, every byte outside printable
 * ASCII as three octal digits, so the file's text stays 7-bit and no
 * name (") showpage (") can end the string early.
 */
static void
pdf_literal(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	char			*o;
	size_t			 i;

	buf_grow(b, len * 4 + 2);
	o = b->p + b->len;
	*o++ = '(';
	for (i = 0; i < len; i++) {
		if (u[i] == '(' || u[i] == ')' || u[i] == '\\') {
			*o++ = '\\';
			*o++ = (char)u[i];
		} else if (u[i] < 0x20 || u[i] >= 0x7F) {
			*o++ = '\\';
			*o++ = (char)('0' + (u[i] >> 6));
			*o++ = (char)('0' + ((u[i] >> 3) & 7));
			*o++ = (char)('0' + (u[i] & 7));
		} else
			*o++ = (char)u[i];
	}
	*o++ = ')';
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

/*
 * A text string (titles, labels, /Info): printable ASCII as a literal,
 * the same in PDFDocEncoding; anything else as UTF-16BE with its byte
 * order mark, in hex.  Invalid UTF-8 becomes U+FFFD.
 */
static void
pdf_text(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i, len, adv;
	uint32_t		 cp, u[2];
	int			 k, n;

	len = strlen(s);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7F)
			break;
	if (i == len) {
		pdf_literal(b, s, len);
		return;
	}
	buf_adds(b, "<FEFF");
	for (i = 0; i < len; i += adv) {
		cp = utf8_decode(s + i, len - i, &adv);
		if (cp == UTF8_INVALID)
			cp = 0xFFFD;
		if (cp > 0xFFFF) {
			cp -= 0x10000;
			u[0] = 0xD800 | (cp >> 10);
			u[1] = 0xDC00 | (cp & 0x3FF);
			n = 2;
		} else {
			u[0] = cp;
			n = 1;
		}
		for (k = 0; k < n; k++) {
			buf_addc(b, hex[(u[k] >> 12) & 15]);
			buf_addc(b, hex[(u[k] >> 8) & 15]);
			buf_addc(b, hex[(u[k] >> 4) & 15]);
			buf_addc(b, hex[u[k] & 15]);
		}
	}
	buf_addc(b, '>');
}

static void
pdf_puttext(struct emit_pdf *p, const char *key, const char *s)
{
	struct buf	 b;

	buf_init(&b);
	buf_adds(&b, key);
	buf_addc(&b, ' ');
	pdf_text(&b, s);
	outw_write(p->w, b.p, b.len);
	buf_free(&b);
}

/* A name: delimiters and bytes outside printable ASCII as #xx. */
static void
pdf_name(struct emit_pdf *p, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*u;

	outw_putc(p->w, '/');
	for (u = (const unsigned char *)s; *u != '\0'; u++) {
		if (*u <= 0x20 || *u >= 0x7F || strchr("#%()/<>[]{}", *u)) {
			outw_putc(p->w, '#');
			outw_putc(p->w, hex[*u >> 4]);
			outw_putc(p->w, hex[*u & 15]);
		} else
			outw_putc(p->w, *u);
	}
}

/* XML character data for the XMP packet. */
static void
xml_text(struct buf *b, const char *s)
{
	size_t		 i, len, adv;
	uint32_t	 cp;
	char		 u8[4];

	len = strlen(s);
	for (i = 0; i < len; i += adv) {
		cp = utf8_decode(s + i, len - i, &adv);
		if (cp == UTF8_INVALID)
			cp = 0xFFFD;
		if (cp == '&')
			buf_adds(b, "&amp;");
		else if (cp == '<')
			buf_adds(b, "&lt;");
		else if (cp == '>')
			buf_adds(b, "&gt;");
		else if (cp < 0x20 && cp != '\t' && cp != '\n')
			buf_addc(b, ' ');	/* not allowed in XML 1.0 */
		else
			buf_add(b, u8, utf8_encode(cp, u8));
	}
}

/* --- content streams ---------------------------------------------- */

/*
 * Thousandths as a short decimal and a space, as outw_fixed3 does for
 * the file.
 */
static void
cs_num(struct buf *b, long long v)
{
	char	 t[OUTW_NUM_MAX + 1], *p;

	t[OUTW_NUM_MAX] = ' ';
	p = outw_fmt_fixed3(t + OUTW_NUM_MAX, v);
	buf_add(b, p, (size_t)(t + sizeof(t) - p));
}

static void
cs_int(struct buf *b, long long v)
{
	cs_num(b, v * 1000);
}

/*
 * What the content stream has set so far; a page starts from PDF's
 * initial graphics state (1 pt lines, solid, black).
 */
struct cs_state {
	int		 font;		/* /F index, -1 none */
	pg_unit		 size;
	pg_unit		 lw, dash;
	int		 gray;		/* fill, 0 black */
	int		 bt;		/* inside BT ... ET */
	pg_unit		 tx, ty;	/* text line origin */
};

static void
cs_stroke(struct buf *b, struct cs_state *st, pg_unit width, pg_unit dash)
{
	if (width != st->lw) {
		cs_num(b, width);
		buf_adds(b, "w\n");
		st->lw = width;
	}
	if (dash != st->dash) {
		if (dash > 0) {
			buf_addc(b, '[');
			cs_num(b, dash);
			cs_num(b, dash);
			buf_adds(b, "] 0 d\n");
		} else
			buf_adds(b, "[] 0 d\n");
		st->dash = dash;
	}
}

static void
cs_text(struct emit_pdf *p, struct cs_state *st, const struct pg_text *t)
{
	struct buf	*b = &p->cs;
	uint8_t		*used;
	int		 k;
	uint32_t	 i;

	if (t->font >= FONT__MAX || t->enc >= PG_NENC || t->len == 0)
		return;		/* pg_text never builds one */
	k = t->font * PG_NENC + t->enc;
	if (!st->bt) {
		buf_adds(b, "BT\n");
		st->bt = 1;
		st->tx = st->ty = 0;
	}
	/* Text is black; a fill may have left another gray. */
	if (st->gray != 0) {
		buf_adds(b, "0 g\n");
		st->gray = 0;
	}
	if (k != st->font || t->size != st->size) {
		buf_adds(b, "/F");
		cs_int(b, k);
		cs_num(b, t->size);
		buf_adds(b, "Tf\n");
		st->font = k;
		st->size = t->size;
	}
	cs_num(b, (long long)t->x - st->tx);
	cs_num(b, (long long)t->y - st->ty);
	buf_adds(b, "Td ");
	st->tx = t->x;
	st->ty = t->y;
	pdf_literal(b, t->s, t->len);
	buf_adds(b, "Tj\n");
	used = p->used[k];
	for (i = 0; i < t->len; i++)
		used[(uint8_t)t->s[i] >> 3] |= 1U << ((uint8_t)t->s[i] & 7);
}

static void
cs_item(struct emit_pdf *p, struct cs_state *st, const struct pg_item *it)
{
	struct buf		*b = &p->cs;
	const struct pg_rect	*r;

	if (it->kind == PG_TEXT) {
		cs_text(p, st, &it->u.text);
		return;
	}
	/* Paths are not allowed inside a text object. */
	if (st->bt) {
		buf_adds(b, "ET\n");
		st->bt = 0;
	}
	switch (it->kind) {
	case PG_LINE:
		cs_stroke(b, st, it->u.line.width, it->u.line.dash);
		cs_num(b, it->u.line.x0);
		cs_num(b, it->u.line.y0);
		buf_adds(b, "m ");
		cs_num(b, it->u.line.x1);
		cs_num(b, it->u.line.y1);
		buf_adds(b, "l S\n");
		break;
	case PG_RECT:
		r = &it->u.rect;
		if (!r->fill && r->width <= 0)
			break;
		if (r->width > 0)
			cs_stroke(b, st, r->width, r->dash);
		if (r->fill && r->gray != st->gray) {
			cs_num(b, (r->gray * 1000 + 127) / 255);
			buf_adds(b, "g\n");
			st->gray = r->gray;
		}
		cs_num(b, r->x);
		cs_num(b, r->y);
		cs_num(b, r->w);
		cs_num(b, r->h);
		/* The outline stays black: B fills, then strokes. */
		buf_adds(b, r->fill == 0 ? "re S\n" :
		    r->width > 0 ? "re B\n" : "re f\n");
		break;
	default:
		break;
	}
}

/*
 * A page's content stream.  A form of the file's is called as its
 * XObject inside q ... Q, so that the page's state is the same after
 * it; any other is drawn in place, item by item.
 */
static void
cs_page(struct emit_pdf *p, const struct pg_page *pg)
{
	struct cs_state		 st;
	struct pg_item		 fi;
	const struct pg_item	*it;
	const struct pg_use	*u;
	size_t			 i, k;

	memset(&st, 0, sizeof(st));
	st.font = -1;
	st.lw = 1000;
	buf_reset(&p->cs);
	for (i = 0; i < pg->nitems; i++) {
		it = &pg->items[i];
		if (it->kind != PG_FORM) {
			cs_item(p, &st, it);
			continue;
		}
		u = &it->u.use;
		if (p->formobj != NULL && pg->forms == p->forms &&
		    u->form < p->forms->n && p->formobj[u->form] != 0) {
			/* Do is not allowed in a text object. */
			if (st.bt) {
				buf_adds(&p->cs, "ET\n");
				st.bt = 0;
			}
			buf_adds(&p->cs, "q 1 0 0 1 ");
			cs_num(&p->cs, u->x);
			cs_num(&p->cs, u->y);
			buf_adds(&p->cs, "cm /Fm");
			cs_int(&p->cs, u->form);
			buf_adds(&p->cs, "Do Q\n");
			continue;
		}
		/* Not an XObject of this file: drawn in place. */
		for (k = 0; pg_form_item(pg, u, k, &fi) == 0; k++)
			cs_item(p, &st, &fi);
	}
	if (st.bt)
		buf_adds(&p->cs, "ET\n");
}

/* --- the document ID ---------------------------------------------- */

/*
 * The trailer's /ID must be there (PDF/A) and must not come from the
 * clock, so it is a digest of every byte written before the trailer:
 * CRC-32 and Adler-32 (zlib's, computed by libdeflate, which does them
 * several bytes a cycle) and a 64-bit FNV-1a, 16 bytes.  None is
 * cryptographic, nor needs to be: an ID only has to be deterministic
 * and change with the content (the manifest keeps a SHA-256 of the
 * run).  The digests ride on the writer's hook, in front of any hook
 * the caller set, which still sees every byte; the writer hands it its
 * buffer a piece at a time.
 */
#define FNV_PRIME	0x100000001b3ULL

static void
pdf_hook(void *arg, const void *data, size_t len)
{
	struct emit_pdf		*p = arg;
	const unsigned char	*u = data;
	size_t			 i;
	uint64_t		 h;

	if (p->hook != NULL)
		p->hook(p->hook_arg, data, len);
	p->crc = libdeflate_crc32(p->crc, u, len);
	p->adler = libdeflate_adler32(p->adler, u, len);
	/* FNV-1a is a chain of multiplies: unrolled, only they remain. */
	h = p->fnv;
	for (i = 0; i + 4 <= len; i += 4) {
		h = (h ^ u[i]) * FNV_PRIME;
		h = (h ^ u[i + 1]) * FNV_PRIME;
		h = (h ^ u[i + 2]) * FNV_PRIME;
		h = (h ^ u[i + 3]) * FNV_PRIME;
	}
	for (; i < len; i++)
		h = (h ^ u[i]) * FNV_PRIME;
	p->fnv = h;
}

static void
pdf_unhook(struct emit_pdf *p)
{
	/* pdf_hook first sees what the buffer still holds. */
	if (p->w->hook == pdf_hook && p->w->hook_arg == p)
		outw_set_hook(p->w, p->hook, p->hook_arg);
}

/* --- document parts written by begin ------------------------------ */

/* YYYY-MM-DD, or 0: only then do dates go into the file. */
static int
pdf_date_ok(const char *d)
{
	int	 i;

	if (d == NULL || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return 0;
	return 1;
}

/*
 * /Info and, for PDF/A, the XMP packet hold the same four facts, as
 * PDF/A requires: title, creator, producer, creation date (midnight
 * UTC of the run's date: the date is what the letters print, the hour
 * would be the clock's).
 */
static void
pdf_info(struct emit_pdf *p, const struct pg_docinfo *di)
{
	struct outw	*w = p->w;

	p->info = pdf_newobj(p);
	outw_puts(w, "<<");
	if (di->title != NULL)
		pdf_puttext(p, " /Title", di->title);
	if (di->creator != NULL)
		pdf_puttext(p, " /Creator", di->creator);
	outw_puts(w, " /Producer (entpress)");
	if (pdf_date_ok(di->date))
		outw_printf(w, " /CreationDate (D:%.4s%.2s%.2s000000Z)",
		    di->date, di->date + 5, di->date + 8);
	outw_puts(w, " >>\nendobj\n");
}

static void
pdf_xmp(struct emit_pdf *p, const struct pg_docinfo *di)
{
	struct buf	 b;

	buf_init(&b);
	/* No bytes= or encoding= attributes: PDF/A-2 forbids them. */
	buf_adds(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" "
	    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf="
	    "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	    "<rdf:Description rdf:about=\"\"\n"
	    " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
	    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	    " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
	    " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
	    "<pdfaid:part>2</pdfaid:part>\n"
	    "<pdfaid:conformance>B</pdfaid:conformance>\n");
	if (di->title != NULL) {
		buf_adds(&b, "<dc:title><rdf:Alt><rdf:li xml:lang="
		    "\"x-default\">");
		xml_text(&b, di->title);
		buf_adds(&b, "</rdf:li></rdf:Alt></dc:title>\n");
	}
	if (di->creator != NULL) {
		buf_adds(&b, "<xmp:CreatorTool>");
		xml_text(&b, di->creator);
		buf_adds(&b, "</xmp:CreatorTool>\n");
	}
	if (pdf_date_ok(di->date))
		buf_printf(&b, "<xmp:CreateDate>%sT00:00:00Z"
		    "</xmp:CreateDate>\n", di->date);
	buf_adds(&b, "<pdf:Producer>entpress</pdf:Producer>\n"
	    "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
	    "<?xpacket end=\"r\"?>");
	/* Unfiltered, so that tools that do not parse PDF find it. */
	p->metadata = pdf_reserve(p);
	pdf_stream(p, p->metadata, " /Type /Metadata /Subtype /XML",
	    b.p, b.len, 1);
	buf_free(&b);
}

/* The output intent: PDF/A's promise of what the gray and RGB mean. */
static void
pdf_intent(struct emit_pdf *p)
{
	uint32_t	 prof;

	prof = pdf_reserve(p);
	pdf_stream(p, prof, " /N 3", p->icc.p, p->icc.len, 0);
	p->intent = pdf_newobj(p);
	outw_puts(p->w, "<< /Type /OutputIntent /S /GTS_PDFA1"
	    " /OutputConditionIdentifier (sRGB IEC61966-2.1)"
	    " /Info (sRGB IEC61966-2.1)");
	pdf_ref(p, " /DestOutputProfile", prof);
	outw_puts(p->w, " >>\nendobj\n");
}

static int
pdf_slurp(const char *path, struct buf *b)
{
	FILE	*fp;
	size_t	 n;

	buf_reset(b);
	if ((fp = fopen(path, "rb")) == NULL) {
		diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
		return -1;
	}
	do {
		buf_grow(b, 65536);
		n = fread(b->p + b->len, 1, 65536, fp);
		b->len += n;
	} while (n > 0);
	if (ferror(fp)) {
		diag_sys(DIAG_SYS_READ, path, "%s", strerror(errno));
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return 0;
}

struct emit_pdf *
emit_pdf_begin(struct outw *w, const struct pg_docinfo *di,
    const struct emit_pdf_opts *opts)
{
	struct emit_pdf	*p;
	const char	*icc;

	p = xcalloc(1, sizeof(*p));
	p->w = w;
	if (opts != NULL)
		p->opts = *opts;
	p->duplex = di->duplex;
	buf_init_secret(&p->cs);
	buf_init_secret(&p->job1.cs);
	buf_init(&p->icc);
	arena_init(&p->strs);

	/*
	 * Read the profile before writing anything: without it there is
	 * no PDF/A file to write.  An ICC header says "acsp" at 36 and
	 * its colour space at 16: the intent below is for RGB.
	 */
	if (p->opts.pdfa) {
		icc = p->opts.icc != NULL ? p->opts.icc : EMIT_PDF_ICC;
		if (pdf_slurp(icc, &p->icc) == -1) {
			buf_free(&p->icc);
			free(p);
			return NULL;
		}
		if (p->icc.len < 128 || memcmp(p->icc.p + 36, "acsp", 4) ||
		    memcmp(p->icc.p + 16, "RGB ", 4)) {
			diag_sys(DIAG_SYS_READ, icc, "not an RGB ICC profile");
			buf_free(&p->icc);
			free(p);
			return NULL;
		}
	}
	libdeflate_set_memory_allocator(pdf_dalloc, pdf_dfree);
	if ((p->dc = libdeflate_alloc_compressor(PDF_ZLEVEL)) == NULL)
		diag_fatal_nomem();

	p->crc = libdeflate_crc32(0, NULL, 0);
	p->adler = libdeflate_adler32(1, NULL, 0);
	p->fnv = 0xcbf29ce484222325ULL;
	p->hook = w->hook;
	p->hook_arg = w->hook_arg;
	outw_set_hook(w, pdf_hook, p);
	zq_start(p);

	/* Four bytes over 127 tell transfer programs the file is binary. */
	outw_puts(w, "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
	p->resources = pdf_reserve(p);
	pdf_info(p, di);
	if (p->opts.pdfa) {
		pdf_xmp(p, di);
		pdf_intent(p);
	}
	return p;
}

/* --- pages -------------------------------------------------------- */

/*
 * The run's forms (see page.h), written with the first page: one Form
 * XObject each, /Fm<i> in the shared resources, so that a page calls a
 * fixed paragraph instead of holding it, and the content stream that
 * is deflated for every page is that much shorter.  A form does not
 * rely on the state of the page calling it: its stream starts as if
 * nothing were set.  Its box is twice the page in each direction, since
 * the origin may be anywhere on it.
 */
static void
pdf_forms(struct emit_pdf *p, const struct pg_page *pg)
{
	const struct pg_page	*f;
	struct cs_state		 st;
	struct buf		 dict;
	size_t			 i, k;

	p->forms = pg->forms;
	if (p->forms == NULL || p->forms->n == 0)
		return;
	p->formobj = xcalloc(p->forms->n, sizeof(*p->formobj));
	buf_init(&dict);
	for (i = 0; i < p->forms->n; i++) {
		f = &p->forms->v[i];
		for (k = 0; k < f->nitems; k++)
			if (f->items[k].kind == PG_FORM)
				break;
		if (k < f->nitems || f->nitems == 0)
			continue;
		memset(&st, 0, sizeof(st));
		st.font = -1;
		st.gray = st.lw = st.dash = -1;
		buf_reset(&p->cs);
		for (k = 0; k < f->nitems; k++)
			cs_item(p, &st, &f->items[k]);
		if (st.bt)
			buf_adds(&p->cs, "ET\n");
		buf_reset(&dict);
		buf_adds(&dict, " /Type /XObject /Subtype /Form /BBox [");
		cs_num(&dict, -(long long)pg->width);
		cs_num(&dict, -(long long)pg->height);
		cs_num(&dict, pg->width);
		cs_num(&dict, pg->height);
		dict.len--;		/* cs_num's space */
		buf_adds(&dict, "] /Resources ");
		cs_int(&dict, p->resources);
		buf_adds(&dict, "0 R");
		p->formobj[i] = pdf_reserve(p);
		pdf_stream(p, p->formobj[i], dict.p, p->cs.p, p->cs.len, 0);
	}
	buf_free(&dict);
}

/* --- pages, and their deflater ------------------------------------ */

/* Write a page whose content is deflated (or empty), in its turn. */
static void
page_write(struct emit_pdf *p, const struct pdf_job *j)
{
	struct outw	*w = p->w;
	uint32_t	 contents = 0, page;
	size_t		 i;

	/* A blank verso has no content stream at all. */
	if (j->cs.len > 0) {
		contents = pdf_reserve(p);
		pdf_stream_out(p, contents, "", j->z, j->zlen, 1);
	}

	if (p->npages % PDF_FANOUT == 0) {
		if (p->nleaves == p->capleaves) {
			p->capleaves = p->capleaves == 0 ? 16 :
			    p->capleaves * 2;
			p->leaves = xreallocarray(p->leaves, p->capleaves,
			    sizeof(*p->leaves));
		}
		p->leaves[p->nleaves++] = pdf_reserve(p);
	}
	page = pdf_newobj(p);
	outw_puts(w, "<< /Type /Page");
	pdf_ref(p, " /Parent", p->leaves[p->nleaves - 1]);
	outw_puts(w, " /MediaBox [0 0 ");
	outw_fixed3(w, j->width);
	outw_putc(w, ' ');
	outw_fixed3(w, j->height);
	outw_putc(w, ']');
	pdf_ref(p, " /Resources", p->resources);
	if (contents != 0)
		pdf_ref(p, " /Contents", contents);
	outw_puts(w, " >>\nendobj\n");

	if (p->npages == p->cappages) {
		p->cappages = p->cappages == 0 ? 256 : p->cappages * 2;
		p->pages = xreallocarray(p->pages, p->cappages,
		    sizeof(*p->pages));
		p->labels = xreallocarray(p->labels, p->cappages,
		    sizeof(*p->labels));
	}
	p->pages[p->npages] = page;
	p->labels[p->npages] = arena_strndup(&p->strs, j->label,
	    strnlen(j->label, sizeof(j->label)));

	for (i = 0; i < j->nmarks; i++) {
		if (p->nmarks == p->capmarks) {
			p->capmarks = p->capmarks == 0 ? 64 :
			    p->capmarks * 2;
			p->marks = xreallocarray(p->marks, p->capmarks,
			    sizeof(*p->marks));
		}
		memset(&p->marks[p->nmarks], 0, sizeof(*p->marks));
		p->marks[p->nmarks].level = j->marks[i].level;
		p->marks[p->nmarks].title = j->marks[i].title;
		p->marks[p->nmarks].page = page;
		p->nmarks++;
	}
	if (p->range_fn != NULL)
		p->range_fn(p->range_arg, p->npages, p->pgstart, w->count);
	p->pgstart = w->count;
	p->npages++;
}

/*
 * The deflater's loop: the pages handed over, in order, each deflated
 * outside the lock into its job's buffer.
 */
static void *
zq_main(void *arg)
{
	struct pdf_zq	*zq = arg;
	struct pdf_job	*j;

	pthread_mutex_lock(&zq->mu);
	for (;;) {
		if (zq->dz < zq->wr)
			zq->dz = zq->wr;
		while (zq->dz == zq->sub && !zq->quit)
			pthread_cond_wait(&zq->work, &zq->mu);
		if (zq->quit)
			break;
		j = &zq->jobs[zq->dz % PDF_JOBS];
		if (!j->done) {
			pthread_mutex_unlock(&zq->mu);
			pdf_deflate_into(zq->dc, j->cs.p, j->cs.len, &j->z,
			    &j->zcap, &j->zlen);
			pthread_mutex_lock(&zq->mu);
			j->done = 1;
			pthread_cond_signal(&zq->done);
		}
		zq->dz++;
	}
	pthread_mutex_unlock(&zq->mu);
	return NULL;
}

/* The deflater, at begin; without one, pages are deflated in place. */
static void
zq_start(struct emit_pdf *p)
{
	struct pdf_zq	*zq;
	size_t		 i;

	zq = xcalloc(1, sizeof(*zq));
	for (i = 0; i < PDF_JOBS; i++)
		buf_init_secret(&zq->jobs[i].cs);
	if ((zq->dc = libdeflate_alloc_compressor(PDF_ZLEVEL)) == NULL)
		diag_fatal_nomem();
	pthread_mutex_init(&zq->mu, NULL);
	pthread_cond_init(&zq->work, NULL);
	pthread_cond_init(&zq->done, NULL);
	p->zq = zq;
	if (pthread_create(&zq->th, NULL, zq_main, zq) != 0) {
		p->zq = NULL;
		libdeflate_free_compressor(zq->dc);
		pthread_mutex_destroy(&zq->mu);
		pthread_cond_destroy(&zq->work);
		pthread_cond_destroy(&zq->done);
		for (i = 0; i < PDF_JOBS; i++)
			buf_free(&zq->jobs[i].cs);
		free(zq);
	}
}

/* Write the oldest page handed over, once it is deflated. */
static void
zq_write_oldest(struct emit_pdf *p)
{
	struct pdf_zq	*zq = p->zq;
	struct pdf_job	*j = &zq->jobs[zq->wr % PDF_JOBS];

	pthread_mutex_lock(&zq->mu);
	while (!j->done)
		pthread_cond_wait(&zq->done, &zq->mu);
	pthread_mutex_unlock(&zq->mu);
	page_write(p, j);
	pthread_mutex_lock(&zq->mu);
	j->done = 0;
	zq->wr++;
	pthread_mutex_unlock(&zq->mu);
}

/* Every page handed over, written. */
static void
zq_drain(struct emit_pdf *p)
{
	while (p->zq != NULL && p->zq->wr < p->zq->sub)
		zq_write_oldest(p);
}

/*
 * The thread leaves and the jobs are wiped: their buffers held pages,
 * and pages hold activation codes.
 */
static void
zq_stop(struct emit_pdf *p)
{
	struct pdf_zq	*zq = p->zq;
	size_t		 i;

	if (zq == NULL)
		return;
	pthread_mutex_lock(&zq->mu);
	zq->quit = 1;
	pthread_cond_signal(&zq->work);
	pthread_mutex_unlock(&zq->mu);
	pthread_join(zq->th, NULL);
	libdeflate_free_compressor(zq->dc);
	pthread_mutex_destroy(&zq->mu);
	pthread_cond_destroy(&zq->work);
	pthread_cond_destroy(&zq->done);
	for (i = 0; i < PDF_JOBS; i++) {
		mem_wipe(zq->jobs[i].z, zq->jobs[i].zcap);
		free(zq->jobs[i].z);
		mem_wipe(zq->jobs[i].cs.p, zq->jobs[i].cs.cap);
		buf_free(&zq->jobs[i].cs);
	}
	free(zq);
	p->zq = NULL;
}

int
emit_pdf_page(struct emit_pdf *p, const struct pg_page *pg)
{
	struct pdf_zq	*zq = p->zq;
	struct pdf_job	*j;
	struct buf	 tmp;
	size_t		 i;

	if (p->nsubmitted++ == 0) {
		p->pgstart = p->w->count;
		pdf_forms(p, pg);
	}
	if (zq != NULL && zq->sub - zq->wr == PDF_JOBS)
		zq_write_oldest(p);
	j = zq != NULL ? &zq->jobs[zq->sub % PDF_JOBS] : &p->job1;

	/* The content is built in p->cs, then traded for the job's. */
	cs_page(p, pg);
	tmp = j->cs;
	j->cs = p->cs;
	p->cs = tmp;
	j->width = pg->width;
	j->height = pg->height;
	memcpy(j->label, pg->label, sizeof(j->label));
	j->nmarks = pg->nmarks;
	for (i = 0; i < pg->nmarks; i++) {
		j->marks[i].level = pg->marks[i].level;
		j->marks[i].title = arena_strdup(&p->strs,
		    pg->marks[i].title != NULL ? pg->marks[i].title : "");
	}

	if (zq == NULL) {
		if (j->cs.len > 0)
			pdf_deflate_into(p->dc, j->cs.p, j->cs.len, &j->z,
			    &j->zcap, &j->zlen);
		page_write(p, j);
		return p->w->err != 0 ? -1 : 0;
	}
	pthread_mutex_lock(&zq->mu);
	j->done = j->cs.len == 0;	/* nothing to deflate */
	zq->sub++;
	pthread_cond_signal(&zq->work);
	pthread_mutex_unlock(&zq->mu);
	return p->w->err != 0 ? -1 : 0;
}

void
emit_pdf_on_range(struct emit_pdf *p, emit_pdf_range_fn *fn, void *arg)
{
	p->range_fn = fn;
	p->range_arg = arg;
}

/* --- Type 1 font programs ----------------------------------------- */

#define T1_EEXEC_R	55665	/* eexec encryption key */
#define T1_CHARS_R	4330	/* charstring encryption key */

static int
t1_ishex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static int
t1_hexval(int c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/*
 * Split a PFA or headerless PFB file: the cleartext through
 * "currentfile eexec" and one EOL; then the encrypted part, in binary
 * (the URW .t1 files) or hex (classic PFA), up to the 512 zeros and
 * cleartomark that end the PostScript file.  Those are dropped
 * (/Length3 0): a reader stops at the closefile before them.
 */
static int
t1_split(const struct buf *f, struct t1prog *t)
{
	static const char	 key[] = "currentfile eexec";
	const unsigned char	*u = (const unsigned char *)f->p;
	const char		*e, *nm;
	size_t			 c, end, i, zeros, n;
	int			 hi = -1;

	e = memmem(f->p, f->len, key, sizeof(key) - 1);
	if (e == NULL)
		return -1;
	c = (size_t)(e - f->p) + sizeof(key) - 1;
	if (c < f->len && u[c] == '\r')
		c++;
	if (c < f->len && u[c] == '\n')
		c++;

	/* Walk back over cleartomark and 512 zeros, if they are there. */
	end = f->len;
	for (i = f->len; i >= c + 11; i--)
		if (memcmp(f->p + i - 11, "cleartomark", 11) == 0)
			break;
	if (i >= c + 11) {
		i -= 11;
		for (zeros = 0; i > c && zeros < 512; i--) {
			if (u[i - 1] == '0')
				zeros++;
			else if (u[i - 1] != '\r' && u[i - 1] != '\n' &&
			    u[i - 1] != ' ' && u[i - 1] != '\t')
				break;
		}
		if (zeros == 512)
			end = i;
	}
	if (end < c + 4)
		return -1;

	buf_reset(&t->clear);
	buf_add(&t->clear, f->p, c);
	buf_reset(&t->bin);
	if (t1_ishex(u[c]) && t1_ishex(u[c + 1]) && t1_ishex(u[c + 2]) &&
	    t1_ishex(u[c + 3])) {
		buf_grow(&t->bin, (end - c) / 2);
		for (i = c; i < end; i++) {
			if (!t1_ishex(u[i]))
				continue;
			if (hi < 0)
				hi = t1_hexval(u[i]);
			else {
				buf_addc(&t->bin, hi << 4 | t1_hexval(u[i]));
				hi = -1;
			}
		}
	} else
		buf_add(&t->bin, f->p + c, end - c);

	/* The program's own name: PDF's /BaseFont must say the same. */
	nm = memmem(t->clear.p, t->clear.len, "/FontName", 9);
	if (nm == NULL)
		return -1;
	nm += 9;
	while (*nm == ' ' || *nm == '\t')
		nm++;
	if (*nm != '/')
		return -1;
	nm++;
	n = strcspn(nm, " \t\r\n/{}[]()<>%");
	if (n == 0 || n >= sizeof(t->name) - 8)
		return -1;
	memcpy(t->name, nm, n);
	t->name[n] = '\0';
	return 0;
}

/* eexec decryption and encryption (Type 1 spec, chapter 7). */
static void
t1_crypt(unsigned char *s, size_t len, int encrypt)
{
	uint16_t	 r = T1_EEXEC_R;
	unsigned char	 c, o;
	size_t		 i;

	for (i = 0; i < len; i++) {
		c = s[i];
		o = (unsigned char)(c ^ (r >> 8));
		r = (uint16_t)(((encrypt ? o : c) + r) * 52845U + 22719U);
		s[i] = o;
	}
}

/*
 * Does a charstring call seac?  Its accent and base glyph are named by
 * StandardEncoding codes, which a subset would have to follow; the URW
 * fonts draw accents without it, so meeting one simply means that the
 * face is embedded whole.
 */
static int
t1_seac(const unsigned char *s, size_t len, long leniv)
{
	uint16_t	 r = T1_CHARS_R;
	unsigned int	 v, skip = 0;
	int		 esc = 0;
	size_t		 i;

	for (i = 0; i < len; i++) {
		v = s[i];
		if (leniv >= 0) {
			v = s[i] ^ (r >> 8);
			r = (uint16_t)((s[i] + r) * 52845U + 22719U);
			if (i < (size_t)leniv)
				continue;
		}
		if (skip > 0)
			skip--;
		else if (esc) {
			if (v == 6)
				return 1;
			esc = 0;
		} else if (v == 12)
			esc = 1;
		else if (v >= 247 && v <= 254)
			skip = 1;
		else if (v == 255)
			skip = 4;
	}
	return 0;
}

static int
t1_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Keep only the charstrings named in keep (and .notdef, which every
 * font needs), and rename the font tag+name.  Subrs stay: glyphs call
 * them by number.  On anything unexpected the program is left whole
 * and -1 returned; the caller embeds it as it is.
 */
static int
t1_subset(struct t1prog *t, const char *const *keep, size_t nkeep,
    const char *tag)
{
	struct buf	 plain, out, clear;
	const char	*cs, *q, *nm;
	char		*s, *e;
	size_t		 pos, len, i, first, nlen, start;
	long		 leniv = 4, n;
	int		 ret = -1, keepit;

	buf_init(&plain);
	buf_init(&out);
	buf_init(&clear);
	buf_add(&plain, t->bin.p, t->bin.len);
	t1_crypt((unsigned char *)plain.p, plain.len, 0);
	s = plain.p;
	len = plain.len;

	if ((q = memmem(s, len, "/lenIV", 6)) != NULL)
		leniv = strtol(q + 6, NULL, 10);
	if ((cs = memmem(s, len, "/CharStrings", 12)) == NULL ||
	    (q = memmem(cs, len - (size_t)(cs - s), "begin", 5)) == NULL)
		goto out;
	pos = (size_t)(q - s) + 5;
	while (pos < len && t1_isspace(s[pos]))
		pos++;
	first = pos;
	buf_add(&out, s, first);

	/* Entries: /name len RD <len bytes> ND, one a line. */
	while (pos < len && s[pos] == '/') {
		start = pos++;
		nm = s + pos;
		while (pos < len && !t1_isspace(s[pos]))
			pos++;
		nlen = (size_t)(s + pos - nm);
		while (pos < len && t1_isspace(s[pos]))
			pos++;
		n = strtol(s + pos, &e, 10);
		if (e == s + pos)
			goto out;
		pos = (size_t)(e - s);
		while (pos < len && t1_isspace(s[pos]))
			pos++;
		while (pos < len && !t1_isspace(s[pos]))
			pos++;			/* RD or -| */
		pos++;				/* its one space */
		if (pos > len || n < 0 || (size_t)n > len - pos)
			goto out;
		q = s + pos;
		pos += (size_t)n;
		while (pos < len && s[pos] != '\n' && s[pos] != '\r')
			pos++;			/* ND or |- */
		while (pos < len && (s[pos] == '\n' || s[pos] == '\r'))
			pos++;
		keepit = nlen == 7 && memcmp(nm, ".notdef", 7) == 0;
		for (i = 0; i < nkeep && !keepit; i++)
			keepit = strlen(keep[i]) == nlen &&
			    memcmp(keep[i], nm, nlen) == 0;
		if (!keepit)
			continue;
		if (t1_seac((const unsigned char *)q, (size_t)n, leniv))
			goto out;
		buf_add(&out, s + start, pos - start);
	}
	if (pos >= len || pos == first)
		goto out;
	buf_add(&out, s + pos, len - pos);

	/* /FontName /Name becomes /FontName /TAG+Name. */
	if ((nm = memmem(t->clear.p, t->clear.len, "/FontName", 9)) == NULL ||
	    (nm = memchr(nm + 1, '/', t->clear.len -
	    (size_t)(nm + 1 - t->clear.p))) == NULL)
		goto out;
	buf_add(&clear, t->clear.p, (size_t)(nm + 1 - t->clear.p));
	buf_adds(&clear, tag);
	buf_addc(&clear, '+');
	buf_add(&clear, nm + 1, t->clear.len - (size_t)(nm + 1 - t->clear.p));

	t1_crypt((unsigned char *)out.p, out.len, 1);
	buf_free(&t->bin);
	t->bin = out;
	buf_init(&out);
	buf_free(&t->clear);
	t->clear = clear;
	buf_init(&clear);
	memmove(t->name + 7, t->name, strlen(t->name) + 1);
	memcpy(t->name, tag, 6);
	t->name[6] = '+';
	ret = 0;
out:
	buf_free(&plain);
	buf_free(&out);
	buf_free(&clear);
	return ret;
}

/* --- fonts -------------------------------------------------------- */

static int
pdf_used(const struct emit_pdf *p, int k)
{
	int	 i;

	for (i = 0; i < 32; i++)
		if (p->used[k][i] != 0)
			return 1;
	return 0;
}

static int
pdf_isused(const struct emit_pdf *p, int k, int c)
{
	return (p->used[k][c >> 3] >> (c & 7)) & 1;
}

/*
 * The encoding of one glyph vector: WinAnsi for vector 0, with
 * /Differences wherever text.c names another glyph; the other vectors
 * are all differences.
 */
static void
pdf_encoding(struct emit_pdf *p, int enc)
{
	const char *const	*names = text_vector_names(enc);
	const char		*base;
	int			 c, last = -2;

	outw_puts(p->w, " /Encoding << /Type /Encoding"
	    " /BaseEncoding /WinAnsiEncoding");
	for (c = 0; c < 256; c++) {
		if (names[c] == NULL || strcmp(names[c], ".notdef") == 0)
			continue;
		base = enc == 0 && c >= 32 ? winansi[c - 32] : NULL;
		if (base != NULL && strcmp(base, names[c]) == 0)
			continue;
		if (last == -2)
			outw_puts(p->w, " /Differences [");
		if (c != last + 1) {
			outw_putc(p->w, ' ');
			outw_int(p->w, c);
		}
		outw_putc(p->w, ' ');
		pdf_name(p, names[c]);
		last = c;
	}
	if (last != -2)
		outw_puts(p->w, " ]");
	outw_puts(p->w, " >>");
}

/* The widths text.c measures with, so that PDF and PS set alike. */
static void
pdf_widths(struct emit_pdf *p, int f, int enc)
{
	uint16_t	 g;
	int		 c;

	outw_puts(p->w, " /FirstChar 0 /LastChar 255 /Widths [");
	for (c = 0; c < 256; c++) {
		g = (uint16_t)(enc << 8 | c);
		outw_putc(p->w, c % 16 == 0 ? '\n' : ' ');
		outw_int(p->w, text_width((enum pg_font)f, &g, 1));
	}
	outw_puts(p->w, " ]");
}

/*
 * The subset tag: six capitals that depend only on the face and the
 * glyphs kept, so that the same pages give the same name.
 */
static void
pdf_tag(const char *face, const char *const *keep, size_t n, char tag[7])
{
	uint32_t	 h = 2166136261U;
	const char	*s;
	size_t		 i;
	int		 k;

	for (s = face; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619U;
	for (i = 0; i < n; i++) {
		for (s = keep[i]; *s != '\0'; s++)
			h = (h ^ (unsigned char)*s) * 16777619U;
		h = (h ^ ' ') * 16777619U;
	}
	for (k = 0; k < 6; k++) {
		tag[k] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '\0';
}

/*
 * One face: its program, its descriptor, and a font dictionary for
 * each vector used, whose numbers go into fontobj[].  Returns -1 when
 * the program cannot be read: the font dictionaries are still written,
 * without a program, so the file stays readable, but it is not what
 * was asked for.
 */
static int
pdf_face(struct emit_pdf *p, int f, uint32_t *fontobj)
{
	const struct pdf_face	*fc = &faces[f];
	const char *const	*names;
	const char		**keep = NULL;
	const char		*base;
	struct t1prog		 t;
	struct buf		 file;
	char			*path, tag[7], lens[64];
	size_t			 nkeep = 0;
	uint32_t		 prog = 0, desc = 0;
	int			 enc, c, k, ret = 0;

	buf_init(&file);
	buf_init(&t.clear);
	buf_init(&t.bin);
	xasprintf(&path, "%s/%s.t1", p->opts.fontdir != NULL ?
	    p->opts.fontdir : URWDIR, fc->file);
	if (pdf_slurp(path, &file) == -1)
		ret = -1;
	else if (t1_split(&file, &t) == -1) {
		diag_sys(DIAG_SYS_READ, path, "not a Type 1 font program");
		ret = -1;
	}
	free(path);
	buf_free(&file);

	if (ret == 0) {
		if (!p->opts.full_fonts) {
			keep = xreallocarray(NULL, 256 * PG_NENC,
			    sizeof(*keep));
			for (enc = 0; enc < PG_NENC; enc++) {
				names = text_vector_names(enc);
				for (c = 0; c < 256; c++)
					if (pdf_isused(p, f * PG_NENC + enc,
					    c) && names[c] != NULL)
						keep[nkeep++] = names[c];
			}
			pdf_tag(fc->file, keep, nkeep, tag);
			t1_subset(&t, keep, nkeep, tag);
			free(keep);
		}
		snprintf(lens, sizeof(lens), " /Length1 %zu /Length2 %zu"
		    " /Length3 0", t.clear.len, t.bin.len);
		buf_add(&t.clear, t.bin.p, t.bin.len);
		prog = pdf_reserve(p);
		pdf_stream(p, prog, lens, t.clear.p, t.clear.len, 0);

		desc = pdf_newobj(p);
		outw_puts(p->w, "<< /Type /FontDescriptor /FontName ");
		pdf_name(p, t.name);
		outw_printf(p->w, " /Flags %d /FontBBox [%d %d %d %d]"
		    " /ItalicAngle %d /Ascent %d /Descent %d /CapHeight %d"
		    " /XHeight %d /StemV %d", fc->flags, fc->bbox[0],
		    fc->bbox[1], fc->bbox[2], fc->bbox[3], fc->italic,
		    fc->ascent, fc->descent, fc->capheight, fc->xheight,
		    fc->stemv);
		pdf_ref(p, " /FontFile", prog);
		outw_puts(p->w, " >>\nendobj\n");
	}

	for (enc = 0; enc < PG_NENC; enc++) {
		k = f * PG_NENC + enc;
		if (!pdf_used(p, k))
			continue;
		fontobj[k] = pdf_newobj(p);
		outw_puts(p->w, "<< /Type /Font /Subtype /Type1 /BaseFont ");
		base = ret == 0 ? t.name : pg_font_name((enum pg_font)f);
		pdf_name(p, base);
		pdf_widths(p, f, enc);
		pdf_encoding(p, enc);
		if (desc != 0)
			pdf_ref(p, " /FontDescriptor", desc);
		outw_puts(p->w, " >>\nendobj\n");
	}
	buf_free(&t.clear);
	buf_free(&t.bin);
	return ret;
}

/* --- structure written by end ------------------------------------- */

/*
 * The page tree, bottom up: the leaves were reserved as the pages came
 * (PDF_FANOUT pages each); each level above gets its numbers before the
 * level below is written, since a node names its parent.
 */
static uint32_t
pdf_pagetree(struct emit_pdf *p)
{
	uint32_t	*kids, *nodes, *up, *kcnt = NULL, *ncnt, root, cnt;
	size_t		 nkids, n, nup, i, j;

	if (p->npages == 0) {
		root = pdf_newobj(p);
		outw_puts(p->w, "<< /Type /Pages /Kids [] /Count 0 >>\n"
		    "endobj\n");
		return root;
	}
	kids = p->pages;
	nkids = p->npages;
	nodes = xreallocarray(NULL, p->nleaves, sizeof(*nodes));
	memcpy(nodes, p->leaves, p->nleaves * sizeof(*nodes));
	n = p->nleaves;
	for (;;) {
		nup = n > 1 ? (n + PDF_FANOUT - 1) / PDF_FANOUT : 0;
		up = xreallocarray(NULL, nup + 1, sizeof(*up));
		for (i = 0; i < nup; i++)
			up[i] = pdf_reserve(p);
		ncnt = xreallocarray(NULL, n, sizeof(*ncnt));
		for (i = 0; i < n; i++) {
			pdf_obj(p, nodes[i]);
			outw_puts(p->w, "<< /Type /Pages");
			if (nup > 0)
				pdf_ref(p, " /Parent", up[i / PDF_FANOUT]);
			outw_puts(p->w, " /Kids [");
			cnt = 0;
			for (j = i * PDF_FANOUT;
			    j < nkids && j < (i + 1) * PDF_FANOUT; j++) {
				outw_int(p->w, kids[j]);
				outw_puts(p->w, " 0 R ");
				cnt += kcnt != NULL ? kcnt[j] : 1;
			}
			outw_puts(p->w, "] /Count ");
			outw_int(p->w, cnt);
			outw_puts(p->w, " >>\nendobj\n");
			ncnt[i] = cnt;
		}
		if (kids != p->pages)
			free(kids);
		free(kcnt);
		if (nup == 0) {
			root = nodes[0];
			free(nodes);
			free(ncnt);
			free(up);
			return root;
		}
		kids = nodes;
		kcnt = ncnt;
		nkids = n;
		nodes = up;
		n = nup;
	}
}

static void
pdf_label(struct emit_pdf *p, size_t i)
{
	struct buf	 b;

	outw_putc(p->w, ' ');
	outw_int(p->w, (long long)i);
	if (p->labels[i][0] == '\0') {
		/* No label: its number, as a reader would show it. */
		outw_printf(p->w, " << /S /D /St %zu >>", i + 1);
		return;
	}
	buf_init(&b);
	buf_adds(&b, " << /P ");
	pdf_text(&b, p->labels[i]);
	buf_adds(&b, " >>");
	outw_write(p->w, b.p, b.len);
	buf_free(&b);
}

/*
 * Page labels: a number tree with one entry per page (a label like
 * 4B-017 is a /P prefix with no numbering style).  Up to PDF_FANOUT
 * pages the root holds them all; beyond, leaves of PDF_FANOUT pages
 * and as many levels of /Kids as needed.  Number tree nodes name no
 * parent, so they are written bottom up, numbered as they come.
 */
static uint32_t
pdf_labeltree(struct emit_pdf *p)
{
	uint32_t	*nodes, *up;
	size_t		*lo, *hi, *ulo, *uhi, n, nup, i, j;
	uint32_t	 root;

	for (i = 0; i < p->npages; i++)
		if (p->labels[i][0] != '\0')
			break;
	if (i == p->npages)
		return 0;
	if (p->npages <= PDF_FANOUT) {
		root = pdf_newobj(p);
		outw_puts(p->w, "<< /Nums [");
		for (i = 0; i < p->npages; i++)
			pdf_label(p, i);
		outw_puts(p->w, " ] >>\nendobj\n");
		return root;
	}
	n = (p->npages + PDF_FANOUT - 1) / PDF_FANOUT;
	nodes = xreallocarray(NULL, n, sizeof(*nodes));
	lo = xreallocarray(NULL, n, sizeof(*lo));
	hi = xreallocarray(NULL, n, sizeof(*hi));
	for (i = 0; i < n; i++) {
		lo[i] = i * PDF_FANOUT;
		hi[i] = lo[i] + PDF_FANOUT - 1;
		if (hi[i] >= p->npages)
			hi[i] = p->npages - 1;
		nodes[i] = pdf_newobj(p);
		outw_printf(p->w, "<< /Limits [%zu %zu] /Nums [", lo[i],
		    hi[i]);
		for (j = lo[i]; j <= hi[i]; j++)
			pdf_label(p, j);
		outw_puts(p->w, " ] >>\nendobj\n");
	}
	while (n > 1) {
		nup = n > PDF_FANOUT ? (n + PDF_FANOUT - 1) / PDF_FANOUT : 1;
		up = xreallocarray(NULL, nup, sizeof(*up));
		ulo = xreallocarray(NULL, nup, sizeof(*ulo));
		uhi = xreallocarray(NULL, nup, sizeof(*uhi));
		for (i = 0; i < nup; i++) {
			j = i * PDF_FANOUT;
			ulo[i] = lo[j];
			up[i] = pdf_newobj(p);
			outw_puts(p->w, "<<");
			/* The root has no /Limits. */
			if (nup > 1)
				outw_printf(p->w, " /Limits [%zu %zu]",
				    lo[j], hi[j + PDF_FANOUT - 1 < n ?
				    j + PDF_FANOUT - 1 : n - 1]);
			outw_puts(p->w, " /Kids [");
			for (; j < n && j < (i + 1) * PDF_FANOUT; j++) {
				outw_int(p->w, nodes[j]);
				outw_puts(p->w, " 0 R ");
			}
			uhi[i] = hi[j - 1];
			outw_puts(p->w, "] >>\nendobj\n");
		}
		free(nodes);
		free(lo);
		free(hi);
		nodes = up;
		lo = ulo;
		hi = uhi;
		n = nup;
	}
	root = nodes[0];
	free(nodes);
	free(lo);
	free(hi);
	return root;
}

/*
 * Bookmarks: a mark's parent is the nearest earlier mark of a lower
 * level (section, school, class), so a class without a school above
 * it still lands somewhere sensible.  All items are shown open: /Count
 * is the number of descendants.
 */
static uint32_t
pdf_outlines(struct emit_pdf *p)
{
	struct pdf_mark	*m;
	size_t		*stack, nstack = 0, i, rfirst = 0, rlast = 0, par;
	uint32_t	 root, base;

	if (p->nmarks == 0)
		return 0;
	stack = xreallocarray(NULL, p->nmarks, sizeof(*stack));
	for (i = 0; i < p->nmarks; i++) {
		m = &p->marks[i];
		while (nstack > 0 && p->marks[stack[nstack - 1]].level >=
		    m->level)
			nstack--;
		m->parent = nstack > 0 ? stack[nstack - 1] + 1 : 0;
		stack[nstack++] = i;
		if (m->parent == 0) {
			if (rlast != 0) {
				m->prev = rlast;
				p->marks[rlast - 1].next = i + 1;
			} else
				rfirst = i + 1;
			rlast = i + 1;
		} else {
			par = m->parent - 1;
			if (p->marks[par].last != 0) {
				m->prev = p->marks[par].last;
				p->marks[m->prev - 1].next = i + 1;
			} else
				p->marks[par].first = i + 1;
			p->marks[par].last = i + 1;
		}
	}
	free(stack);
	/* Children come after their parent: sum from the end. */
	for (i = p->nmarks; i-- > 0; )
		if (p->marks[i].parent != 0)
			p->marks[p->marks[i].parent - 1].desc +=
			    1 + p->marks[i].desc;

	root = pdf_reserve(p);
	base = p->nobj;		/* mark i is object base + i + 1 */
	for (i = 0; i < p->nmarks; i++)
		pdf_reserve(p);
	pdf_obj(p, root);
	outw_puts(p->w, "<< /Type /Outlines");
	pdf_ref(p, " /First", base + (uint32_t)rfirst);
	pdf_ref(p, " /Last", base + (uint32_t)rlast);
	outw_printf(p->w, " /Count %zu >>\nendobj\n", p->nmarks);
	for (i = 0; i < p->nmarks; i++) {
		m = &p->marks[i];
		pdf_obj(p, base + (uint32_t)i + 1);
		outw_puts(p->w, "<<");
		pdf_puttext(p, " /Title", m->title);
		pdf_ref(p, " /Parent", m->parent != 0 ?
		    base + (uint32_t)m->parent : root);
		if (m->prev != 0)
			pdf_ref(p, " /Prev", base + (uint32_t)m->prev);
		if (m->next != 0)
			pdf_ref(p, " /Next", base + (uint32_t)m->next);
		if (m->first != 0) {
			pdf_ref(p, " /First", base + (uint32_t)m->first);
			pdf_ref(p, " /Last", base + (uint32_t)m->last);
			outw_printf(p->w, " /Count %zu", m->desc);
		}
		outw_puts(p->w, " /Dest [");
		outw_int(p->w, m->page);
		outw_puts(p->w, " 0 R /Fit] >>\nendobj\n");
	}
	return root;
}

static void
pdf_free(struct emit_pdf *p)
{
	zq_stop(p);
	pdf_unhook(p);
	libdeflate_free_compressor(p->dc);
	free(p->off);
	free(p->pages);
	free(p->labels);
	free(p->leaves);
	free(p->formobj);
	free(p->marks);
	/* The last page's content, in clear and deflated: codes. */
	mem_wipe(p->z, p->zcap);
	free(p->z);
	arena_free(&p->strs);
	mem_wipe(p->cs.p, p->cs.cap);
	buf_free(&p->cs);
	mem_wipe(p->job1.z, p->job1.zcap);
	free(p->job1.z);
	mem_wipe(p->job1.cs.p, p->job1.cs.cap);
	buf_free(&p->job1.cs);
	buf_free(&p->icc);
	free(p);
}

int
emit_pdf_end(struct emit_pdf *p)
{
	struct outw	*w = p->w;
	uint32_t	 fontobj[PDF_NFONT], pages, outlines, labels, root;
	uint64_t	 xref;
	uint32_t	 i;
	int		 f, k, nform, ret = 0;

	/* The pages still with the deflater, first. */
	zq_drain(p);
	zq_stop(p);
	memset(fontobj, 0, sizeof(fontobj));
	for (f = 0; f < FONT__MAX; f++) {
		for (k = 0; k < PG_NENC; k++)
			if (pdf_used(p, f * PG_NENC + k))
				break;
		if (k < PG_NENC && pdf_face(p, f, fontobj) == -1)
			ret = -1;
	}
	pdf_obj(p, p->resources);
	outw_puts(w, "<< /Font <<");
	for (k = 0; k < PDF_NFONT; k++) {
		if (fontobj[k] == 0)
			continue;
		outw_printf(w, " /F%d", k);
		pdf_ref(p, "", fontobj[k]);
	}
	outw_puts(w, " >>");
	for (k = 0, nform = 0; p->formobj != NULL &&
	    (size_t)k < p->forms->n; k++) {
		if (p->formobj[k] == 0)
			continue;
		outw_printf(w, "%s/Fm%d", nform++ == 0 ? " /XObject << " : " ",
		    k);
		pdf_ref(p, "", p->formobj[k]);
	}
	if (nform > 0)
		outw_puts(w, " >>");
	outw_puts(w, " >>\nendobj\n");

	pages = pdf_pagetree(p);
	outlines = pdf_outlines(p);
	labels = pdf_labeltree(p);

	root = pdf_newobj(p);
	outw_puts(w, "<< /Type /Catalog");
	pdf_ref(p, " /Pages", pages);
	if (outlines != 0) {
		pdf_ref(p, " /Outlines", outlines);
		outw_puts(w, " /PageMode /UseOutlines");
	}
	if (labels != 0)
		pdf_ref(p, " /PageLabels", labels);
	/*
	 * A reader's print dialog must not shrink the page to fit: the
	 * address has to stay in the envelope's window.
	 */
	outw_puts(w, " /ViewerPreferences << /PrintScaling /None");
	if (p->duplex)
		outw_puts(w, " /Duplex /DuplexFlipLongEdge");
	outw_puts(w, " >>");
	if (p->metadata != 0)
		pdf_ref(p, " /Metadata", p->metadata);
	if (p->intent != 0) {
		outw_puts(w, " /OutputIntents [");
		pdf_ref(p, "", p->intent);
		outw_puts(w, " ]");
	}
	outw_puts(w, " >>\nendobj\n");

	/* Entries are exactly 20 bytes: the EOL is space and newline. */
	xref = w->count;
	outw_printf(w, "xref\n0 %u\n0000000000 65535 f \n",
	    (unsigned int)p->nobj + 1);
	for (i = 1; i <= p->nobj; i++) {
		if (p->off[i] == 0)
			outw_puts(w, "0000000000 00000 f \n");
		else
			outw_printf(w, "%010llu 00000 n \n",
			    (unsigned long long)p->off[i]);
	}

	pdf_unhook(p);
	outw_printf(w, "trailer\n<< /Size %u", (unsigned int)p->nobj + 1);
	pdf_ref(p, " /Root", root);
	pdf_ref(p, " /Info", p->info);
	outw_printf(w, " /ID [<%08X%08X%016llX> <%08X%08X%016llX>] >>\n"
	    "startxref\n%llu\n%%%%EOF\n", (unsigned int)p->crc,
	    (unsigned int)p->adler, (unsigned long long)p->fnv,
	    (unsigned int)p->crc, (unsigned int)p->adler,
	    (unsigned long long)p->fnv, (unsigned long long)xref);
	if (w->err != 0)
		ret = -1;
	pdf_free(p);
	return ret;
}
