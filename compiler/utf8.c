/*
 * utf8: UTF-8 decoding and the accent-folding table.  See utf8.h.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "mem.h"
#include "utf8.h"

/*
 * ASCII spelling of U+00C0..U+017F (Latin-1 Supplement letters and Latin
 * Extended-A): the Unicode compatibility decomposition without combining
 * marks, and for letters that have none the usual French/German spelling
 * (Æ AE, Œ OE, ß ss, Ø O, Ł L, Þ TH).  Generated once with Python's
 * unicodedata (NFKD); "" marks the two non-letters (× ÷).
 */
static const char *const fold_latin[0x180 - 0xC0] = {
	/* U+00C0 */ "A", "A", "A", "A", "A", "A", "AE", "C",
	/* U+00C8 */ "E", "E", "E", "E", "I", "I", "I", "I",
	/* U+00D0 */ "D", "N", "O", "O", "O", "O", "O", "",
	/* U+00D8 */ "O", "U", "U", "U", "U", "Y", "TH", "ss",
	/* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* U+00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* U+00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 */ "A", "a", "A", "a", "A", "a", "C", "c",
	/* U+0108 */ "C", "c", "C", "c", "C", "c", "D", "d",
	/* U+0110 */ "D", "d", "E", "e", "E", "e", "E", "e",
	/* U+0118 */ "E", "e", "E", "e", "G", "g", "G", "g",
	/* U+0120 */ "G", "g", "G", "g", "H", "h", "H", "h",
	/* U+0128 */ "I", "i", "I", "i", "I", "i", "I", "i",
	/* U+0130 */ "I", "i", "IJ", "ij", "J", "j", "K", "k",
	/* U+0138 */ "k", "L", "l", "L", "l", "L", "l", "L",
	/* U+0140 */ "l", "L", "l", "N", "n", "N", "n", "N",
	/* U+0148 */ "n", "n", "N", "n", "O", "o", "O", "o",
	/* U+0150 */ "O", "o", "OE", "oe", "R", "r", "R", "r",
	/* U+0158 */ "R", "r", "S", "s", "S", "s", "S", "s",
	/* U+0160 */ "S", "s", "T", "t", "T", "t", "T", "t",
	/* U+0168 */ "U", "u", "U", "u", "U", "u", "U", "u",
	/* U+0170 */ "U", "u", "U", "u", "W", "w", "Y", "y",
	/* U+0178 */ "Y", "Z", "z", "Z", "z", "Z", "z", "s",
};

/*
 * Decode one code point from s (at most len bytes).  Sets *adv to the
 * bytes consumed (at least 1) and returns UTF8_INVALID for malformed,
 * overlong or surrogate sequences.
 */
uint32_t
utf8_decode(const char *s, size_t len, size_t *adv)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 cp, min;
	size_t			 n, i;

	*adv = 1;
	if (len == 0)
		return UTF8_INVALID;
	if (u[0] < 0x80)
		return u[0];
	if ((u[0] & 0xE0) == 0xC0) {
		n = 2; cp = u[0] & 0x1F; min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		n = 3; cp = u[0] & 0x0F; min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		n = 4; cp = u[0] & 0x07; min = 0x10000;
	} else
		return UTF8_INVALID;
	if (len < n)
		return UTF8_INVALID;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return UTF8_INVALID;
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return UTF8_INVALID;
	*adv = n;
	return cp;
}

/* Encode cp into buf (at least 4 bytes); returns the length. */
size_t
utf8_encode(uint32_t cp, char *buf)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xC0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xE0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (char)(0xF0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int
utf8_valid(const char *s, size_t len)
{
	size_t	 i, adv;

	for (i = 0; i < len; i += adv)
		if (utf8_decode(s + i, len - i, &adv) == UTF8_INVALID)
			return 0;
	return 1;
}

/*
 * The ASCII spelling of a Latin letter with diacritics, "" for a
 * non-letter in the Latin-1 range, NULL when the code point is outside
 * the table (the caller decides: keep ASCII, flag the rest).
 */
const char *
utf8_fold_char(uint32_t cp)
{
	if (cp >= 0xC0 && cp < 0x180)
		return fold_latin[cp - 0xC0];
	switch (cp) {
	case 0x1E9E:		/* capital sharp s */
		return "SS";
	case 0x1FC:		/* AE with acute */
		return "AE";
	case 0x1FD:
		return "ae";
	case 0x1FE:
		return "O";
	case 0x1FF:
		return "o";
	case 0x218:
		return "S";
	case 0x219:
		return "s";
	case 0x21A:
		return "T";
	case 0x21B:
		return "t";
	default:
		return NULL;
	}
}

/*
 * One character of a key: letters in the case flip gives (0 lower,
 * 0x20 upper) and digits kept, anything else a separator.  Returns the
 * character, or 0 for a separator.
 */
static inline char
key_char(unsigned char c, unsigned char flip)
{
	unsigned char	 l = c | 0x20;

	if ((unsigned char)(l - 'a') < 26)
		return (char)(l ^ flip);
	if ((unsigned char)(c - '0') < 10)
		return (char)c;
	return 0;
}

/*
 * utf8_fold() and a squeeze in one pass, the form every key takes (sort
 * keys, household addresses, La Poste routing words): see utf8.h.  The
 * result is never longer than the input (a folded spelling is at most
 * two letters for a character of two bytes or more, a space stands for
 * at least one byte), so room is made once and the bytes are written
 * without a test each: this runs for every name of an academy.
 */
size_t
utf8_fold_key(struct buf *out, const char *s, size_t len,
    enum fold_mode mode, int spaces)
{
	const unsigned char	*u = (const unsigned char *)s;
	const unsigned char	 flip = mode == FOLD_UPPER ? 0x20 : 0;
	const char		*f;
	char			*o, *base, k;
	size_t			 i = 0, adv;
	uint32_t		 cp;
	int			 pend = 0;	/* a space before the next */

	if (out->cap - out->len <= len)
		buf_grow(out, len);
	base = o = out->p + out->len;
	while (i < len) {
		if (u[i] < 0x80) {
			if ((k = key_char(u[i++], flip)) == 0) {
				pend = spaces && o > base;
				continue;
			}
			/* The space is written always, and kept if due. */
			*o = ' ';
			o += pend;
			pend = 0;
			*o++ = k;
			continue;
		}
		cp = utf8_decode(s + i, len - i, &adv);
		i += adv;
		if (cp == UTF8_INVALID || (f = utf8_fold_char(cp)) == NULL)
			continue;
		for (; *f != '\0'; f++) {
			if ((k = key_char((unsigned char)*f, flip)) == 0) {
				pend = spaces && o > base;
				continue;
			}
			*o = ' ';
			o += pend;
			pend = 0;
			*o++ = k;
		}
	}
	*o = '\0';
	out->len = (size_t)(o - out->p);
	return (size_t)(o - base);
}

/*
 * Append the accent-folded form of s to out: ASCII letters changed to
 * the mode's case, Latin letters with diacritics spelled in ASCII,
 * other ASCII kept, everything else dropped.  Returns FOLD_* flags saying
 * what was dropped, so callers can warn about it.
 */
int
utf8_fold(struct buf *out, const char *s, enum fold_mode mode)
{
	size_t		 i, len = strlen(s), adv;
	uint32_t	 cp;
	const char	*f;
	int		 flags = 0;
	char		 c;

	buf_grow(out, len);
	for (i = 0; i < len; i += adv) {
		cp = utf8_decode(s + i, len - i, &adv);
		if (cp == UTF8_INVALID) {
			flags |= FOLD_INVALID;
			continue;
		}
		if (cp < 0x80) {
			c = (char)cp;
			if (mode == FOLD_LOWER && c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			else if (mode == FOLD_UPPER && c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			buf_addc(out, c);
			continue;
		}
		if ((f = utf8_fold_char(cp)) != NULL) {
			for (; *f != '\0'; f++) {
				c = *f;
				if (mode == FOLD_LOWER && c >= 'A' && c <= 'Z')
					c = (char)(c - 'A' + 'a');
				else if (mode == FOLD_UPPER &&
				    c >= 'a' && c <= 'z')
					c = (char)(c - 'a' + 'A');
				buf_addc(out, c);
			}
			continue;
		}
		/* Combining marks vanish silently; other scripts are flagged. */
		if (cp >= 0x300 && cp < 0x370)
			continue;
		if ((cp >= 0x370 && cp < 0x2000) || cp >= 0x3000)
			flags |= FOLD_NONLATIN;
	}
	return flags;
}
