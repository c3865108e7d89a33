/*
 * csv: a streaming reader for the CSV files of Excel and of the ENTs, and
 * the field quoting of the CSV entpress writes.  See csv.h.
 *
 * Bytes come from a pending buffer first, then from the file.  The
 * pending buffer holds the header line read ahead to decide the
 * delimiter, and the lines to read again after a quote that was never
 * closed: such a quote swallows everything up to the end of the file, so
 * the reader reports it at the line where it opened and starts again on
 * the next line, instead of losing the rest of the file.  Line ends are
 * normalised on the way in (CRLF and lone CR become LF), so the parser
 * and the line count see one kind.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credentials.h"
#include "csv.h"
#include "diag.h"
#include "mem.h"
#include "outw.h"
#include "utf8.h"

enum csv_src {
	SRC_NONE = 0,
	SRC_PEND,
	SRC_FILE
};

static int	 raw_getc(struct csv *, enum csv_src *);
static void	 raw_ungetc(struct csv *, int, enum csv_src);
static int	 csv_byte(struct csv *);
static void	 csv_sniff(struct csv *);
static void	 field_begin(struct csv *, unsigned int, unsigned int);
static void	 field_end(struct csv *);
static int	 csv_record(struct csv *);
static int	 record_blank(const struct csv *);
static void	 bad(const struct csv *, unsigned int, unsigned int,
		    const char *);

/* One byte of input, pending bytes first; EOF at the end of both. */
static int
raw_getc(struct csv *c, enum csv_src *src)
{
	int	 ch;

	if (c->pendoff < c->pend.len) {
		*src = SRC_PEND;
		return (unsigned char)c->pend.p[c->pendoff++];
	}
	*src = SRC_NONE;
	if (c->eof)
		return EOF;
	if ((ch = getc(c->fp)) == EOF) {
		if (ferror(c->fp))
			c->err = errno != 0 ? errno : EIO;
		c->eof = 1;
		return EOF;
	}
	*src = SRC_FILE;
	return ch;
}

static void
raw_ungetc(struct csv *c, int ch, enum csv_src src)
{
	if (src == SRC_PEND)
		c->pendoff--;
	else if (src == SRC_FILE)
		ungetc(ch, c->fp);
}

/*
 * The next byte with line ends normalised to LF, counted in line and col
 * and kept in raw, the record as read, for the recovery after a quote
 * that never closes.
 */
static int
csv_byte(struct csv *c)
{
	enum csv_src	 src, nsrc;
	int		 ch, next;

	ch = raw_getc(c, &src);
	if (ch == '\r') {
		next = raw_getc(c, &nsrc);
		if (next != '\n' && next != EOF)
			raw_ungetc(c, next, nsrc);
		ch = '\n';
	}
	if (ch == EOF)
		return EOF;
	buf_addc(&c->raw, ch);
	if (ch == '\n') {
		c->line++;
		c->col = 1;
	} else
		c->col++;
	return ch;
}

/*
 * Read the header line ahead into the pending buffer and decide the
 * delimiter: the ENTs export with `;` (French Excel) or `,`, and the
 * header, made of plain column names, says which one by itself.  A
 * header with neither (one column) gets `;`.  The byte order mark Excel
 * puts before UTF-8 is dropped here, once.
 */
static void
csv_sniff(struct csv *c)
{
	size_t	 semi = 0, comma = 0;
	int	 ch, quoted = 0;

	while ((ch = getc(c->fp)) != EOF) {
		buf_addc(&c->pend, ch);
		if (c->pend.len == 3 &&
		    memcmp(c->pend.p, "\xEF\xBB\xBF", 3) == 0) {
			buf_reset(&c->pend);
			continue;
		}
		if (ch == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (ch == '\n' || ch == '\r')
			break;
		else if (ch == ';')
			semi++;
		else if (ch == ',')
			comma++;
	}
	if (ch == EOF && ferror(c->fp))
		c->err = errno != 0 ? errno : EIO;
	c->delim = comma > semi ? ',' : ';';
}

static void
field_begin(struct csv *c, unsigned int line, unsigned int col)
{
	if (c->nf == c->capf) {
		c->capf = c->capf == 0 ? 16 : c->capf * 2;
		c->f = xreallocarray(c->f, c->capf, sizeof(*c->f));
	}
	c->f[c->nf].off = c->rec.len;
	c->f[c->nf].len = 0;
	c->f[c->nf].line = line;
	c->f[c->nf].col = col;
	c->nf++;
}

static void
field_end(struct csv *c)
{
	struct csv_field	*f = &c->f[c->nf - 1];

	f->len = c->rec.len - f->off;
	buf_addc(&c->rec, '\0');
}

static void
bad(const struct csv *c, unsigned int line, unsigned int col, const char *why)
{
	struct diag_pos	 pos = { c->name, line, col };

	diag(DIAG_BAD_CSV, &pos, "%s", why);
}

/*
 * Parse one record.  Returns 1 for a record, 0 at the end of the input,
 * -1 for a malformed record (diagnosed and skipped: call again), -2 on a
 * read error (diagnosed).
 */
static int
csv_record(struct csv *c)
{
	enum { F_START, F_PLAIN, F_QUOTED, F_QUOTE } st = F_START;
	unsigned int	 line, col, nul_line = 0, nul_col = 0;
	const char	*nl;
	size_t		 i, rest;
	int		 ch;

	buf_reset(&c->rec);
	buf_reset(&c->raw);
	c->nf = 0;
	c->recline = c->line;
	for (;;) {
		line = c->line;
		col = c->col;
		ch = csv_byte(c);
		switch (st) {
		case F_START:
			if (ch == EOF && c->nf == 0) {
				if (c->err == 0)
					return 0;
				diag_sys(DIAG_SYS_READ, c->name, "%s",
				    strerror(c->err));
				return -2;
			}
			field_begin(c, line, col);
			if (ch == '"') {
				st = F_QUOTED;
				continue;
			}
			st = F_PLAIN;
			/* FALLTHROUGH */
		case F_PLAIN:
			/* A quote inside an unquoted field is kept as is. */
			if (ch == c->delim) {
				field_end(c);
				st = F_START;
			} else if (ch == '\n' || ch == EOF) {
				field_end(c);
				goto done;
			} else if (ch == '\0') {
				if (nul_line == 0)
					nul_line = line, nul_col = col;
			} else
				buf_addc(&c->rec, ch);
			continue;
		case F_QUOTED:
			if (ch == '"') {
				st = F_QUOTE;
				continue;
			}
			if (ch != EOF) {
				if (ch == '\0') {
					if (nul_line == 0)
						nul_line = line, nul_col = col;
				} else
					buf_addc(&c->rec, ch);
				continue;
			}
			/*
			 * The quote swallowed the rest of the file: most
			 * likely a stray quote on its first line.  Skip that
			 * line only and read the others again.
			 */
			bad(c, c->f[c->nf - 1].line, c->f[c->nf - 1].col,
			    "quote never closed");
			nl = memchr(c->raw.p, '\n', c->raw.len);
			if (nl != NULL) {
				rest = c->raw.len - (size_t)(nl + 1 - c->raw.p);
				buf_reset(&c->pend);
				buf_add(&c->pend, nl + 1, rest);
				c->pendoff = 0;
				c->line = c->recline + 1;
				c->col = 1;
			}
			return -1;
		case F_QUOTE:
			if (ch == '"') {
				buf_addc(&c->rec, '"');
				st = F_QUOTED;
			} else if (ch == c->delim) {
				field_end(c);
				st = F_START;
			} else if (ch == '\n' || ch == EOF) {
				field_end(c);
				goto done;
			} else {
				bad(c, line, col, "text after a closing quote");
				while (ch != '\n' && ch != EOF)
					ch = csv_byte(c);
				return -1;
			}
			continue;
		}
	}
done:
	if (nul_line != 0) {
		bad(c, nul_line, nul_col, "NUL byte");
		return -1;
	}
	for (i = 0; i < c->nf; i++)
		if (!utf8_valid(c->rec.p + c->f[i].off, c->f[i].len)) {
			bad(c, c->f[i].line, c->f[i].col,
			    "invalid UTF-8 (the file must be saved as UTF-8)");
			return -1;
		}
	return 1;
}

/* Excel pads with lines of delimiters only: those are no records. */
static int
record_blank(const struct csv *c)
{
	size_t	 i;

	for (i = 0; i < c->nf; i++)
		if (c->f[i].len > 0)
			return 0;
	return 1;
}

/*
 * Start reading fp, named name in messages; the header is read and the
 * delimiter decided.  Returns 0; a file without a usable header line has
 * no columns, which the caller reports with the names it expected.
 */
int
csv_open_fp(struct csv *c, FILE *fp, const char *name)
{
	struct buf	 k;
	size_t		 i;

	memset(c, 0, sizeof(*c));
	c->fp = fp;
	c->name = xstrdup(name);
	c->line = 1;
	c->col = 1;
	/* The ENT export has codes in clear: wiped as they move. */
	buf_init_secret(&c->pend);
	buf_init_secret(&c->rec);
	buf_init_secret(&c->raw);
	csv_sniff(c);
	if (csv_record(c) != 1)
		return 0;
	buf_init(&k);
	c->hdr = xcalloc(c->nf, sizeof(*c->hdr));
	for (i = 0; i < c->nf; i++) {
		csv_key(&k, c->rec.p + c->f[i].off);
		c->hdr[i] = xstrndup(k.p, k.len);
	}
	c->nhdr = c->nf;
	buf_free(&k);
	return 0;
}

/* Open path and read its header; -1 (diagnosed) if it cannot be opened. */
int
csv_open(struct csv *c, const char *path)
{
	FILE	*fp;

	if ((fp = fopen(path, "rbe")) == NULL) {
		memset(c, 0, sizeof(*c));
		diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
		return -1;
	}
	csv_open_fp(c, fp, path);
	c->own = 1;
	return 0;
}

/*
 * The next record after the header.  Returns 1 when there is one, 0 at
 * the end, -1 after a read error (diagnosed).  Malformed and blank
 * records are skipped here, the malformed ones with a message.
 */
int
csv_next(struct csv *c)
{
	int	 r;

	for (;;) {
		if ((r = csv_record(c)) == -1)
			continue;
		if (r == 1 && record_blank(c))
			continue;
		return r == -2 ? -1 : r;
	}
}

size_t
csv_nfields(const struct csv *c)
{
	return c->nf;
}

/* Field i of the current record, "" when the record is shorter. */
const char *
csv_get(const struct csv *c, int i)
{
	if (i < 0 || (size_t)i >= c->nf)
		return "";
	return c->rec.p + c->f[i].off;
}

/*
 * Field i without the spaces and tabs around it (Excel and hand editing
 * leave them), cut in place in the record.
 */
const char *
csv_value(struct csv *c, int i)
{
	char	*s, *e;

	if (i < 0 || (size_t)i >= c->nf)
		return "";
	s = c->rec.p + c->f[i].off;
	e = s + c->f[i].len;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	return s;
}

/* Where field i of the current record is; the record's line if none. */
void
csv_pos(const struct csv *c, int i, struct diag_pos *pos)
{
	pos->file = c->name;
	if (i >= 0 && (size_t)i < c->nf) {
		pos->line = c->f[i].line;
		pos->col = c->f[i].col;
	} else {
		pos->line = c->recline;
		pos->col = 0;
	}
}

/*
 * The column of the first of names (NULL-terminated) the header has,
 * or -1.  Names compare on their csv_key.
 */
int
csv_column(const struct csv *c, const char *const *names)
{
	struct buf	 k;
	size_t		 i;
	int		 col = -1;

	buf_init(&k);
	for (; *names != NULL && col == -1; names++) {
		csv_key(&k, *names);
		for (i = 0; i < c->nhdr; i++)
			if (strcmp(c->hdr[i], k.p) == 0) {
				col = (int)i;
				break;
			}
	}
	buf_free(&k);
	return col;
}

/*
 * Close and wipe: the record buffers may have held activation codes.
 */
void
csv_close(struct csv *c)
{
	size_t	 i;

	if (c->own && c->fp != NULL)
		fclose(c->fp);
	if (c->rec.p != NULL)
		cred_wipe(c->rec.p, c->rec.cap);
	if (c->raw.p != NULL)
		cred_wipe(c->raw.p, c->raw.cap);
	if (c->pend.p != NULL)
		cred_wipe(c->pend.p, c->pend.cap);
	buf_free(&c->rec);
	buf_free(&c->raw);
	buf_free(&c->pend);
	for (i = 0; i < c->nhdr; i++)
		free(c->hdr[i]);
	free(c->hdr);
	free(c->f);
	free(c->name);
	memset(c, 0, sizeof(*c));
}

/*
 * The folded form of a column name: accents folded, lower case, only
 * letters and digits kept.  "Code d'activation", "code_d_activation"
 * and "CODE D’ACTIVATION" all become "codedactivation", "Prénom"
 * "prenom".
 */
void
csv_key(struct buf *out, const char *name)
{
	struct buf	 f;
	size_t		 i;

	buf_init(&f);
	utf8_fold(&f, name, FOLD_LOWER);
	buf_reset(out);
	buf_grow(out, f.len);
	for (i = 0; i < f.len; i++)
		if ((f.p[i] >= 'a' && f.p[i] <= 'z') ||
		    (f.p[i] >= '0' && f.p[i] <= '9'))
			buf_addc(out, f.p[i]);
	buf_free(&f);
}

/* --- writing -------------------------------------------------------- */

/* Would a spreadsheet take this field for a formula? */
int
csv_is_formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

/*
 * One field, quoted when it must be: the delimiter, a quote or a line
 * break inside, or a space at either end (which Excel would trim).
 */
void
csv_write_field(struct outw *w, const char *s, size_t len, char delim)
{
	const char	*p, *e = s + len, *q;
	int		 quote = 0;

	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		quote = 1;
	for (p = s; p < e && !quote; p++)
		if (*p == delim || *p == '"' || *p == '\r' || *p == '\n')
			quote = 1;
	if (!quote) {
		outw_write(w, s, len);
		return;
	}
	outw_putc(w, '"');
	for (p = s; p < e; p = q + 1) {
		if ((q = memchr(p, '"', (size_t)(e - p))) == NULL) {
			outw_write(w, p, (size_t)(e - p));
			break;
		}
		outw_write(w, p, (size_t)(q + 1 - p));
		outw_putc(w, '"');
	}
	outw_putc(w, '"');
}
