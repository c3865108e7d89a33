/*
 * text: UTF-8 to glyph codes, AFM widths, greedy line breaking and the
 * NF Z 10-011 address block.  See text.h.
 *
 * Encoding is table driven.  text_init asks iconv about each byte of
 * Windows-1252, once, and stores the answers with the committed vectors
 * 1 and 2 (text_vec.c) in a two-level map from BMP code point to glyph
 * code: a 256-entry page index and one 256-entry page per populated
 * block (a dozen, about 7 KB, against 128 KB for a flat BMP table).
 * text_encode then costs two array reads per character and nothing but
 * a compare for ASCII.  iconv per string or per character would dominate
 * a run of hundreds of thousands of names, and iconv's //TRANSLIT
 * depends on the process locale, which output must not.
 *
 * Widths come from text_afm.c, which tools/afm2c generates at build
 * time from the same AFM files the PDF back end embeds.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mem.h"
#include "page.h"
#include "text.h"
#include "text_tab.h"
#include "utf8.h"

#define TEXT_NPAGES	16		/* map pages, page 0 the empty one */
#define TEXT_DROP	0xFFFFu		/* map value: drop the character */
#define TEXT_QUESTION	0x003Fu		/* '?' in vector 0 */

static uint16_t	 text_map[TEXT_NPAGES][256];	/* glyph code, 0 none */
static uint8_t	 text_page[256];		/* cp >> 8 -> map page */
static size_t	 text_npages;
static uint16_t	 text_ucs0[256];		/* vector 0 byte -> cp */
static int	 text_ready;

/*
 * Characters that are typography, not spelling: printing them as their
 * nearest glyph, or not at all, changes no name, so no warning.  The
 * fonts lack the narrow and thin spaces French puts before ; : ! ? and
 * inside guillemets, and the Unicode hyphens; the invisible ones
 * (soft hyphen, zero-width joiners, byte order mark) would otherwise
 * print as '?' or, for the soft hyphen, as a visible hyphen (WinAnsi
 * 0xAD), in the middle of a name.
 */
static const struct {
	uint16_t	 cp;
	uint16_t	 to;		/* a code point, or TEXT_DROP */
} text_typo[] = {
	{ 0x00AD, TEXT_DROP },		/* soft hyphen */
	{ 0x2000, 0x0020 },		/* en quad */
	{ 0x2001, 0x0020 },		/* em quad */
	{ 0x2003, 0x0020 },		/* em space */
	{ 0x2004, 0x0020 },		/* three-per-em space */
	{ 0x2005, 0x0020 },		/* four-per-em space */
	{ 0x2006, 0x0020 },		/* six-per-em space */
	{ 0x2007, 0x00A0 },		/* figure space, no break */
	{ 0x2008, 0x0020 },		/* punctuation space */
	{ 0x2009, 0x0020 },		/* thin space */
	{ 0x200A, 0x0020 },		/* hair space */
	{ 0x200B, TEXT_DROP },		/* zero width space */
	{ 0x200C, TEXT_DROP },		/* zero width non-joiner */
	{ 0x200D, TEXT_DROP },		/* zero width joiner */
	{ 0x200E, TEXT_DROP },		/* left-to-right mark */
	{ 0x200F, TEXT_DROP },		/* right-to-left mark */
	{ 0x2010, 0x002D },		/* hyphen */
	{ 0x2011, 0x002D },		/* non-breaking hyphen */
	{ 0x202F, 0x00A0 },		/* narrow no-break space */
	{ 0x2060, TEXT_DROP },		/* word joiner */
	{ 0xFEFF, TEXT_DROP },		/* byte order mark */
};

/* --- glyph strings ---------------------------------------------------- */

void
glyphs_init(struct glyphs *gs)
{
	gs->g = NULL;
	gs->n = 0;
	gs->cap = 0;
}

void
glyphs_free(struct glyphs *gs)
{
	free(gs->g);
	glyphs_init(gs);
}

void
glyphs_reset(struct glyphs *gs)
{
	gs->n = 0;
}

/* Room for n more glyphs. */
static void
glyphs_grow(struct glyphs *gs, size_t n)
{
	uint16_t	*old;
	size_t		 oldcap;

	if (n > SIZE_MAX / sizeof(*gs->g) - gs->n)
		diag_fatal_nomem();
	if (gs->n + n <= gs->cap)
		return;
	old = gs->g;
	oldcap = gs->cap;
	if (gs->cap == 0)
		gs->cap = 32;
	while (gs->cap < gs->n + n)
		gs->cap *= 2;
	/*
	 * Glyphs are the letter's text, codes included: moved by hand and
	 * the old copy zeroed, which realloc would free as it was.
	 */
	gs->g = xreallocarray(NULL, gs->cap, sizeof(*gs->g));
	if (old != NULL) {
		memcpy(gs->g, old, gs->n * sizeof(*gs->g));
		mem_wipe(old, oldcap * sizeof(*old));
		free(old);
	}
}

static void
glyphs_push(struct glyphs *gs, uint16_t g)
{
	if (gs->n == gs->cap)
		glyphs_grow(gs, 1);
	gs->g[gs->n++] = g;
}

/* --- the code point map ------------------------------------------------ */

static uint16_t
map_get(uint32_t cp)
{
	if (cp > 0xFFFF)
		return 0;
	return text_map[text_page[cp >> 8]][cp & 0xFF];
}

static void
map_set(uint32_t cp, uint16_t g)
{
	uint8_t	*pg = &text_page[cp >> 8];

	if (*pg == 0) {
		/* The vectors are fixed: running out is a build error. */
		if (text_npages == TEXT_NPAGES)
			abort();
		*pg = (uint8_t)text_npages++;
	}
	text_map[*pg][cp & 0xFF] = g;
}

/*
 * Convert one character with cd; returns the output length or 0 when
 * iconv cannot.  The state is reset first: each call stands alone.
 */
static size_t
conv_one(iconv_t cd, const char *in, size_t inlen, char *out, size_t outsz)
{
	char	*ip = (char *)in, *op = out;
	size_t	 il = inlen, ol = outsz;

	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0)
		return 0;
	return outsz - ol;
}

static iconv_t
open_cp1252(const char *to, const char *from)
{
	iconv_t	 cd;

	if ((cd = iconv_open(to, from)) == (iconv_t)-1) {
		/* glibc knows both names; other iconvs one or the other. */
		if (strcmp(to, "CP1252") == 0)
			to = "WINDOWS-1252";
		else
			from = "WINDOWS-1252";
		cd = iconv_open(to, from);
	}
	return cd;
}

/*
 * Vector 0 from iconv: decode each byte of cp1252, and keep it when
 * encoding the result back gives the same byte, so both directions of
 * the conversion agree.  Controls never become glyphs, whatever an
 * iconv thinks bytes 0x80..0x9F are.
 */
static int
map_cp1252(void)
{
	iconv_t		 dec, enc;
	char		 in, u8[8], back[4];
	size_t		 n, adv;
	uint32_t	 cp;
	int		 b;

	dec = open_cp1252("UTF-8", "CP1252");
	enc = open_cp1252("CP1252", "UTF-8");
	if (dec == (iconv_t)-1 || enc == (iconv_t)-1) {
		diag_sys(DIAG_SYS_ICONV, "CP1252", "%s", strerror(errno));
		if (dec != (iconv_t)-1)
			iconv_close(dec);
		if (enc != (iconv_t)-1)
			iconv_close(enc);
		return -1;
	}
	for (b = 0x20; b < 0x100; b++) {
		in = (char)b;
		if ((n = conv_one(dec, &in, 1, u8, sizeof(u8))) == 0)
			continue;
		cp = utf8_decode(u8, n, &adv);
		if (cp == UTF8_INVALID || adv != n || cp < 0x20 ||
		    (cp >= 0x7F && cp < 0xA0) || cp > 0xFFFF)
			continue;
		if (conv_one(enc, u8, n, back, sizeof(back)) != 1 ||
		    back[0] != in)
			continue;
		map_set(cp, (uint16_t)b);
		text_ucs0[b] = (uint16_t)cp;
	}
	iconv_close(dec);
	iconv_close(enc);
	return 0;
}

int
text_init(void)
{
	size_t		 i;
	int		 v, c, rc;
	uint16_t	 g;

	if (text_ready)
		return 0;
	memset(text_map, 0, sizeof(text_map));
	memset(text_page, 0, sizeof(text_page));
	memset(text_ucs0, 0, sizeof(text_ucs0));
	text_npages = 1;
	rc = map_cp1252();

	/* Vectors 1 and 2 only for what vector 0 lacks: it is preferred. */
	for (v = 1; v < PG_NENC; v++)
		for (c = 1; c < 256; c++)
			if (text_ext_ucs[v - 1][c] != 0 &&
			    map_get(text_ext_ucs[v - 1][c]) == 0)
				map_set(text_ext_ucs[v - 1][c],
				    (uint16_t)(v << 8 | c));

	for (i = 0; i < sizeof(text_typo) / sizeof(text_typo[0]); i++) {
		g = text_typo[i].to == TEXT_DROP ? TEXT_DROP :
		    map_get(text_typo[i].to);
		if (g != 0)
			map_set(text_typo[i].cp, g);
	}
	text_ready = 1;
	return rc;
}

void
text_cleanup(void)
{
	text_ready = 0;
}

uint32_t
text_glyph_unicode(uint16_t g)
{
	unsigned int	 v = g >> 8, c = g & 0xFF;

	if (v == 0) {
		if (!text_ready)
			text_init();
		return text_ucs0[c];
	}
	return v < PG_NENC ? text_ext_ucs[v - 1][c] : 0;
}

/* --- encoding ------------------------------------------------------------ */

static int
compose_cmp(const void *key, const void *elt)
{
	const struct text_compose *k = key, *e = elt;

	if (k->base != e->base)
		return k->base < e->base ? -1 : 1;
	if (k->mark != e->mark)
		return k->mark < e->mark ? -1 : 1;
	return 0;
}

/* The printable letter base + mark make, or 0. */
static uint32_t
compose(uint32_t base, uint32_t mark)
{
	struct text_compose		 key;
	const struct text_compose	*hit;

	if (base > 0xFFFF)
		return 0;
	key.base = (uint16_t)base;
	key.mark = (uint16_t)mark;
	hit = bsearch(&key, text_compose_tab, text_compose_len,
	    sizeof(text_compose_tab[0]), compose_cmp);
	return hit != NULL ? hit->to : 0;
}

static int
near_cmp(const void *key, const void *elt)
{
	uint16_t			 k = *(const uint16_t *)key;
	const struct text_near		*e = elt;

	return k < e->cp ? -1 : k > e->cp;
}

/* The nearest printable letter to cp (e with circumflex for U+1EC5), or 0. */
static uint32_t
near_letter(uint32_t cp)
{
	const struct text_near	*hit;
	uint16_t		 k;

	if (cp > 0xFFFF)
		return 0;
	k = (uint16_t)cp;
	hit = bsearch(&k, text_near_tab, text_near_len,
	    sizeof(text_near_tab[0]), near_cmp);
	return hit != NULL ? hit->to : 0;
}

/*
 * The characters already reported in one text_encode call: a name with
 * the same missing letter three times gets one warning.
 */
struct warned {
	uint32_t	 cp[8];
	size_t		 n;
	int		 quiet;		/* count, never warn */
};

static int
warned_once(struct warned *w, uint32_t cp)
{
	size_t	 i;

	if (w->quiet)
		return 0;
	for (i = 0; i < w->n; i++)
		if (w->cp[i] == cp)
			return 0;
	if (w->n < sizeof(w->cp) / sizeof(w->cp[0]))
		w->cp[w->n++] = cp;
	return 1;
}

/*
 * One warning about one character: who it belongs to, its code point,
 * the character itself (ch, chlen bytes of UTF-8; none for controls and
 * invalid bytes) and what was printed instead.
 */
static void
text_warn(enum diag_code code, const char *who, uint32_t cp, const char *ch,
    size_t chlen, const char *what)
{
	diag(code, NULL, "%s%s: U+%04X%s%.*s %s",
	    who != NULL ? "person " : "layout text", who != NULL ? who : "",
	    (unsigned int)cp, chlen > 0 ? " " : "", (int)chlen, ch, what);
}

static int
encode(struct glyphs *gs, const char *s, const char *who, int quiet)
{
	const unsigned char	*u = (const unsigned char *)s;
	struct warned		 w;
	const char		*fold;
	char			 as[8], what[24];
	size_t			 len, i, adv;
	uint32_t		 cp, prev, to;
	uint16_t		 g;
	int			 bad = 0;

	if (!text_ready)
		text_init();
	len = strlen(s);
	/* Each byte yields at most one glyph: no growth inside the loop. */
	glyphs_grow(gs, len);
	w.n = 0;
	w.quiet = quiet;
	prev = 0;
	for (i = 0; i < len; i += adv) {
		/* ASCII fast path: printable bytes are their own glyph. */
		while (i < len && u[i] >= 0x20 && u[i] < 0x7F) {
			prev = u[i];
			gs->g[gs->n++] = u[i++];
		}
		if (i == len)
			break;
		adv = 1;

		if (u[i] < 0x80) {
			prev = 0;
			if (u[i] == '\t' || u[i] == '\n' ||
			    (u[i] == '\r' && u[i + 1] != '\n'))
				glyphs_push(gs, ' ');
			else if (u[i] != '\r') {
				bad++;
				if (warned_once(&w, u[i]))
					text_warn(DIAG_GLYPH_MISSING, who,
					    u[i], "", 0,
					    "control character dropped");
			}
			continue;
		}

		cp = utf8_decode(s + i, len - i, &adv);
		if (cp == UTF8_INVALID) {
			/* One '?' per bad sequence, not per byte. */
			while (i + adv < len && (u[i + adv] & 0xC0) == 0x80)
				adv++;
			bad++;
			glyphs_push(gs, TEXT_QUESTION);
			snprintf(what, sizeof(what), "0x%02X", u[i]);
			if (!quiet)
				diag(DIAG_GLYPH_MISSING, NULL,
				    "%s%s: invalid UTF-8 byte %s",
				    who != NULL ? "person " : "layout text",
				    who != NULL ? who : "", what);
			prev = 0;
			continue;
		}

		if ((g = map_get(cp)) == TEXT_DROP)
			continue;
		if (g != 0) {
			glyphs_push(gs, g);
			prev = cp;
			continue;
		}

		/* A decomposed accent (from macOS, say): compose it. */
		if (cp >= 0x300 && cp < 0x370) {
			if (prev != 0 && (to = compose(prev, cp)) != 0 &&
			    (g = map_get(to)) != 0 && g != TEXT_DROP) {
				gs->g[gs->n - 1] = g;
				prev = to;
				continue;
			}
			bad++;
			if (warned_once(&w, cp))
				text_warn(DIAG_GLYPH_TRANSLIT, who, cp,
				    s + i, adv, "accent dropped");
			continue;
		}

		if (cp < 0xA0) {
			prev = 0;
			bad++;
			if (warned_once(&w, cp))
				text_warn(DIAG_GLYPH_MISSING, who, cp, "", 0,
				    "control character dropped");
			continue;
		}

		bad++;
		prev = 0;
		if ((to = near_letter(cp)) != 0 && (g = map_get(to)) != 0 &&
		    g != TEXT_DROP) {
			glyphs_push(gs, g);
			if (warned_once(&w, cp)) {
				as[utf8_encode(to, as)] = '\0';
				snprintf(what, sizeof(what), "as %s", as);
				text_warn(DIAG_GLYPH_TRANSLIT, who, cp,
				    s + i, adv, what);
			}
			continue;
		}
		if ((fold = utf8_fold_char(cp)) != NULL && *fold != '\0') {
			for (; *fold != '\0'; fold++)
				glyphs_push(gs, (unsigned char)*fold);
			if (warned_once(&w, cp)) {
				snprintf(what, sizeof(what), "as %s",
				    utf8_fold_char(cp));
				text_warn(DIAG_GLYPH_TRANSLIT, who, cp,
				    s + i, adv, what);
			}
			continue;
		}
		glyphs_push(gs, TEXT_QUESTION);
		if (warned_once(&w, cp))
			text_warn(DIAG_GLYPH_MISSING, who, cp, s + i, adv,
			    "as ?");
	}
	return bad;
}

int
text_encode(struct glyphs *gs, const char *s, const char *who)
{
	return encode(gs, s, who, 0);
}

int
text_encode_quiet(struct glyphs *gs, const char *s)
{
	return encode(gs, s, NULL, 1);
}

/* --- widths and lines --------------------------------------------------- */

int32_t
text_width(enum pg_font f, const uint16_t *g, size_t n)
{
	const int16_t	(*w)[256];
	int32_t		 sum = 0;
	size_t		 i;
	unsigned int	 v;

	if ((unsigned int)f >= FONT__MAX)
		abort();
	w = text_afm_widths[f];
	for (i = 0; i < n; i++)
		if ((v = g[i] >> 8) < PG_NENC)
			sum += w[v][g[i] & 0xFF];
	return sum;
}

const int16_t
(*text_widths(enum pg_font f))[256]
{
	if ((unsigned int)f >= FONT__MAX)
		abort();
	return text_afm_widths[f];
}

const char *const *
text_vector_names(int enc)
{
	if (enc < 0 || enc >= PG_NENC)
		abort();
	return text_vec_names[enc];
}

int
text_vector_used(int enc)
{
	return enc >= 0 && enc < PG_NENC;
}

/* Every vector has the space at 0x20; compose may re-code it. */
static int
is_space(uint16_t g)
{
	return (g & 0xFF) == 0x20 && (g >> 8) < PG_NENC;
}

static int
is_hyphen(uint16_t g)
{
	return g == '-';
}

/*
 * The widths are read from the table here rather than through
 * text_width(), a call per glyph: this runs over every line of every
 * paragraph that holds a name.
 */
size_t
text_fit(enum pg_font f, const uint16_t *g, size_t n, int32_t maxwidth,
    size_t *next)
{
	const int16_t	(*w)[256] = text_widths(f);
	int32_t		 x = 0;
	size_t		 i, end = 0, brk = 0, brknext = 0;
	unsigned int	 v;
	int		 havebrk = 0;

#define GLYPH_WIDTH(c) \
	((v = (c) >> 8) < PG_NENC ? w[v][(c) & 0xFF] : 0)
	for (i = 0; i < n; i++) {
		if (is_space(g[i])) {
			/*
			 * A break before this space: the line ends after the
			 * last glyph that is not a space.  Spaces cost nothing
			 * at the end of a line, so they never overflow it.
			 */
			if (end > 0) {
				brk = end;
				brknext = i + 1;
				havebrk = 1;
			}
			x += GLYPH_WIDTH(g[i]);
			continue;
		}
		x += GLYPH_WIDTH(g[i]);
		if (x > maxwidth) {
			if (havebrk)
				break;
			/* No break yet: cut the word, one glyph at least. */
			brk = brknext = i > 0 ? i : 1;
			*next = brknext;
			return brk;
		}
		end = i + 1;
		/* After a hyphen inside a word, not after a leading one. */
		if (is_hyphen(g[i]) && i > 0 && !is_space(g[i - 1]) &&
		    i + 1 < n && !is_space(g[i + 1])) {
			brk = brknext = i + 1;
			havebrk = 1;
		}
	}
	if (i == n) {
		*next = n;
		return n;
	}
#undef GLYPH_WIDTH
	/* Skip the spaces at the break: the next line starts on a glyph. */
	while (brknext < n && is_space(g[brknext]))
		brknext++;
	*next = brknext;
	return brk;
}

/* --- the address block --------------------------------------------------- */

/* Characters as printed: code points without combining marks. */
size_t
text_utf8_chars(const char *s)
{
	size_t		 i, len = strlen(s), adv, n = 0;
	uint32_t	 cp;

	for (i = 0; i < len; i += adv) {
		if ((unsigned char)s[i] < 0x80) {
			adv = 1;
			n++;
			continue;
		}
		cp = utf8_decode(s + i, len - i, &adv);
		if (cp < 0x300 || cp >= 0x370)
			n++;
	}
	return n;
}

static int
is_blank(uint32_t cp)
{
	return cp <= 0x20 || cp == 0x7F || cp == 0xA0 ||
	    (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F;
}

/*
 * Punctuation and symbols, which NF Z 10-011 bans from lines 4 to 6 (it
 * allows letters, digits and spaces): ASCII other than letters and
 * digits, the Latin-1 signs, spacing modifiers (the U+02BC apostrophe)
 * and general punctuation (the U+2019 apostrophe, dashes).
 */
static int
is_punct(uint32_t cp)
{
	if (cp < 0x80)
		return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9'));
	return (cp >= 0x80 && cp < 0xC0) || cp == 0xD7 || cp == 0xF7 ||
	    (cp >= 0x2B0 && cp < 0x370) || (cp >= 0x2000 && cp < 0x2070);
}

/*
 * Append s[0..len) to out with every run of blanks (and punctuation, if
 * punct) made one space, and no space at either end.  An address block
 * squeezes a dozen strings: ASCII is judged without decoding, and the
 * room is made once (the result is never longer than s).
 */
static void
addr_squeeze(struct buf *out, const char *s, size_t len, int punct)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, k, adv;
	uint32_t		 cp;
	char			*o;
	int			 sep = 0, drop;

	if (out->cap - out->len <= len)
		buf_grow(out, len);
	o = out->p + out->len;
	for (i = 0; i < len; i += adv) {
		if (u[i] < 0x80) {
			adv = 1;
			drop = u[i] <= 0x20 || u[i] == 0x7F ||
			    (punct && is_punct(u[i]));
		} else {
			cp = utf8_decode(s + i, len - i, &adv);
			drop = cp != UTF8_INVALID &&
			    (is_blank(cp) || (punct && is_punct(cp)));
		}
		if (drop) {
			sep = 1;
			continue;
		}
		if (sep && o > out->p)
			*o++ = ' ';
		sep = 0;
		/* One to four bytes: a call to memcpy would cost more. */
		for (k = 0; k < adv; k++)
			*o++ = s[i + k];
	}
	*o = '\0';
	out->len = (size_t)(o - out->p);
}

static void
addr_squeezes(struct buf *out, const char *s, int punct)
{
	addr_squeeze(out, s, strlen(s), punct);
}

/*
 * Capitals with their accents, for a foreign locality line: the Latin-1,
 * Latin Extended-A, Greek and Cyrillic case pairs the fonts print.
 */
static uint32_t
upper_cp(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return c - 0x20;
	if ((c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
	    (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) ||
	    (c >= 0x430 && c <= 0x44F))
		return c - 0x20;
	if (c == 0xFF)
		return 0x178;
	if (c == 0x131)			/* dotless i */
		return 'I';
	if (c == 0x17F)			/* long s */
		return 'S';
	if (c >= 0x100 && c <= 0x17E && c != 0x138 && c != 0x149) {
		/* Pairs start on an even code point, except in two runs. */
		if ((c >= 0x139 && c <= 0x148) || c >= 0x179)
			return (c & 1) == 0 ? c - 1 : c;
		return (c & 1) == 1 ? c - 1 : c;
	}
	if (c == 0x3C2)			/* final sigma */
		return 0x3A3;
	if (c == 0x3AC)
		return 0x386;
	if (c >= 0x3AD && c <= 0x3AF)
		return c - 0x25;
	if (c == 0x3CC)
		return 0x38C;
	if (c == 0x3CD || c == 0x3CE)
		return c - 0x3F;
	if (c >= 0x450 && c <= 0x45F)
		return c - 0x50;
	if (c >= 0x460 && c <= 0x4FF && c != 0x4C0 && c != 0x4CF &&
	    (c < 0x482 || c >= 0x48A)) {
		if (c > 0x4C0 && c < 0x4CF)
			return (c & 1) == 0 ? c - 1 : c;
		return (c & 1) == 1 ? c - 1 : c;
	}
	if (c == 0x4CF)
		return 0x4C0;
	return c;
}

static void
addr_upper(struct buf *out, const char *s)
{
	size_t		 i, len = strlen(s), adv;
	uint32_t	 cp;
	char		 u8[4];

	for (i = 0; i < len; i += adv) {
		cp = utf8_decode(s + i, len - i, &adv);
		if (cp == UTF8_INVALID)
			buf_add(out, s + i, adv);
		else
			buf_add(out, u8, utf8_encode(upper_cp(cp), u8));
	}
}

/*
 * Capitals without accents and without punctuation, as La Poste's
 * routing names have them: "Saint-Étienne" is SAINT ETIENNE and
 * "L'Haÿ-les-Roses" L HAY LES ROSES (a space for the apostrophe, as in
 * the official postcode file).  That is the upper-case folded key;
 * every caller starts from an empty out.
 */
static void
addr_routing(struct buf *out, const char *s)
{
	utf8_fold_key(out, s, strlen(s), FOLD_UPPER, 1);
}

/* The lines being built, more than a block holds until they are counted. */
struct addr_lines {
	char		**s;
	int		 *recipient;	/* 1: a recipient line, kept as given */
	size_t		  n, cap;
};

static void
lines_add(struct addr_lines *l, const struct buf *b, int recipient)
{
	if (b->len == 0)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 8 : l->cap * 2;
		l->s = xreallocarray(l->s, l->cap, sizeof(*l->s));
		l->recipient = xreallocarray(l->recipient, l->cap,
		    sizeof(*l->recipient));
	}
	l->s[l->n] = xstrndup(b->p, b->len);
	l->recipient[l->n] = recipient;
	l->n++;
}

static void
lines_remove(struct addr_lines *l, size_t i)
{
	free(l->s[i]);
	memmove(&l->s[i], &l->s[i + 1], (l->n - i - 1) * sizeof(*l->s));
	memmove(&l->recipient[i], &l->recipient[i + 1],
	    (l->n - i - 1) * sizeof(*l->recipient));
	l->n--;
}

void
text_address(const struct addr_in *in, struct addr_out *out)
{
	struct addr_lines	 l;
	struct buf		 b, pc;
	const char		*p, *dollar;
	size_t			 i, nstreet = 0, stripped, limit;
	int			 missing = 0;

	memset(out, 0, sizeof(*out));
	memset(&l, 0, sizeof(l));
	buf_init(&b);
	buf_init(&pc);

	/*
	 * Domestic unless a country other than France is named.  The test
	 * is on the folded name ("France", "FRANCE "), but emptiness on the
	 * name as given: a country in Cyrillic folds to nothing.
	 */
	if (in->country != NULL) {
		addr_squeezes(&b, in->country, 0);
		if (b.len > 0) {
			buf_reset(&b);
			addr_routing(&b, in->country);
			out->abroad = strcmp(b.len > 0 ? b.p : "",
			    "FRANCE") != 0;
		}
		buf_reset(&b);
	}

	/* Lines 1-2, the recipient: as given, blanks squeezed. */
	for (i = 0; i < 2; i++) {
		if (in->recipient[i] == NULL)
			continue;
		addr_squeezes(&b, in->recipient[i], 0);
		lines_add(&l, &b, 1);
		buf_reset(&b);
	}

	/* The AAF address lines, '$'-separated, empty ones dropped. */
	for (p = in->address; p != NULL; p = dollar != NULL ? dollar + 1 :
	    NULL) {
		dollar = strchr(p, '$');
		addr_squeeze(&b, p, dollar != NULL ? (size_t)(dollar - p) :
		    strlen(p), 0);
		if (b.len > 0)
			nstreet++;
		lines_add(&l, &b, 0);
		buf_reset(&b);
	}

	/*
	 * Lines 4 to 6 carry no punctuation.  The norm numbers its six
	 * lines by role, the locality being line 6, and the lines dropped
	 * when empty are mostly the apartment and building ones (2-3), so
	 * the three lines from the locality up are the ones stripped,
	 * however short the block; recipient lines stay as given.  A line
	 * that was nothing but punctuation goes.
	 */
	stripped = 0;
	for (i = l.n; i > 0 && stripped < 2; i--) {
		if (l.recipient[i - 1])
			break;
		buf_reset(&b);
		addr_squeezes(&b, l.s[i - 1], 1);
		if (b.len == 0) {
			lines_remove(&l, i - 1);
			nstreet--;
			continue;
		}
		free(l.s[i - 1]);
		l.s[i - 1] = xstrndup(b.p, b.len);
		stripped++;
	}
	buf_reset(&b);

	/* The locality line. */
	buf_reset(&pc);
	if (in->postcode != NULL)
		addr_squeezes(&pc, in->postcode, 0);
	if (!out->abroad) {
		/*
		 * Five digits without a separator: "69 100" is 69100.
		 * Anything else is only made a routing word, not judged.
		 */
		for (i = 0; i < pc.len; i++)
			if (pc.p[i] >= '0' && pc.p[i] <= '9')
				buf_addc(&b, pc.p[i]);
			else if (pc.p[i] != ' ')
				break;
		if (i < pc.len) {
			buf_reset(&b);
			addr_routing(&b, pc.p);
		}
		if (b.len == 0)
			missing = 1;
		buf_reset(&pc);
		if (in->city != NULL)
			addr_routing(&pc, in->city);
		if (pc.len == 0)
			missing = 1;
		if (b.len > 0 && pc.len > 0)
			buf_addc(&b, ' ');
		if (pc.len > 0)
			buf_add(&b, pc.p, pc.len);
	} else {
		/* Foreign formats vary: as given, in capitals. */
		addr_upper(&b, pc.len > 0 ? pc.p : "");
		buf_reset(&pc);
		if (in->city != NULL)
			addr_squeezes(&pc, in->city, 0);
		if (pc.len == 0)
			missing = 1;
		if (b.len > 0 && pc.len > 0)
			buf_addc(&b, ' ');
		addr_upper(&b, pc.len > 0 ? pc.p : "");
	}
	lines_add(&l, &b, 0);

	/* Abroad, the country alone on the last line. */
	if (out->abroad) {
		buf_reset(&b);
		addr_routing(&b, in->country);
		if (b.len == 0) {
			/* No Latin letters: capitals of the name as given. */
			buf_reset(&pc);
			addr_squeezes(&pc, in->country, 1);
			addr_upper(&b, pc.len > 0 ? pc.p : "");
		}
		lines_add(&l, &b, 0);
	}

	if (nstreet == 0)
		missing = 1;
	limit = out->abroad ? ADDR_MAXLINES : ADDR_MAXLINES - 1;
	if (missing)
		out->status = ADDR_MISSING;
	else if (l.n > limit) {
		out->status = ADDR_TOO_MANY_LINES;
		out->bad_line = limit;
	} else
		for (i = 0; i < l.n; i++)
			if (text_utf8_chars(l.s[i]) > ADDR_LINELEN) {
				out->status = ADDR_TOO_LONG;
				out->bad_line = i;
				break;
			}

	/* A block too long to hold keeps its first lines, for messages. */
	for (i = 0; i < l.n; i++) {
		if (i < ADDR_MAXLINES)
			out->line[out->nlines++] = l.s[i];
		else
			free(l.s[i]);
	}
	free(l.s);
	free(l.recipient);
	buf_free(&b);
	buf_free(&pc);
}

void
addr_out_free(struct addr_out *out)
{
	size_t	 i;

	for (i = 0; i < out->nlines; i++)
		free(out->line[i]);
	memset(out, 0, sizeof(*out));
}
