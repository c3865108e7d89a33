/*
 * utf8: decoding, validation and accent folding of UTF-8 text.
 *
 * Every string in the model is UTF-8 (libxml2 hands us UTF-8 whatever the
 * file's encoding).  Sorting, household matching and logins all need the
 * same "accents folded" view of a name; it is computed here from one
 * table, so that the three can never disagree.  glibc's iconv //TRANSLIT
 * would do part of this, but its result depends on the process locale,
 * and entpress output must not.
 */
#ifndef ENTPRESS_UTF8_H
#define ENTPRESS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

#define UTF8_INVALID	0xFFFFFFFFu

uint32_t	 utf8_decode(const char *, size_t, size_t *);
size_t		 utf8_encode(uint32_t, char *);
int		 utf8_valid(const char *, size_t);
const char	*utf8_fold_char(uint32_t);

/* What utf8_fold found beside ASCII and foldable Latin. */
#define FOLD_NONLATIN	0x01	/* letters outside Latin (Greek, Cyrillic...) */
#define FOLD_INVALID	0x02	/* invalid UTF-8 */

enum fold_mode {
	FOLD_LOWER,	/* a-z 0-9, other ASCII kept */
	FOLD_UPPER	/* A-Z 0-9, other ASCII kept */
};

int		 utf8_fold(struct buf *, const char *, enum fold_mode);

/*
 * The folded key of s[0..len), appended to out: letters in the mode's
 * case and digits, every run of anything else (spaces, punctuation) one
 * space, or nothing when !spaces, and no space at either end of what is
 * appended.  A character utf8_fold() drops leaves nothing: it separates
 * nothing either.  Returns the number of bytes appended.
 */
size_t		 utf8_fold_key(struct buf *, const char *, size_t,
		    enum fold_mode, int);

#endif /* ENTPRESS_UTF8_H */
