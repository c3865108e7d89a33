/*
 * text_tab: the tables behind the text stage, shared by text.c, the
 * committed vectors in text_vec.c, the width table text_afm.c that
 * tools/afm2c generates from the AFM files at build time, and afm2c
 * itself, which reads the glyph names of the vectors from text_vec.c so
 * that the names and their widths can never disagree.  Nothing outside
 * the text stage includes this: other stages go through text.h.
 */
#ifndef ENTPRESS_TEXT_TAB_H
#define ENTPRESS_TEXT_TAB_H

#include <stddef.h>
#include <stdint.h>

#include "page.h"

/* A base letter and a combining mark that compose into a printable one. */
struct text_compose {
	uint16_t	 base;		/* code point */
	uint16_t	 mark;		/* U+0300..U+036F */
	uint16_t	 to;		/* the composed code point */
};

/* A letter the fonts lack and the nearest one they have. */
struct text_near {
	uint16_t	 cp;
	uint16_t	 to;
};

extern const char *const	 text_vec_names[PG_NENC][256];
extern const uint16_t		 text_ext_ucs[PG_NENC - 1][256];
extern const struct text_compose text_compose_tab[];
extern const size_t		 text_compose_len;
extern const struct text_near	 text_near_tab[];
extern const size_t		 text_near_len;

/* AFM advance widths (WX, 1/1000 em) by font, vector and code. */
extern const int16_t		 text_afm_widths[FONT__MAX][PG_NENC][256];

#endif /* ENTPRESS_TEXT_TAB_H */
