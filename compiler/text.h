/*
 * text: from UTF-8 names to printable glyphs, their widths, line
 * breaking, and the French postal address block.
 *
 * A printable string is a sequence of glyph codes (uint16_t): the high
 * byte is the glyph vector (font encoding, page.h PG_NENC), the low byte
 * the code in that vector.  Vector 0 is Windows-1252, reached through
 * iconv; vectors 1 and 2 hold the other glyphs the URW base-35 fonts
 * have (Latin Extended-A/B, Greek, Cyrillic).  A character in no vector
 * is transliterated (Latin with diacritics) or printed as '?', and in
 * both cases a warning names the person and the character: a name is
 * never changed silently.  Every vector has the space at 0x20, so a run
 * of Cyrillic words can stay in one vector.
 *
 * Widths come from the AFM metrics of the URW fonts, in AFM units
 * (1/1000 of the font size), so a run of glyphs at size S pg_units is
 * width * S / 1000 pg_units wide.
 */
#ifndef ENTPRESS_TEXT_H
#define ENTPRESS_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "page.h"

struct glyphs {
	uint16_t	*g;
	size_t		 n, cap;
};

void		 glyphs_init(struct glyphs *);
void		 glyphs_free(struct glyphs *);
void		 glyphs_reset(struct glyphs *);

/*
 * Library setup: asks iconv (CP1252) once per byte and builds the code
 * point map; 0, or -1 (diagnosed) when iconv lacks CP1252, after which
 * only ASCII and vectors 1-2 print.  text_encode calls it if needed.
 */
int		 text_init(void);
void		 text_cleanup(void);

/*
 * Append the glyphs of a UTF-8 string.  who names the person (an AAF id)
 * for the warning about a character that had to be transliterated,
 * replaced by '?' or dropped; NULL for text of our own (layouts), which
 * the warning calls "layout text".  Tab and newline become spaces, other
 * controls are dropped, decomposed accents are composed, and the spaces
 * and hyphens the fonts lack (U+202F, U+2009, U+2011...) become their
 * nearest glyph silently.  Returns the number of characters warned about.
 */
int		 text_encode(struct glyphs *, const char *utf8, const char *who);

/*
 * The same without a word: what compose tries ahead of the run (the
 * text of a layout drawn once as a form); a non-zero count means the
 * text is left to text_encode, which says why when it is printed.
 */
int		 text_encode_quiet(struct glyphs *, const char *utf8);

/* The code point a glyph shows (PDF ToUnicode), 0 for an empty slot. */
uint32_t	 text_glyph_unicode(uint16_t);

/* Width of n glyphs in font f, in AFM units (1/1000 of the size). */
int32_t		 text_width(enum pg_font f, const uint16_t *g, size_t n);

/*
 * The widths text_width adds up, by vector and byte: for a caller that
 * walks the glyphs anyway and would rather not walk them twice.
 */
const int16_t	(*text_widths(enum pg_font f))[256];

/* The 256 glyph names of vector enc (".notdef" where empty). */
const char *const *text_vector_names(int enc);

/* Does vector enc hold any glyph at all (vector 0 always does)? */
int		 text_vector_used(int enc);

/*
 * Greedy line breaking: the number of glyphs from g[0] that fit in
 * maxwidth (AFM units at size 1000, i.e. maxwidth_pg * 1000 / size),
 * breaking after a space or a hyphen when it can, else inside a word
 * (at least one glyph, so callers always progress).  Spaces at the break
 * are not counted and do not overflow; *next is where the next line
 * starts, past them.  When everything fits, returns n and *next is n.
 */
size_t		 text_fit(enum pg_font f, const uint16_t *g, size_t n,
		    int32_t maxwidth, size_t *next);

/* --- the NF Z 10-011 address block ---------------------------------- */

#define ADDR_MAXLINES	7		/* 6, or 7 with the country */
#define ADDR_LINELEN	38		/* characters, spaces included */

enum addr_status {
	ADDR_OK = 0,
	ADDR_MISSING,		/* no street, postcode or city */
	ADDR_TOO_LONG,		/* a line over 38 characters */
	ADDR_TOO_MANY_LINES	/* more than 6 lines (7 abroad) */
};

struct addr_in {
	const char	*recipient[2];	/* name lines, UTF-8, NULL if none */
	const char	*address;	/* AAF ENTPersonAdresse, lines joined by $ */
	const char	*postcode;
	const char	*city;
	const char	*country;	/* NULL, "", FRANCE: domestic */
};

struct addr_out {
	char		*line[ADDR_MAXLINES];	/* UTF-8, malloc'd */
	size_t		 nlines;
	int		 abroad;
	enum addr_status status;
	size_t		 bad_line;		/* TOO_LONG, TOO_MANY: 0-based */
};

/*
 * Build the block: empty lines dropped, spaces collapsed, the last line
 * POSTCODE CITY in capitals without accents or punctuation (hyphens and
 * apostrophes become spaces, as in La Poste's postcode file), the
 * country alone on a last line in capitals when abroad, no punctuation
 * on lines 4 to 6.  Lines are numbered by role as in the norm, from the
 * locality (line 6) up, so the locality and the two address lines above
 * it are stripped however short the block; recipient lines (1-2) are
 * kept as given.  Abroad, the locality line is kept as given, in
 * capitals with its accents: foreign postcodes have hyphens.
 * Nothing is cut: a line that stays too long is reported in status
 * (ADDR_MISSING first, then ADDR_TOO_MANY_LINES with bad_line the first
 * line over the limit, then ADDR_TOO_LONG).  out is overwritten: free a
 * previous block first.  A block of more than ADDR_MAXLINES keeps its
 * first lines.
 */
void		 text_address(const struct addr_in *, struct addr_out *);
void		 addr_out_free(struct addr_out *);

/* Characters as printed: code points, combining accents not counted. */
size_t		 text_utf8_chars(const char *);

#endif /* ENTPRESS_TEXT_H */
