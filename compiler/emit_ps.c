/*
 * emit_ps: the page model as DSC 3.0 PostScript.  See emit_ps.h.
 *
 * Like mandoc's term_ps.c, this is a thin device: every decision about
 * what goes where was taken by compose, and this file only frames the
 * document for a spooler and prints each item with a one- or two-letter
 * procedure of the prolog, so that a letter page costs a few hundred
 * bytes and a run of a thousand letters stays small enough to mail to a
 * print shop.  The graphics state (font, gray, line width, dash) is
 * tracked within a page so that it is set only when it changes; it is
 * forgotten at every page boundary, since pages must stand alone for a
 * spooler that reorders or selects them.  The run's forms (page.h: the
 * layout's fixed paragraphs) are procedures of the prolog, so that a
 * page calls each in one line instead of holding its text.
 *
 * Everything written is printable ASCII: text bytes are escaped, and the
 * 7-bit spelling of the title and page labels is made here.  No line is
 * longer than EMIT_PS_LINEMAX: long strings are cut into several show
 * calls.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emit_ps.h"
#include "mem.h"
#include "outw.h"
#include "page.h"
#include "text.h"
#include "utf8.h"

/*
 * Escaped string bytes per line: with the parentheses, two coordinates
 * and the operator, a text line stays well under EMIT_PS_LINEMAX.
 */
#define STR_CHUNK	200
/* Width of the glyph-name lines of the prolog's vectors. */
#define NAMES_WIDTH	72
/*
 * Longest title or creator kept in the header, in bytes: escaped as a
 * string, twice that still fits a DSC line.
 */
#define HDR_TEXTMAX	120

struct emit_ps {
	struct outw	*w;
	char		*title;		/* 7-bit, NULL for none */
	char		*creator;	/* 7-bit */
	char		*date;		/* 7-bit, NULL for none */
	int		 duplex;
	unsigned int	 fonts;		/* declared, 1 << enum pg_font */
	unsigned int	 encs;		/* in the prolog, 1 << vector */
	int		 started;	/* header, prolog, setup written */
	unsigned long	 npages;	/* pages written */
	const struct pg_forms *forms;	/* the first page's */
	unsigned char	*defined;	/* form i is procedure Fm<i> */

	/* State of the page being written; -1 for "not set yet". */
	int		 font;		/* font * PG_NENC + vector */
	pg_unit		 size;		/* font size */
	int		 gray;		/* 0 black .. 255 white */
	pg_unit		 lw;		/* line width */
	pg_unit		 dash;		/* dash length, 0 solid */
	unsigned int	 pgencs;	/* undeclared vectors in it */
	unsigned int	 pgfonts[PG_NENC]; /* undeclared fonts in it */
};

/*
 * Media we can name for the spooler, by their size in points as PPD
 * files give it.  Another size is still printed, but its setup request
 * carries no feature comment a spooler could try to replace.
 */
static const struct ps_media {
	const char	*name;
	int		 w, h;		/* points */
} ps_medias[] = {
	{ "A4", 595, 842 },
	{ "A5", 420, 595 },
	{ "A3", 842, 1191 },
	{ "Letter", 612, 792 },
};

/*
 * The prolog's procedures; one or two letters each, as every page calls
 * them for every item.  RE builds a re-encoded copy of a base font:
 * /new /base vector RE.  D takes one length, dash and gap alike, 0 for
 * a solid line.
 */
static const char *const ps_procs[] = {
	"/RE { exch findfont dup length dict begin",
	" { 1 index /FID ne { def } { pop pop } ifelse } forall",
	" /Encoding exch def currentdict end definefont pop } bind def",
	"/F /selectfont load def",
	"/T { moveto show } bind def",
	"/S /show load def",
	"/L { 4 2 roll moveto lineto stroke } bind def",
	"/RF /rectfill load def",
	"/RS /rectstroke load def",
	"/G /setgray load def",
	"/W /setlinewidth load def",
	"/D { dup 0 eq { pop [] 0 setdash }",
	" { dup 2 array astore 0 setdash } ifelse } bind def",
	NULL
};

static void	 ascii7(struct buf *, const char *, size_t, int);
static void	 put_header(struct emit_ps *, const struct pg_page *);
static void	 put_prolog(struct emit_ps *);
static void	 put_forms(struct emit_ps *);
static void	 put_item(struct emit_ps *, const struct pg_item *);
static void	 put_setup(struct emit_ps *, const struct ps_media *,
		    pg_unit, pg_unit);
static void	 put_vector(struct emit_ps *, int);
static void	 put_reencode(struct emit_ps *, int, unsigned int);
static void	 put_text(struct emit_ps *, const struct pg_text *);
static void	 put_line(struct emit_ps *, const struct pg_line *);
static void	 put_rect(struct emit_ps *, const struct pg_rect *);
static void	 set_gray(struct emit_ps *, int);
static void	 set_stroke(struct emit_ps *, pg_unit, pg_unit);

/*
 * The 7-bit spelling of a UTF-8 string for a DSC comment: Latin letters
 * lose their accents (the folding table of utf8.c), a few punctuation
 * marks get their ASCII look-alike, anything else becomes '?'.  As a
 * token (a page label), only characters no DSC reader can mistake for a
 * delimiter are kept, the others becoming '_'.
 */
static void
ascii7(struct buf *b, const char *s, size_t len, int token)
{
	size_t		 i, adv;
	uint32_t	 cp;
	const char	*f;

	for (i = 0; i < len; i += adv) {
		cp = utf8_decode(s + i, len - i, &adv);
		f = NULL;
		if (cp == UTF8_INVALID)
			f = "?";
		else if (cp < 0x20 || cp == 0x7F)
			f = " ";
		else if (cp >= 0x80 && (f = utf8_fold_char(cp)) == NULL) {
			switch (cp) {
			case 0xA0:		/* no-break spaces */
			case 0x202F:
				f = " ";
				break;
			case 0x2018:		/* quotes */
			case 0x2019:
				f = "'";
				break;
			case 0xAB:
			case 0xBB:
			case 0x201C:
			case 0x201D:
				f = "\"";
				break;
			case 0x2013:		/* dashes */
			case 0x2014:
				f = "-";
				break;
			case 0x20AC:
				f = "EUR";
				break;
			default:
				f = "?";
				break;
			}
		}
		if (f != NULL && *f == '\0')
			f = "?";		/* U+00D7, U+00F7 */
		if (f == NULL)
			buf_addc(b, (char)cp);
		else
			buf_adds(b, f);
	}
	if (!token)
		return;
	for (i = 0; i < b->len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+/:=#,",
		    b->p[i]) == NULL)
			b->p[i] = '_';
}

/* A copy of the 7-bit spelling, at most HDR_TEXTMAX bytes, or NULL. */
static char *
hdr_text(const char *s)
{
	struct buf	 b;

	if (s == NULL || *s == '\0')
		return NULL;
	buf_init(&b);
	ascii7(&b, s, strlen(s), 0);
	if (b.len > HDR_TEXTMAX)
		b.p[HDR_TEXTMAX] = '\0';
	return b.p;
}

/*
 * A header comment with a text value.  DSC reads a value starting with
 * a parenthesis as a PostScript string, so such a value is written as
 * one, escaped; any other is written as it is.
 */
static void
put_dsc_text(struct outw *w, const char *key, const char *s)
{
	if (s == NULL)
		return;
	outw_puts(w, key);
	if (*s != '(') {
		outw_puts(w, s);
		outw_putc(w, '\n');
		return;
	}
	outw_putc(w, '(');
	for (; *s != '\0'; s++) {
		if (*s == '(' || *s == ')' || *s == '\\')
			outw_putc(w, '\\');
		outw_putc(w, *s);
	}
	outw_puts(w, ")\n");
}

struct emit_ps *
emit_ps_begin(struct outw *w, const struct pg_docinfo *di)
{
	struct emit_ps	*ps;

	ps = xcalloc(1, sizeof(*ps));
	ps->w = w;
	ps->title = hdr_text(di->title);
	ps->creator = hdr_text(di->creator);
	if (ps->creator == NULL)
		ps->creator = xstrdup("entpress");
	ps->date = hdr_text(di->date);
	ps->duplex = di->duplex;
	ps->fonts = di->fonts_used & ((1u << FONT__MAX) - 1);
	/* Vector 0 is the common case; it is always shipped. */
	ps->encs = (di->encs_used & ((1u << PG_NENC) - 1)) | 1u;
	return ps;
}

static void
put_header(struct emit_ps *ps, const struct pg_page *p)
{
	struct outw		*w = ps->w;
	const struct ps_media	*m = NULL;
	pg_unit			 pw = PG_MM(210), ph = PG_MM(297);
	int			 iw, ih, f;
	size_t			 i;

	/* Without any page, the file still describes an A4 medium. */
	if (p != NULL && p->width > 0 && p->height > 0) {
		pw = p->width;
		ph = p->height;
	}
	iw = (int)((pw + 500) / 1000);
	ih = (int)((ph + 500) / 1000);
	for (i = 0; i < sizeof(ps_medias) / sizeof(ps_medias[0]); i++)
		if (ps_medias[i].w == iw && ps_medias[i].h == ih)
			m = &ps_medias[i];

	outw_puts(w, "%!PS-Adobe-3.0\n");
	put_dsc_text(w, "%%Title: ", ps->title);
	put_dsc_text(w, "%%Creator: ", ps->creator);
	put_dsc_text(w, "%%CreationDate: ", ps->date);
	outw_puts(w, "%%LanguageLevel: 2\n"
	    "%%DocumentData: Clean7Bit\n");
	outw_printf(w, "%%%%Orientation: %s\n",
	    iw > ih ? "Landscape" : "Portrait");
	outw_printf(w, "%%%%BoundingBox: 0 0 %d %d\n", iw, ih);
	outw_printf(w, "%%%%DocumentMedia: %s %d %d 80 white ()\n",
	    m != NULL ? m->name : "Custom", iw, ih);
	for (f = 0; f < FONT__MAX; f++)
		if (ps->fonts & (1u << f))
			outw_printf(w, "%s font %s\n",
			    (ps->fonts & ((1u << f) - 1)) == 0 ?
			    "%%DocumentNeededResources:" : "%%+",
			    pg_font_name((enum pg_font)f));
	if (ps->duplex)
		outw_puts(w, "%%Requirements: duplex\n");
	outw_puts(w, "%%Pages: (atend)\n"
	    "%%PageOrder: Ascend\n"
	    "%%EndComments\n");
	put_prolog(ps);
	put_setup(ps, m, pw, ph);
	ps->started = 1;
}

static void
put_prolog(struct emit_ps *ps)
{
	size_t	 i;
	int	 enc;

	outw_puts(ps->w, "%%BeginProlog\n");
	for (i = 0; ps_procs[i] != NULL; i++) {
		outw_puts(ps->w, ps_procs[i]);
		outw_putc(ps->w, '\n');
	}
	for (enc = 0; enc < PG_NENC; enc++)
		if (ps->encs & (1u << enc))
			put_vector(ps, enc);
	put_forms(ps);
	outw_puts(ps->w, "%%EndProlog\n");
}

/* The drawing state a page or a form starts from: nothing set. */
static void
state_reset(struct emit_ps *ps)
{
	ps->font = -1;
	ps->size = -1;
	ps->gray = -1;
	ps->lw = -1;
	ps->dash = -1;
}

/*
 * The run's forms, each a procedure taking its origin: "x y Fm3" on a
 * page draws the whole fixed paragraph, which is most of what would
 * otherwise be repeated on every letter.  The procedure draws inside
 * gsave/grestore, from a state of its own, so that a page's font and
 * gray are what they were before the call.  A form that needs a font
 * the header did not declare is left to be drawn in place.
 */
static void
put_forms(struct emit_ps *ps)
{
	const struct pg_page	*f;
	const struct pg_text	*t;
	size_t			 i, k;

	if (ps->forms == NULL || ps->forms->n == 0)
		return;
	ps->defined = xcalloc(ps->forms->n, 1);
	for (i = 0; i < ps->forms->n; i++) {
		f = &ps->forms->v[i];
		for (k = 0; k < f->nitems; k++) {
			if (f->items[k].kind == PG_FORM)
				break;
			t = &f->items[k].u.text;
			if (f->items[k].kind == PG_TEXT &&
			    (t->font >= FONT__MAX || t->enc >= PG_NENC ||
			    (ps->fonts & (1u << t->font)) == 0 ||
			    (ps->encs & (1u << t->enc)) == 0))
				break;
		}
		if (k < f->nitems || f->nitems == 0)
			continue;
		outw_puts(ps->w, "/Fm");
		outw_int(ps->w, (long long)i);
		outw_puts(ps->w, " { gsave translate\n");
		state_reset(ps);
		for (k = 0; k < f->nitems; k++)
			put_item(ps, &f->items[k]);
		outw_puts(ps->w, "grestore } bind def\n");
		ps->defined[i] = 1;
	}
}

/*
 * Is s a glyph name PostScript reads back as one name: printable ASCII
 * without white space or delimiters?
 */
static int
glyph_name_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~' || strchr("()<>[]{}/%", *s) != NULL)
			return 0;
	return 1;
}

/*
 * Our own glyph vector enc as /V<enc>, an array of 256 names.  We do not
 * use the interpreter's WinAnsiEncoding: it is a Ghostscript extra, not
 * a Level 2 standard, and vectors 1 and 2 exist nowhere else.
 */
static void
put_vector(struct emit_ps *ps, int enc)
{
	const char *const	*names = text_vector_names(enc);
	const char		*n;
	size_t			 col, len;
	int			 c;

	outw_puts(ps->w, "/V");
	outw_int(ps->w, enc);
	outw_puts(ps->w, " [\n");
	col = 0;
	for (c = 0; c < 256; c++) {
		n = names != NULL ? names[c] : NULL;
		if (!glyph_name_ok(n))
			n = ".notdef";
		len = strlen(n) + 1;
		if (col > 0 && col + len + 1 > NAMES_WIDTH) {
			outw_putc(ps->w, '\n');
			col = 0;
		} else if (col > 0) {
			outw_putc(ps->w, ' ');
			col++;
		}
		outw_putc(ps->w, '/');
		outw_puts(ps->w, n);
		col += len;
	}
	outw_puts(ps->w, "\n] def\n");
}

/*
 * The base font's resource comment, then /F<font>e<enc> /Base V<enc> RE
 * for each vector in encs.
 */
static void
put_reencode(struct emit_ps *ps, int font, unsigned int encs)
{
	const char	*name = pg_font_name((enum pg_font)font);
	int		 enc;

	outw_printf(ps->w, "%%%%IncludeResource: font %s\n", name);
	for (enc = 0; enc < PG_NENC; enc++)
		if (encs & (1u << enc))
			outw_printf(ps->w, "/F%de%d /%s V%d RE\n",
			    font, enc, name, enc);
}

/*
 * Device requests, each in its own feature block wrapped as CUPS does,
 * so that a printer lacking the feature skips it instead of failing the
 * job.  Simplex is asked for explicitly: letters laid out one per sheet
 * must not land on the back of the previous one because the print
 * shop's default is duplex.
 */
static void
put_setup(struct emit_ps *ps, const struct ps_media *m, pg_unit pw,
    pg_unit ph)
{
	struct outw	*w = ps->w;
	int		 f;

	outw_puts(w, "%%BeginSetup\n");
	outw_puts(w, "[{\n");
	if (m != NULL) {
		outw_printf(w, "%%%%BeginFeature: *PageSize %s\n", m->name);
		outw_printf(w, "<</PageSize [%d %d] /ImagingBBox null>> "
		    "setpagedevice\n", m->w, m->h);
		outw_puts(w, "%%EndFeature\n");
	} else {
		outw_puts(w, "<</PageSize [");
		outw_fixed3(w, pw);
		outw_putc(w, ' ');
		outw_fixed3(w, ph);
		outw_puts(w, "] /ImagingBBox null>> setpagedevice\n");
	}
	outw_puts(w, "} stopped cleartomark\n");
	outw_puts(w, "[{\n");
	if (ps->duplex)
		outw_puts(w, "%%BeginFeature: *Duplex DuplexNoTumble\n"
		    "<</Duplex true /Tumble false>> setpagedevice\n");
	else
		outw_puts(w, "%%BeginFeature: *Duplex None\n"
		    "<</Duplex false>> setpagedevice\n");
	outw_puts(w, "%%EndFeature\n"
	    "} stopped cleartomark\n");
	for (f = 0; f < FONT__MAX; f++)
		if (ps->fonts & (1u << f))
			put_reencode(ps, f, ps->encs);
	outw_puts(w, "%%EndSetup\n");
}

/*
 * Fill level 0..255 as setgray's 0..1 in thousandths, rounded: the same
 * integer arithmetic on every machine.
 */
static void
set_gray(struct emit_ps *ps, int gray)
{
	if (ps->gray == gray)
		return;
	outw_fixed3(ps->w, ((long long)gray * 1000 + 127) / 255);
	outw_puts(ps->w, " G\n");
	ps->gray = gray;
}

/* Black strokes of the given width and dash. */
static void
set_stroke(struct emit_ps *ps, pg_unit width, pg_unit dash)
{
	set_gray(ps, 0);
	if (ps->lw != width) {
		outw_fixed3(ps->w, width);
		outw_puts(ps->w, " W\n");
		ps->lw = width;
	}
	if (dash < 0)
		dash = 0;
	if (ps->dash != dash) {
		outw_fixed3(ps->w, dash);
		outw_puts(ps->w, " D\n");
		ps->dash = dash;
	}
}

/* Bytes a PostScript string holds as they are: printable, not ( ) \\. */
static const unsigned char ps_plain[256] = {
	['\x20'] = 1, ['!'] = 1, ['"'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1,
	['&'] = 1, ['\''] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1,
	['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
	['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	[':'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1, ['?'] = 1,
	['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
	['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1,
	['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1,
	['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1,
	['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1, [']'] = 1, ['^'] = 1,
	['_'] = 1, ['`'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
	['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
	['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
	['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1,
	['}'] = 1, ['~'] = 1
};

/*
 * A text run: the font when it changed, then (string) x y T, cut into
 * pieces of at most STR_CHUNK escaped bytes, the later ones shown with
 * S from where the previous one ended.  Every byte that is not printable
 * ASCII is written as three octal digits (never fewer: "\0053" would be
 * two characters), and the string delimiters and backslash are escaped,
 * so that no name can end the string and run as code.
 */
static void
put_text(struct emit_ps *ps, const struct pg_text *t)
{
	struct outw		*w = ps->w;
	const unsigned char	*s = (const unsigned char *)t->s;
	char			 chunk[STR_CHUNK + 8];
	size_t			 i, k, n;
	int			 key, first;
	unsigned char		 c;

	if (t->font >= FONT__MAX || t->enc >= PG_NENC)
		return;		/* not made by pg_text */
	key = t->font * PG_NENC + t->enc;

	/*
	 * A font compose did not declare: define it here, inside the
	 * page's save, so the page prints (see emit_ps.h).
	 */
	if ((ps->fonts & (1u << t->font)) == 0 ||
	    (ps->encs & (1u << t->enc)) == 0) {
		if (((ps->encs | ps->pgencs) & (1u << t->enc)) == 0) {
			put_vector(ps, t->enc);
			ps->pgencs |= 1u << t->enc;
		}
		if ((ps->pgfonts[t->enc] & (1u << t->font)) == 0) {
			put_reencode(ps, t->font, 1u << t->enc);
			ps->pgfonts[t->enc] |= 1u << t->font;
		}
	}

	set_gray(ps, 0);
	if (ps->font != key || ps->size != t->size) {
		outw_puts(w, "/F");
		outw_int(w, t->font);
		outw_putc(w, 'e');
		outw_int(w, t->enc);
		outw_putc(w, ' ');
		outw_fixed3(w, t->size);
		outw_puts(w, " F\n");
		ps->font = key;
		ps->size = t->size;
	}

	first = 1;
	i = 0;
	while (i < t->len) {
		n = 0;
		chunk[n++] = '(';
		while (i < t->len && n < STR_CHUNK) {
			/* A run of bytes that need no escape, copied at once. */
			for (k = i; k < t->len && k - i < STR_CHUNK - n &&
			    ps_plain[s[k]]; k++)
				continue;
			if (k > i) {
				memcpy(chunk + n, s + i, k - i);
				n += k - i;
				i = k;
				continue;
			}
			c = s[i++];
			if (c == '(' || c == ')' || c == '\\') {
				chunk[n++] = '\\';
				chunk[n++] = (char)c;
			} else if (c < 0x20 || c >= 0x7F) {
				chunk[n++] = '\\';
				chunk[n++] = (char)('0' + (c >> 6));
				chunk[n++] = (char)('0' + ((c >> 3) & 7));
				chunk[n++] = (char)('0' + (c & 7));
			} else
				chunk[n++] = (char)c;
		}
		chunk[n++] = ')';
		outw_write(w, chunk, n);
		if (first) {
			outw_putc(w, ' ');
			outw_fixed3(w, t->x);
			outw_putc(w, ' ');
			outw_fixed3(w, t->y);
			outw_puts(w, " T\n");
			first = 0;
		} else
			outw_puts(w, " S\n");
	}
}

static void
put_line(struct emit_ps *ps, const struct pg_line *l)
{
	struct outw	*w = ps->w;

	set_stroke(ps, l->width, l->dash);
	outw_fixed3(w, l->x0);
	outw_putc(w, ' ');
	outw_fixed3(w, l->y0);
	outw_putc(w, ' ');
	outw_fixed3(w, l->x1);
	outw_putc(w, ' ');
	outw_fixed3(w, l->y1);
	outw_puts(w, " L\n");
}

static void
put_box(struct outw *w, const struct pg_rect *r, const char *op)
{
	outw_fixed3(w, r->x);
	outw_putc(w, ' ');
	outw_fixed3(w, r->y);
	outw_putc(w, ' ');
	outw_fixed3(w, r->w);
	outw_putc(w, ' ');
	outw_fixed3(w, r->h);
	outw_puts(w, op);
}

/* A rectangle: filled with its gray, then stroked in black, either optional. */
static void
put_rect(struct emit_ps *ps, const struct pg_rect *r)
{
	if (r->fill) {
		set_gray(ps, r->gray);
		put_box(ps->w, r, " RF\n");
	}
	if (r->width > 0) {
		set_stroke(ps, r->width, r->dash);
		put_box(ps->w, r, " RS\n");
	}
}

static void
put_item(struct emit_ps *ps, const struct pg_item *it)
{
	switch (it->kind) {
	case PG_TEXT:
		put_text(ps, &it->u.text);
		break;
	case PG_LINE:
		put_line(ps, &it->u.line);
		break;
	case PG_RECT:
		put_rect(ps, &it->u.rect);
		break;
	default:
		break;
	}
}

/*
 * One page.  The label is made a single 7-bit token, since a DSC reader
 * splits "%%Page:" at spaces; an empty one becomes the ordinal.  A blank
 * verso is a page like any other, with nothing between save and
 * restore: it must still be a sheet side for duplex to stay aligned.
 */
int
emit_ps_page(struct emit_ps *ps, const struct pg_page *p)
{
	struct outw		*w = ps->w;
	const struct pg_use	*u;
	struct pg_item		 fi;
	struct buf		 label;
	char			 lbuf[256];
	size_t			 i, k;

	/*
	 * XXX: the medium is the first page's; a page of another size is
	 * printed on it.  Mixed media would need %%PageMedia and a
	 * setpagedevice outside the page's save.
	 */
	if (!ps->started) {
		ps->forms = p->forms;
		put_header(ps, p);
	}
	ps->npages++;

	/* At most 3 bytes per label byte (EUR): on the stack. */
	label.p = lbuf;
	label.len = 0;
	label.cap = sizeof(lbuf);
	lbuf[0] = '\0';
	ascii7(&label, p->label, strnlen(p->label, sizeof(p->label)), 1);
	outw_puts(w, "%%Page: ");
	if (label.len > 0)
		outw_puts(w, label.p);
	else
		outw_int(w, (long long)ps->npages);
	outw_putc(w, ' ');
	outw_int(w, (long long)ps->npages);
	outw_puts(w, "\n%%BeginPageSetup\n/pgsave save def\n%%EndPageSetup\n");

	state_reset(ps);
	ps->pgencs = 0;
	memset(ps->pgfonts, 0, sizeof(ps->pgfonts));

	for (i = 0; i < p->nitems && !p->blank; i++) {
		if (p->items[i].kind != PG_FORM) {
			put_item(ps, &p->items[i]);
			continue;
		}
		u = &p->items[i].u.use;
		if (ps->defined != NULL && ps->forms == p->forms &&
		    u->form < ps->forms->n && ps->defined[u->form]) {
			outw_fixed3(w, u->x);
			outw_putc(w, ' ');
			outw_fixed3(w, u->y);
			outw_puts(w, " Fm");
			outw_int(w, (long long)u->form);
			outw_putc(w, '\n');
			continue;
		}
		/* Not a procedure of this file: drawn in place. */
		for (k = 0; pg_form_item(p, u, k, &fi) == 0; k++)
			put_item(ps, &fi);
	}
	outw_puts(w, "pgsave restore showpage\n%%PageTrailer\n");
	return w->err != 0 ? -1 : 0;
}

/*
 * The trailer resolves "%%Pages: (atend)".  A run without pages still
 * gets a complete header, so that the file is a valid empty document.
 */
int
emit_ps_end(struct emit_ps *ps)
{
	struct outw	*w = ps->w;
	int		 ret;

	if (!ps->started)
		put_header(ps, NULL);
	outw_puts(w, "%%Trailer\n%%Pages: ");
	outw_int(w, (long long)ps->npages);
	outw_puts(w, "\n%%EOF\n");
	ret = outw_flush(w);
	free(ps->title);
	free(ps->creator);
	free(ps->date);
	free(ps->defined);
	free(ps);
	return ret;
}
