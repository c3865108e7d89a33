/*
 * collate: folded sort keys and natural order.  See collate.h.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "collate.h"
#include "mem.h"
#include "utf8.h"

/*
 * The sort key of s: lower-case ASCII letters and digits, every run of
 * anything else (space, hyphen, apostrophe, dropped scripts) one space,
 * no leading or trailing space.  "D'Almeida" and "d almeida" share a key.
 * utf8_fold_key() does it in one pass, without a scratch buffer: every
 * select and batch computes a key per person.
 */
void
collate_key(struct buf *out, const char *s)
{
	buf_reset(out);
	utf8_fold_key(out, s, strlen(s), FOLD_LOWER, 1);
}

char *
collate_key_arena(struct arena *a, const char *s)
{
	struct buf	 k;
	char		 small[128], *p;

	/* A name's key fits the stack; only a longer one is allocated. */
	k.p = small;
	k.len = 0;
	k.cap = sizeof(small);
	if (strlen(s) + 2 > sizeof(small)) {
		buf_init(&k);
		collate_key(&k, s);
		p = arena_strndup(a, k.p, k.len);
		buf_free(&k);
		return p;
	}
	collate_key(&k, s);
	return arena_strndup(a, k.p, k.len);
}

/* Folded comparison with a bytewise tie-break: a total order. */
int
collate_cmp(const char *a, const char *b)
{
	struct buf	 ka, kb;
	int		 c;

	buf_init(&ka);
	buf_init(&kb);
	collate_key(&ka, a);
	collate_key(&kb, b);
	c = strcmp(ka.p, kb.p);
	buf_free(&ka);
	buf_free(&kb);
	return c != 0 ? c : strcmp(a, b);
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Natural order on folded keys: a digit run compares as a number (leading
 * zeros ignored, then by length, then digit by digit), anything else
 * character by character.  Equal keys fall back to bytes.
 */
int
collate_natcmp(const char *a, const char *b)
{
	struct buf	 ka, kb;
	const char	*p, *q, *pe, *qe;
	size_t		 lp, lq;
	int		 c = 0;

	buf_init(&ka);
	buf_init(&kb);
	collate_key(&ka, a);
	collate_key(&kb, b);
	p = ka.p;
	q = kb.p;
	while (c == 0 && *p != '\0' && *q != '\0') {
		if (is_digit(*p) && is_digit(*q)) {
			while (*p == '0' && is_digit(p[1]))
				p++;
			while (*q == '0' && is_digit(q[1]))
				q++;
			for (pe = p; is_digit(*pe); pe++)
				continue;
			for (qe = q; is_digit(*qe); qe++)
				continue;
			lp = (size_t)(pe - p);
			lq = (size_t)(qe - q);
			if (lp != lq)
				c = lp < lq ? -1 : 1;
			else if ((c = memcmp(p, q, lp)) != 0)
				c = c < 0 ? -1 : 1;
			p = pe;
			q = qe;
			continue;
		}
		if (*p != *q)
			c = (unsigned char)*p < (unsigned char)*q ? -1 : 1;
		p++;
		q++;
	}
	if (c == 0 && (*p != '\0' || *q != '\0'))
		c = *p == '\0' ? -1 : 1;
	buf_free(&ka);
	buf_free(&kb);
	return c != 0 ? c : strcmp(a, b);
}
