/*
 * csv: reading the CSV files administrators bring, and the quoting rules
 * of the CSV files entpress writes.
 *
 * Two kinds of CSV come in: the manual accounts (manual.c) and the ENT's
 * own account export (accounts import).  Both were last touched by Excel
 * or by an ENT whose settings nobody knows, so the reader takes what
 * those produce: an optional UTF-8 byte order mark, `;` or `,` as the
 * delimiter (decided once, from the header line), RFC 4180 quoting with
 * doubled quotes and line breaks inside quotes, CRLF, LF or lone CR line
 * ends.  Columns are found by header name, compared on a folded key
 * (csv_key) so that `Code d'activation`, `code_d_activation` and
 * `CODE D’ACTIVATION` are one name and a column can move.
 *
 * The reader streams: one record is held at a time.  A malformed record
 * (a quote never closed, text after a closing quote, a NUL byte, invalid
 * UTF-8) is reported as DIAG_BAD_CSV at its FILE:LINE:COL and skipped,
 * and reading goes on with the next line, so one bad line never costs
 * the rest of the file.  Input is UTF-8; there is no guessing of CP1252.
 *
 * The buffers of a reader may hold activation codes (the ENT export has
 * them in clear): csv_close() wipes them.
 */
#ifndef ENTPRESS_CSV_H
#define ENTPRESS_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "mem.h"

struct outw;

/* Where one field of the current record starts. */
struct csv_field {
	size_t		 off;		/* into rec.p, NUL-terminated there */
	size_t		 len;		/* bytes */
	unsigned int	 line;		/* 1-based physical line */
	unsigned int	 col;		/* 1-based byte column */
};

struct csv {
	FILE			*fp;
	int			 own;		/* fp opened by csv_open */
	char			*name;		/* for messages */
	char			 delim;		/* ';' or ',' */
	int			 eof;		/* fp has no more bytes */
	int			 err;		/* errno of a read error, or 0 */
	struct buf		 pend;		/* bytes to read before fp */
	size_t			 pendoff;	/* next byte of pend */
	unsigned int		 line;		/* line of the next byte */
	unsigned int		 col;		/* column of the next byte */
	unsigned int		 recline;	/* first line of the record */
	struct buf		 rec;		/* the record's fields */
	struct buf		 raw;		/* the record as read (recovery) */
	struct csv_field	*f;
	size_t			 nf, capf;
	char			**hdr;		/* header names, csv_key form */
	size_t			 nhdr;
};

int		 csv_open(struct csv *, const char *path);
int		 csv_open_fp(struct csv *, FILE *, const char *name);
int		 csv_next(struct csv *);
size_t		 csv_nfields(const struct csv *);
const char	*csv_get(const struct csv *, int);
int		 csv_column(const struct csv *, const char *const *);
void		 csv_pos(const struct csv *, int, struct diag_pos *);
void		 csv_close(struct csv *);
const char	*csv_value(struct csv *, int);
void		 csv_key(struct buf *, const char *);

/*
 * Writing: a field Excel would run as a formula (it starts with = + - @,
 * a tab or a CR) needs a leading apostrophe (OWASP's advice on CSV
 * injection); a field with the delimiter, a quote, a line break, or a
 * space at either end is quoted, its quotes doubled.
 */
int		 csv_is_formula(const char *);
void		 csv_write_field(struct outw *, const char *, size_t, char delim);

#endif /* ENTPRESS_CSV_H */
