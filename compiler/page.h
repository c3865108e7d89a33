/*
 * page: the page model, the only thing the back ends (emit_ps, emit_pdf)
 * see.
 *
 * A page is a list of positioned items: text runs, lines and rectangles.
 * Coordinates are integers in 1/1000 point (pg_unit), origin at the
 * bottom left of the sheet, y up, as in PostScript and PDF, so a back
 * end only divides by 1000 when it prints a number.  Text is already
 * encoded: each run holds bytes of one font encoding (glyph vector, see
 * text.h), so a back end never decodes UTF-8 or measures anything.
 * Compose builds one page at a time; a back end writes it and the page is
 * reset for the next, so memory does not grow with the run.
 */
#ifndef ENTPRESS_PAGE_H
#define ENTPRESS_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

typedef int32_t pg_unit;		/* 1/1000 point */

#define PG_PT(x)	((pg_unit)((x) * 1000))
/* Millimetres to pg_unit: 1 mm = 72/25.4 pt. */
#define PG_MM(x)	((pg_unit)((x) * 72000.0 / 25.4 + ((x) >= 0 ? 0.5 : -0.5)))

/*
 * The base fonts entpress prints with: the Latin faces of the PostScript
 * base 35, which Ghostscript and every PostScript printer have, and which
 * the PDF back end embeds from the URW base-35 files.
 */
enum pg_font {
	FONT_HELVETICA = 0,
	FONT_HELVETICA_BOLD,
	FONT_HELVETICA_OBLIQUE,
	FONT_HELVETICA_BOLDOBLIQUE,
	FONT_HELVETICA_NARROW,
	FONT_HELVETICA_NARROW_BOLD,
	FONT_TIMES_ROMAN,
	FONT_TIMES_BOLD,
	FONT_TIMES_ITALIC,
	FONT_TIMES_BOLDITALIC,
	FONT_COURIER,
	FONT_COURIER_BOLD,
	FONT_COURIER_OBLIQUE,
	FONT_COURIER_BOLDOBLIQUE,
	FONT__MAX
};

/*
 * Glyph vectors (font encodings).  Vector 0 is Windows-1252 (WinAnsi);
 * the others hold the glyphs the URW fonts have beyond it (Latin
 * Extended-A and -B, Greek, Cyrillic).  text.h maps code points to
 * (vector, byte) and gives each vector's 256 glyph names.
 */
#define PG_NENC		3

enum pg_kind {
	PG_TEXT,
	PG_LINE,
	PG_RECT,
	PG_FORM
};

struct pg_text {
	uint8_t		 font;		/* enum pg_font */
	uint8_t		 enc;		/* glyph vector, < PG_NENC */
	pg_unit		 size;		/* font size */
	pg_unit		 x, y;		/* baseline start */
	const char	*s;		/* bytes in vector enc, not NUL-terminated */
	uint32_t	 len;
};

struct pg_line {
	pg_unit		 x0, y0, x1, y1;
	pg_unit		 width;		/* stroke width */
	pg_unit		 dash;		/* dash and gap length, 0 solid */
};

struct pg_rect {
	pg_unit		 x, y, w, h;	/* lower left corner, size */
	pg_unit		 width;		/* stroke width, 0: no stroke */
	pg_unit		 dash;
	uint8_t		 gray;		/* fill level 0 black..255 white */
	uint8_t		 fill;		/* 1: filled with gray */
};

/*
 * A form drawn with its origin at (x, y).  A form is a list of items
 * that many pages draw the same, only elsewhere (a fixed paragraph of
 * the layout, whose place depends on what precedes it): its items are
 * relative to the origin.  The PostScript back end defines each form
 * once as a procedure, so that a page calls it in one line; a back end
 * may as well draw the items in place, which gives the same page.
 */
struct pg_use {
	uint32_t	 form;		/* index in the page's forms */
	pg_unit		 x, y;
};

struct pg_item {
	enum pg_kind	 kind;
	union {
		struct pg_text	 text;
		struct pg_line	 line;
		struct pg_rect	 rect;
		struct pg_use	 use;
	} u;
};

struct pg_page;

/* The forms of a run, fixed before its first page is written. */
struct pg_forms {
	struct pg_page	*v;		/* items relative to (0, 0) */
	size_t		 n;
};

/* An outline (bookmark) entry starting on a page: PDF navigation. */
struct pg_mark {
	int		 level;		/* 0 section, 1 school, 2 class... */
	const char	*title;		/* UTF-8 */
};

struct pg_page {
	pg_unit		 width, height;	/* media size */
	char		 label[48];	/* DSC/PDF page label, e.g. 4B-017 */
	int		 blank;		/* a verso left blank on purpose */
	struct pg_item	*items;
	size_t		 nitems, capitems;
	struct pg_mark	 marks[4];	/* outline entries starting here */
	size_t		 nmarks;
	struct arena	 strs;		/* text bytes of this page */
	const struct pg_forms *forms;	/* what PG_FORM items refer to */
};

void	 pg_init(struct pg_page *, pg_unit, pg_unit);
void	 pg_reset(struct pg_page *);
void	 pg_free(struct pg_page *);
void	 pg_text(struct pg_page *, enum pg_font, int enc, pg_unit size,
	    pg_unit x, pg_unit y, const char *s, size_t len);
void	 pg_line(struct pg_page *, pg_unit x0, pg_unit y0, pg_unit x1,
	    pg_unit y1, pg_unit width, pg_unit dash);
void	 pg_rect(struct pg_page *, pg_unit x, pg_unit y, pg_unit w, pg_unit h,
	    pg_unit width, pg_unit dash, int fill, int gray);
void	 pg_use(struct pg_page *, uint32_t form, pg_unit x, pg_unit y);
void	 pg_mark(struct pg_page *, int level, const char *title);

/*
 * Item i of form u->form, moved to u's origin, in *out; 0, or -1 when
 * the page has no such form.
 */
int	 pg_form_item(const struct pg_page *, const struct pg_use *u,
	    size_t i, struct pg_item *out);
const char *pg_font_name(enum pg_font);

/*
 * A back end.  begin writes the document header, page one page, end
 * the trailer; each returns 0 or -1 after a write error (already
 * diagnosed).  The writer behind it counts bytes (outw.h).
 */
struct pg_docinfo {
	const char	*title;		/* UTF-8 */
	const char	*creator;
	const char	*date;		/* YYYY-MM-DD, the run's date */
	int		 duplex;
	unsigned int	 fonts_used;	/* 1 << enum pg_font */
	unsigned int	 encs_used;	/* 1 << vector */
};

#endif /* ENTPRESS_PAGE_H */
