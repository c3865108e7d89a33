/*
 * diag: the one way entpress talks about its input.
 *
 * Every message has a code in enum diag_code; the band the code sits in
 * (between the DIAG_WARNING, DIAG_ERROR and DIAG_SYSERR sentinels) gives
 * its level, so callers never pass a level and cannot get one wrong.  The
 * text of each message lives in one table in diag.c, which is also what
 * the DIAGNOSTICS section of entpress.1 lists.  Messages are printed as
 *
 *	entpress: FILE:LINE:COL: LEVEL: message: detail
 *
 * and the worst level seen becomes the exit status (0 ok, 1 warnings,
 * 2 input errors, 3 system errors).  A message never carries a code or
 * a password: callers pass ids and logins only.
 */
#ifndef ENTPRESS_DIAG_H
#define ENTPRESS_DIAG_H

#include <stdarg.h>
#include <stdio.h>

enum diag_level {
	LEVEL_OK = 0,
	LEVEL_WARNING = 1,
	LEVEL_ERROR = 2,
	LEVEL_SYSERR = 3
};

enum diag_code {
	DIAG_OK = 0,

	DIAG_WARNING,		/* ===== start of warnings ===== */
	DIAG_DUP_RECORD,	/* duplicate record id, the later one wins */
	DIAG_MODIFY_UNKNOWN,	/* modification of an unknown id, treated as an addition */
	DIAG_DELETE_UNKNOWN,	/* deletion of an unknown id, ignored */
	DIAG_BAD_OPERATION,	/* modification operation is not replace, applied as replace */
	DIAG_ID_MISMATCH,	/* jointure differs from the record id, using the id */
	DIAG_REL_DANGLING,	/* relative link to a person who is not in the export, dropping it */
	DIAG_REL_BADFIELD,	/* malformed relative link, dropping it */
	DIAG_SCHOOL_UNKNOWN,	/* school not in the export, keeping the jointure as its name */
	DIAG_NO_CLASS,		/* student without a class */
	DIAG_BAD_SUBFIELD,	/* malformed $ value, ignored */
	DIAG_EMPTY_NAME,	/* person without a last or first name */
	DIAG_DUP_PP,		/* head teacher listed twice for one class, once kept */
	DIAG_FILE_NAME,		/* file name does not follow the AAF pattern, read as Complet */
	DIAG_NOT_AAF_FILE,	/* archive member is not an AAF XML file, ignored */
	DIAG_DELTA_NO_COMPLET,	/* Delta files without a Complet export */
	DIAG_OLD_EXPORT,	/* older than the newest Complet export, ignored */
	DIAG_NOT_INPUT,		/* not an AAF, archive or CSV file, ignored */
	DIAG_MANUAL_FIELD,	/* manual account field missing or bad, using a default */
	DIAG_LOGIN_NONLATIN,	/* name has no Latin letters, login built from another source */
	DIAG_GLYPH_TRANSLIT,	/* character not in the fonts, transliterated */
	DIAG_GLYPH_MISSING,	/* character not in the fonts or transliterable, shown as ? */
	DIAG_ADDR_TOO_LONG,	/* address does not fit the window, letter goes via the class */
	DIAG_ADDR_MISSING,	/* no postal address, letter goes via the class */
	DIAG_HOUSEHOLD_VIA_CLASS, /* household without a printed child class */
	DIAG_ACCOUNT_UNKNOWN,	/* ENT account export names an unknown login */
	DIAG_TEST_MODE,		/* test mode: codes are predictable */
	DIAG_TEXT_OVERFLOW,	/* text does not fit its frame */
	DIAG_NO_SCHOOL_INFO,	/* school not in the school file: no ENT address */
	DIAG_NOTHING,		/* no letter to print */
	DIAG_STALE_TMP,		/* an earlier run was interrupted here */
	DIAG_REISSUE_ACTIVE,	/* account already activated, reissued as asked */
	DIAG_VERIFY_UNCHECKED,	/* output named in the manifest not found, not checked */

	DIAG_ERROR,		/* ===== start of errors ===== */
	DIAG_XML,		/* malformed XML, rest of the file skipped */
	DIAG_XML_ENCODING,	/* unsupported or wrong encoding, file skipped */
	DIAG_XML_ENTITY,	/* entity reference not allowed, record skipped */
	DIAG_NOT_AAF,		/* not an AAF export (root is not ficAlimMENESR), file skipped */
	DIAG_NO_ID,		/* record without id, skipped */
	DIAG_NO_CATEGORY,	/* record without category, skipped */
	DIAG_BAD_CATEGORY,	/* unknown category, record skipped */
	DIAG_BAD_RECORD,	/* malformed record structure, skipped */
	DIAG_BAD_ARCHIVE,	/* unreadable archive, skipped */
	DIAG_NO_INPUT,		/* no such input file, skipped */
	DIAG_BAD_CSV,		/* malformed CSV line, skipped */
	DIAG_BAD_LAYOUT,	/* invalid layout file */
	DIAG_BAD_SCHOOLFILE,	/* invalid school file */
	DIAG_BAD_ARG,		/* bad command-line argument */
	DIAG_BAD_LEDGER,	/* ledger unusable */
	DIAG_LOGIN_UNKNOWN,	/* no such login in the ledger */
	DIAG_VERIFY_MISMATCH,	/* archived run does not match its manifest */
	DIAG_BAD_MANIFEST,	/* not an entpress manifest */
	DIAG_NOT_IN_EXPORT,	/* account not in the export, nothing reissued */
	DIAG_NO_EXPORT,		/* export of the run not found, nothing reissued */
	DIAG_NEED_SCHOOL_INFO,	/* school not in the school file, nothing issued */

	DIAG_SYSERR,		/* ===== start of system errors ===== */
	DIAG_SYS_OPEN,		/* cannot open file */
	DIAG_SYS_READ,		/* read error */
	DIAG_SYS_WRITE,		/* write error */
	DIAG_SYS_NOMEM,		/* out of memory */
	DIAG_SYS_SQLITE,	/* database error */
	DIAG_SYS_CRYPTO,	/* cryptographic library failure */
	DIAG_SYS_ICONV,		/* character conversion unavailable */

	DIAG__MAX
};

/* Where a message points; file may be NULL, line and col 0 for none. */
struct diag_pos {
	const char	*file;
	unsigned int	 line;
	unsigned int	 col;
};

/*
 * A captured diagnostic: its code, where (NULL for nowhere) and the
 * detail as it would have been printed; diag(code, pos, "%s", detail)
 * issues it.  The pointers are valid during the call only.
 */
typedef void	 diag_capture_fn(void *, enum diag_code,
		    const struct diag_pos *, const char *);

void		 diag_init(const char *progname);
void		 diag_capture(diag_capture_fn *, void *);
void		 diag_set_stream(FILE *);
void		 diag_set_quiet_below(enum diag_level);
void		 diag(enum diag_code, const struct diag_pos *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 diagv(enum diag_code, const struct diag_pos *, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
void		 diag_sys(enum diag_code, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
enum diag_level	 diag_level_of(enum diag_code);
const char	*diag_text(enum diag_code);
const char	*diag_level_name(enum diag_level);
enum diag_level	 diag_worst(void);
unsigned long	 diag_count(enum diag_level);
void		 diag_reset(void);
void		 diag_raise(enum diag_level);
_Noreturn void	 diag_fatal_nomem(void);

#endif /* ENTPRESS_DIAG_H */
