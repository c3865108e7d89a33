/*
 * collate: locale-independent ordering of names and class codes.
 *
 * Names sort on an accent- and case-folded key (é = e, œ = oe, spaces,
 * hyphens and apostrophes all count as one separator), with the raw
 * UTF-8 bytes as the final tie-break so that the order is total and the
 * same on every machine.  Class codes sort in natural order: digit runs
 * compare as numbers, so 6A < 6B < 10A and 2NDE2 < 2NDE10 < 3A.
 */
#ifndef ENTPRESS_COLLATE_H
#define ENTPRESS_COLLATE_H

#include "mem.h"

void	 collate_key(struct buf *, const char *);
char	*collate_key_arena(struct arena *, const char *);
int	 collate_cmp(const char *, const char *);
int	 collate_natcmp(const char *, const char *);

#endif /* ENTPRESS_COLLATE_H */
