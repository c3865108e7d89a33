/*
 * export: the CSV and LDIF writers.  See export.h for the formats and
 * for who wipes the codes.
 *
 * The CSV is written field by field: neutralised (a leading apostrophe
 * before a formula), converted (UTF-8 as is, or CP1252 one character at
 * a time through iconv, so that a character CP1252 lacks is caught where
 * it is and replaced by its folded spelling or ?), then quoted.  The
 * LDIF hashes every code first, in parallel, then writes each entry,
 * base64-encoding any value RFC 2849 does not allow as a plain string and
 * folding lines at 76 columns.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "credentials.h"
#include "csv.h"
#include "diag.h"
#include "directory.h"
#include "export.h"
#include "mem.h"
#include "outw.h"
#include "utf8.h"

#define LDIF_COLS	76	/* longest line, leading space included */

/* The Profil column, indexed by enum dir_profile. */
static const char *const profile_words[PROFILE__MAX] = {
	"",		/* PROFILE_NONE */
	"Élève",	/* PROFILE_STUDENT */
	"Enseignant",	/* PROFILE_TEACHER */
	"Personnel",	/* PROFILE_STAFF */
	"Parent",	/* PROFILE_PARENT */
	"Invité",	/* PROFILE_GUEST */
};

/* The state of one CSV being written. */
struct csvw {
	struct outw	*w;
	iconv_t		 cd;		/* to CP1252, or -1: UTF-8 */
	struct buf	 val;		/* the field, neutralised */
	struct buf	 enc;		/* the field, converted */
	unsigned int	 translit;	/* this row: characters folded */
	unsigned int	 missing;	/* this row: written as ? */
	uint32_t	 first_cp;	/* this row: the first of them */
	const char	*first_as;	/* and what it became */
};

static void	 csvw_encode(struct csvw *, const char *, size_t);
static void	 csvw_field(struct csvw *, const char *, int, int);
static void	 csvw_wipe(struct csvw *);
static int	 ldif_safe(const char *, size_t);
static void	 ldif_base64(struct buf *, const unsigned char *, size_t);
static void	 ldif_line(struct outw *, const char *, size_t);
static void	 ldif_attr(struct outw *, struct buf *, const char *,
		    const char *);
static void	 ldif_dn_value(struct buf *, const char *);
static int	 mail_ascii(const char *);

/* The --csv-encoding values: utf8bom, cp1252.  0, or -1 if unknown. */
int
export_csv_encoding(const char *s, enum export_enc *enc)
{
	if (strcasecmp(s, "utf8bom") == 0)
		*enc = EXPORT_UTF8BOM;
	else if (strcasecmp(s, "cp1252") == 0)
		*enc = EXPORT_CP1252;
	else
		return -1;
	return 0;
}

const char *
export_profile_word(enum dir_profile p)
{
	return profile_words[p];
}

/*
 * Convert one field to CP1252 into cw->enc.  iconv takes one character
 * at a time: on a whole field it would stop at the first character
 * CP1252 lacks, and this way the replacement is ours and known.
 */
static void
csvw_encode(struct csvw *cw, const char *s, size_t len)
{
	char		 u[4], o[8], *ip, *op;
	const char	*f;
	size_t		 i, adv, il, ol;
	uint32_t	 cp;

	buf_reset(&cw->enc);
	for (i = 0; i < len; i += adv) {
		cp = utf8_decode(s + i, len - i, &adv);
		if (cp < 0x80) {
			buf_addc(&cw->enc, (int)cp);
			continue;
		}
		if (cp != UTF8_INVALID) {
			il = utf8_encode(cp, u);
			ol = sizeof(o);
			ip = u;
			op = o;
			iconv(cw->cd, NULL, NULL, NULL, NULL);
			if (iconv(cw->cd, &ip, &il, &op, &ol) != (size_t)-1 &&
			    il == 0 && ol < sizeof(o)) {
				buf_add(&cw->enc, o, sizeof(o) - ol);
				continue;
			}
		}
		f = cp == UTF8_INVALID ? NULL : utf8_fold_char(cp);
		if (f == NULL || *f == '\0') {
			f = "?";
			cw->missing++;
		} else
			cw->translit++;
		if (cw->translit + cw->missing == 1) {
			cw->first_cp = cp;
			cw->first_as = f;
		}
		buf_adds(&cw->enc, f);
	}
}

/*
 * One field and what follows it (';', or CRLF after the last).  A field
 * that a spreadsheet would take for a formula gets an apostrophe first:
 * Excel shows '=1+1 as the text =1+1, and a name cannot run code.
 */
static void
csvw_field(struct csvw *cw, const char *s, int neutralise, int last)
{
	if (s == NULL)
		s = "";
	buf_reset(&cw->val);
	if (neutralise && csv_is_formula(s))
		buf_addc(&cw->val, '\'');
	buf_adds(&cw->val, s);
	if (cw->cd != (iconv_t)-1) {
		csvw_encode(cw, cw->val.p, cw->val.len);
		csv_write_field(cw->w, cw->enc.p, cw->enc.len, ';');
	} else
		csv_write_field(cw->w, cw->val.p, cw->val.len, ';');
	outw_write(cw->w, last ? "\r\n" : ";", last ? 2 : 1);
}

/*
 * Every copy of a code this writer made: the field buffers and the
 * output buffer (outw keeps its bytes after writing them out).
 */
static void
csvw_wipe(struct csvw *cw)
{
	if (cw->val.p != NULL)
		cred_wipe(cw->val.p, cw->val.cap);
	if (cw->enc.p != NULL)
		cred_wipe(cw->enc.p, cw->enc.cap);
	if (cw->w->buf != NULL)
		cred_wipe(cw->w->buf, OUTW_BUFSZ);
	buf_free(&cw->val);
	buf_free(&cw->enc);
	if (cw->cd != (iconv_t)-1)
		iconv_close(cw->cd);
	cw->cd = (iconv_t)-1;
}

/*
 * Write the CSV of the run into w, opened by the caller (outw_open), and
 * finish it (outw_finish): the file is complete and synced but keeps its
 * temporary name until the caller's outw_publish(), so that a run whose
 * ledger commit fails leaves no CSV of codes that were never issued.
 * Returns 0, or -1 after a diagnostic, with w aborted.
 */
int
export_csv_write(struct outw *w, const struct export_row *rows, size_t n,
    enum export_enc enc)
{
	struct csvw		 cw;
	struct diag_pos		 pos;
	const struct export_row	*r;
	size_t			 i;

	memset(&cw, 0, sizeof(cw));
	cw.w = w;
	cw.cd = (iconv_t)-1;
	if (enc == EXPORT_CP1252 &&
	    (cw.cd = iconv_open("CP1252", "UTF-8")) == (iconv_t)-1) {
		diag_sys(DIAG_SYS_ICONV, w->path, "UTF-8 to CP1252: %s",
		    strerror(errno));
		outw_abort(w);
		return -1;
	}
	buf_init_secret(&cw.val);
	buf_init_secret(&cw.enc);

	if (enc == EXPORT_UTF8BOM) {
		outw_write(w, "\xEF\xBB\xBF", 3);
		outw_write(w, EXPORT_CSV_HEADER, sizeof(EXPORT_CSV_HEADER) - 1);
	} else {
		csvw_encode(&cw, EXPORT_CSV_HEADER,
		    sizeof(EXPORT_CSV_HEADER) - 1);
		outw_write(w, cw.enc.p, cw.enc.len);
	}
	outw_write(w, "\r\n", 2);

	for (i = 0; i < n; i++) {
		r = &rows[i];
		/* Codes come from an alphabet without formula characters. */
		assert(r->code == NULL ||
		    strspn(r->code, CRED_ALPHABET) == strlen(r->code));
		cw.translit = cw.missing = 0;
		csvw_field(&cw, r->id, 1, 0);
		csvw_field(&cw, profile_words[r->profile], 1, 0);
		csvw_field(&cw, r->last_name, 1, 0);
		csvw_field(&cw, r->first_name, 1, 0);
		csvw_field(&cw, r->classes, 1, 0);
		csvw_field(&cw, r->login, 1, 0);
		csvw_field(&cw, r->code, 0, 1);
		if (cw.translit + cw.missing == 0)
			continue;
		/* Once per account, naming it, never its code. */
		pos.file = w->path;
		pos.line = (unsigned int)(i + 2);
		pos.col = 0;
		diag(cw.missing > 0 ? DIAG_GLYPH_MISSING : DIAG_GLYPH_TRANSLIT,
		    &pos, "CP1252 CSV, id %s: U+%04X written as %s%s",
		    r->id != NULL ? r->id : "", (unsigned int)cw.first_cp,
		    cw.first_as, cw.translit + cw.missing > 1 ?
		    ", and others" : "");
	}
	/* Out of the buffer first, so that wiping it loses nothing. */
	outw_flush(w);
	csvw_wipe(&cw);
	return outw_finish(w);
}

/*
 * The CSV of the run at path ("-": standard output), written and
 * published at once.  Returns 0, or -1 after a diagnostic, with no file
 * left at path.
 */
int
export_csv(const char *path, const struct export_row *rows, size_t n,
    enum export_enc enc)
{
	struct outw	 w;

	if (outw_open(&w, path) != 0)
		return -1;
	if (export_csv_write(&w, rows, n, enc) != 0)
		return -1;
	return outw_publish(&w);
}

/* --- LDIF ----------------------------------------------------------- */

void
export_ldif_opts_init(struct export_ldif_opts *o)
{
	memset(o, 0, sizeof(*o));
}

/*
 * RFC 2849 SAFE-STRING: ASCII without NUL, CR or LF, not starting with
 * a space, colon or less-than.  A trailing space is allowed by the
 * grammar but lost by many readers: base64 too.
 */
static int
ldif_safe(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0)
		return 1;
	if (s[0] == ' ' || s[0] == ':' || s[0] == '<' || s[len - 1] == ' ')
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] > 127 || s[i] == '\0' ||
		    s[i] == '\n' || s[i] == '\r')
			return 0;
	return 1;
}

static void
ldif_base64(struct buf *out, const unsigned char *s, size_t len)
{
	static const char	 b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t		 v;
	size_t			 i;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		buf_addc(out, b64[v >> 18]);
		buf_addc(out, b64[(v >> 12) & 63]);
		buf_addc(out, b64[(v >> 6) & 63]);
		buf_addc(out, b64[v & 63]);
	}
	if (len - i == 1) {
		v = (uint32_t)s[i] << 16;
		buf_addc(out, b64[v >> 18]);
		buf_addc(out, b64[(v >> 12) & 63]);
		buf_adds(out, "==");
	} else if (len - i == 2) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
		buf_addc(out, b64[v >> 18]);
		buf_addc(out, b64[(v >> 12) & 63]);
		buf_addc(out, b64[(v >> 6) & 63]);
		buf_addc(out, '=');
	}
}

/*
 * One logical line, folded: at most 76 bytes per physical line, each
 * continuation starting with one space.  Everything here is ASCII (a
 * value that is not went through base64), so a fold never splits a
 * character.
 */
static void
ldif_line(struct outw *w, const char *s, size_t len)
{
	size_t	 k;

	k = len < LDIF_COLS ? len : LDIF_COLS;
	outw_write(w, s, k);
	for (s += k, len -= k; len > 0; s += k, len -= k) {
		k = len < LDIF_COLS - 1 ? len : LDIF_COLS - 1;
		outw_write(w, "\n ", 2);
		outw_write(w, s, k);
	}
	outw_putc(w, '\n');
}

/* "attr: value", or "attr:: base64" when the value is not safe. */
static void
ldif_attr(struct outw *w, struct buf *line, const char *attr, const char *v)
{
	size_t	 len = strlen(v);

	buf_reset(line);
	buf_adds(line, attr);
	if (ldif_safe(v, len)) {
		buf_adds(line, ": ");
		buf_add(line, v, len);
	} else {
		buf_adds(line, ":: ");
		ldif_base64(line, (const unsigned char *)v, len);
	}
	ldif_line(w, line->p, line->len);
}

/*
 * An RDN value with the RFC 4514 escapes.  Logins are [a-z0-9.] by
 * construction, so this never fires on ours, but the base and the login
 * are both inputs and a DN is no place to trust them.
 */
static void
ldif_dn_value(struct buf *out, const char *s)
{
	size_t	 i, len = strlen(s);

	for (i = 0; i < len; i++) {
		if (strchr("\"+,;<>\\", s[i]) != NULL ||
		    (i == 0 && (s[i] == ' ' || s[i] == '#')) ||
		    (i == len - 1 && s[i] == ' '))
			buf_addc(out, '\\');
		buf_addc(out, s[i]);
	}
}

/* mail is an IA5String in inetOrgPerson: printable ASCII only. */
static int
mail_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/*
 * Write the LDIF of the run into w, opened by the caller, and finish it
 * (outw_finish), leaving the publishing to the caller as
 * export_csv_write() does.  Returns 0, or -1 after a diagnostic, with w
 * aborted.  Hashing takes the time here: with the INTERACTIVE limits,
 * about 0.1 s and 64 MiB per code and core.
 */
int
export_ldif_write(struct outw *w, const struct export_row *rows, size_t n,
    const struct export_ldif_opts *o)
{
	struct export_ldif_opts	 def;
	struct buf		 line, v;
	struct diag_pos		 pos;
	const struct export_row	*r;
	char			(*hash)[CRED_HASH_LEN];
	char			**codes;
	const char		*base;
	size_t			 i, k, nc;

	if (o == NULL) {
		export_ldif_opts_init(&def);
		o = &def;
	}
	base = o->base != NULL ? o->base : EXPORT_LDIF_BASE;
	codes = xcalloc(n, sizeof(*codes));
	hash = xcalloc(n, sizeof(*hash));
	for (i = nc = 0; i < n; i++)
		if (rows[i].code != NULL)
			codes[nc++] = (char *)rows[i].code;
	if (nc > 0 && cred_hash_many(hash, codes, nc, &o->limits,
	    o->threads) != 0) {
		/* cred_hash_many said what failed. */
		cred_wipe(codes, n * sizeof(*codes));
		cred_wipe(hash, n * sizeof(*hash));
		free(codes);
		free(hash);
		outw_abort(w);
		return -1;
	}

	buf_init_secret(&line);
	buf_init_secret(&v);
	outw_puts(w, "version: 1\n");
	for (i = k = 0; i < n; i++) {
		r = &rows[i];
		assert(r->login != NULL && r->login[0] != '\0');
		outw_putc(w, '\n');

		buf_reset(&v);
		buf_adds(&v, "uid=");
		ldif_dn_value(&v, r->login);
		buf_printf(&v, ",%s", base);
		ldif_attr(w, &line, "dn", v.p);
		if (o->modify) {
			/* A reissue: the entry exists, only its code changes. */
			outw_puts(w, "changetype: modify\n"
			    "replace: userPassword\n");
			if (r->code != NULL) {
				buf_reset(&v);
				buf_printf(&v, "{ARGON2}%s", hash[k++]);
				ldif_attr(w, &line, "userPassword", v.p);
			}
			outw_puts(w, "-\n");
			continue;
		}
		outw_puts(w, "objectClass: top\n"
		    "objectClass: person\n"
		    "objectClass: organizationalPerson\n"
		    "objectClass: inetOrgPerson\n");
		ldif_attr(w, &line, "uid", r->login);

		/* cn and sn are required: the login stands in for no name. */
		buf_reset(&v);
		if (r->first_name != NULL && r->first_name[0] != '\0')
			buf_adds(&v, r->first_name);
		if (r->last_name != NULL && r->last_name[0] != '\0') {
			if (v.len > 0)
				buf_addc(&v, ' ');
			buf_adds(&v, r->last_name);
		}
		ldif_attr(w, &line, "cn", v.len > 0 ? v.p : r->login);
		ldif_attr(w, &line, "sn", r->last_name != NULL &&
		    r->last_name[0] != '\0' ? r->last_name : r->login);
		if (r->first_name != NULL && r->first_name[0] != '\0')
			ldif_attr(w, &line, "givenName", r->first_name);
		if (r->mail != NULL && r->mail[0] != '\0') {
			if (mail_ascii(r->mail))
				ldif_attr(w, &line, "mail", r->mail);
			else {
				pos.file = w->path;
				pos.line = 0;
				pos.col = 0;
				diag(DIAG_MANUAL_FIELD, &pos, "id %s: mail "
				    "address not ASCII, left out of the LDIF",
				    r->id != NULL ? r->id : r->login);
			}
		}
		if (r->code != NULL) {
			buf_reset(&v);
			buf_printf(&v, "{ARGON2}%s", hash[k++]);
			ldif_attr(w, &line, "userPassword", v.p);
		}
	}
	cred_wipe(codes, n * sizeof(*codes));
	cred_wipe(hash, n * sizeof(*hash));
	if (v.p != NULL)
		cred_wipe(v.p, v.cap);
	if (line.p != NULL)
		cred_wipe(line.p, line.cap);
	free(codes);
	free(hash);
	buf_free(&line);
	buf_free(&v);
	return outw_finish(w);
}

/*
 * The LDIF of the run at path, written and published at once.  Returns
 * 0, or -1 after a diagnostic, with no file left at path.  The path is
 * opened before the hashing, so a path that cannot be written fails
 * before minutes of work.
 */
int
export_ldif(const char *path, const struct export_row *rows, size_t n,
    const struct export_ldif_opts *o)
{
	struct outw	 w;

	if (outw_open(&w, path) != 0)
		return -1;
	if (export_ldif_write(&w, rows, n, o) != 0)
		return -1;
	return outw_publish(&w);
}
