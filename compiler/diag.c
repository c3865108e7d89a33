/*
 * diag: message table and printing for every diagnostic entpress emits.
 *
 * The table below is indexed by enum diag_code and must stay in the same
 * order; a static assertion on its size catches a missing row.  Levels
 * come from the band the code sits in.  The printer is deliberately
 * simple and unbuffered beyond stdio: diagnostics are rare, and they must
 * reach the terminal even when the run dies right after.
 *
 * A thread may capture its diagnostics instead (diag_capture): the AAF
 * reader parses files on worker threads whose messages must come out
 * in file order, between the ones the applying thread raises.  A
 * captured message is formatted where it was raised and nothing else
 * happens there; passed to diag() later, "%s" and the captured text
 * print, count and filter it exactly as it would have been then.
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "progress.h"

static const char *const diag_texts[DIAG__MAX] = {
	"ok",						/* DIAG_OK */

	"generic warning",				/* DIAG_WARNING */
	"duplicate record id, the later one wins",	/* DIAG_DUP_RECORD */
	"modification of an unknown id, treated as an addition",
	"deletion of an unknown id, ignored",		/* DIAG_DELETE_UNKNOWN */
	"modification operation is not replace, applied as replace",
	"jointure attribute differs from the record id, using the id",
	"relative link to a person who is not in the export, dropping it",
	"malformed relative link, dropping it",		/* DIAG_REL_BADFIELD */
	"school not in the export, using its jointure as name",
	"student without a class",			/* DIAG_NO_CLASS */
	"malformed $-separated value, ignored",		/* DIAG_BAD_SUBFIELD */
	"person without a last or first name",		/* DIAG_EMPTY_NAME */
	"head teacher listed twice for one class, kept once",
	"file name does not follow the AAF pattern, read as Complet",
	"archive member is not an AAF XML file, ignored",
	"Delta files without a Complet export",		/* DIAG_DELTA_NO_COMPLET */
	"older than the newest Complet export of the same prefix, ignored",
	"not an AAF, archive or CSV file, ignored",	/* DIAG_NOT_INPUT */
	"manual account field missing or invalid, using a default",
	"name has no Latin letters, login built from another source",
	"character not in the fonts, transliterated",	/* DIAG_GLYPH_TRANSLIT */
	"character cannot be printed, shown as ?",	/* DIAG_GLYPH_MISSING */
	"address does not fit the envelope window, letter goes via the class",
	"no postal address, letter goes via the class",	/* DIAG_ADDR_MISSING */
	"household has no child in a printed class batch",
	"ENT account export names a login not in the ledger, ignored",
	"test mode: activation codes are predictable, never hand them out",
	"text does not fit its frame",			/* DIAG_TEXT_OVERFLOW */
	"school not in the school file, its letters lack the ENT address, "
	    "contact and signature",			/* DIAG_NO_SCHOOL_INFO */
	"no letter to print",				/* DIAG_NOTHING */
	"an earlier run was interrupted and left a temporary file",
	"account already activated, reissued as asked",	/* DIAG_REISSUE_ACTIVE */
	"output named in the manifest not found, not checked",

	"generic error",				/* DIAG_ERROR */
	"malformed XML, rest of the file skipped",	/* DIAG_XML */
	"unsupported or wrong character encoding, rest of the file skipped",
	"entity reference not allowed, record skipped",	/* DIAG_XML_ENTITY */
	"not an AAF export, file skipped",		/* DIAG_NOT_AAF */
	"record without id, skipped",			/* DIAG_NO_ID */
	"record without category, skipped",		/* DIAG_NO_CATEGORY */
	"unknown category, record skipped",		/* DIAG_BAD_CATEGORY */
	"malformed record, skipped",			/* DIAG_BAD_RECORD */
	"unreadable archive, skipped",			/* DIAG_BAD_ARCHIVE */
	"no such input file or directory, skipped",	/* DIAG_NO_INPUT */
	"malformed CSV line, skipped",			/* DIAG_BAD_CSV */
	"invalid layout",				/* DIAG_BAD_LAYOUT */
	"invalid school file",				/* DIAG_BAD_SCHOOLFILE */
	"bad argument",					/* DIAG_BAD_ARG */
	"ledger unusable",				/* DIAG_BAD_LEDGER */
	"no such login in the ledger",			/* DIAG_LOGIN_UNKNOWN */
	"run does not match its manifest",		/* DIAG_VERIFY_MISMATCH */
	"not an entpress manifest",			/* DIAG_BAD_MANIFEST */
	"account not in the export, nothing reissued",	/* DIAG_NOT_IN_EXPORT */
	"export of the run not found, nothing reissued", /* DIAG_NO_EXPORT */
	"school not in the school file, nothing issued or written",

	"generic system error",				/* DIAG_SYSERR */
	"cannot open",					/* DIAG_SYS_OPEN */
	"read error",					/* DIAG_SYS_READ */
	"write error",					/* DIAG_SYS_WRITE */
	"out of memory",				/* DIAG_SYS_NOMEM */
	"database error",				/* DIAG_SYS_SQLITE */
	"cryptographic library failure",		/* DIAG_SYS_CRYPTO */
	"character conversion unavailable",		/* DIAG_SYS_ICONV */
};

_Static_assert(sizeof(diag_texts) / sizeof(diag_texts[0]) == DIAG__MAX,
    "one text per diagnostic code");

static const char *const level_names[] = {
	"OK", "WARNING", "ERROR", "SYSERR"
};

static const char	*diag_prog = "entpress";
static FILE		*diag_stream;
static enum diag_level	 diag_worst_level;
static enum diag_level	 diag_min_level = LEVEL_WARNING;
static unsigned long	 diag_counts[LEVEL_SYSERR + 1];
/*
 * Pages are written on a thread of their own (compose.c), and a write
 * error is reported from there while the composing thread may report a
 * warning: one lock keeps each line whole and the worst level exact (a
 * lost update could turn a full disk's exit status 3 into a 1).
 */
static pthread_mutex_t	 diag_mu = PTHREAD_MUTEX_INITIALIZER;

/* This thread's capture, or none: diagnostics are printed. */
static _Thread_local diag_capture_fn	*diag_cap_fn;
static _Thread_local void		*diag_cap_arg;

void
diag_init(const char *progname)
{
	diag_prog = progname;
	diag_stream = NULL;
	diag_reset();
}

/*
 * From now on, this thread's diagnostics go to fn (with arg), formatted
 * but neither printed nor counted; fn NULL prints them again.
 */
void
diag_capture(diag_capture_fn *fn, void *arg)
{
	diag_cap_fn = fn;
	diag_cap_arg = arg;
}

void
diag_set_stream(FILE *fp)
{
	diag_stream = fp;
}

/* Messages below this level are counted but not printed (-W). */
void
diag_set_quiet_below(enum diag_level lvl)
{
	diag_min_level = lvl;
}

enum diag_level
diag_level_of(enum diag_code code)
{
	if (code >= DIAG_SYSERR)
		return LEVEL_SYSERR;
	if (code >= DIAG_ERROR)
		return LEVEL_ERROR;
	if (code >= DIAG_WARNING)
		return LEVEL_WARNING;
	return LEVEL_OK;
}

const char *
diag_text(enum diag_code code)
{
	if ((int)code < 0 || code >= DIAG__MAX)
		abort();
	return diag_texts[code];
}

const char *
diag_level_name(enum diag_level lvl)
{
	return level_names[lvl];
}

/*
 * Write one diagnostic line.  The standard error is unbuffered, where
 * each fprintf() is a write(2) of its own: the line is put together
 * first and written at once, so a run with thousands of warnings does
 * not pay seven system calls a line (and a reader of the stream never
 * sees half a line).  A line longer than the buffer (a very long path)
 * is written in pieces, as before.
 */
static void
diag_put(FILE *fp, enum diag_level lvl, enum diag_code code,
    const struct diag_pos *pos, const char *detail)
{
	char	 line[2048];
	int	 n;

	if (pos != NULL && pos->file != NULL && pos->line > 0)
		n = snprintf(line, sizeof(line), "%s: %s:%u:%u: %s: %s%s%s\n",
		    diag_prog, pos->file, pos->line, pos->col,
		    level_names[lvl], diag_texts[code],
		    *detail != '\0' ? ": " : "", detail);
	else if (pos != NULL && pos->file != NULL)
		n = snprintf(line, sizeof(line), "%s: %s: %s: %s%s%s\n",
		    diag_prog, pos->file, level_names[lvl], diag_texts[code],
		    *detail != '\0' ? ": " : "", detail);
	else
		n = snprintf(line, sizeof(line), "%s: %s: %s%s%s\n",
		    diag_prog, level_names[lvl], diag_texts[code],
		    *detail != '\0' ? ": " : "", detail);
	if (n >= 0 && (size_t)n < sizeof(line))
		fwrite(line, 1, (size_t)n, fp);
	else {
		fprintf(fp, "%s: ", diag_prog);
		if (pos != NULL && pos->file != NULL) {
			fputs(pos->file, fp);
			if (pos->line > 0)
				fprintf(fp, ":%u:%u", pos->line, pos->col);
			fputs(": ", fp);
		}
		fprintf(fp, "%s: %s", level_names[lvl], diag_texts[code]);
		if (*detail != '\0')
			fprintf(fp, ": %s", detail);
		fputc('\n', fp);
	}
	fflush(fp);
}

void
diagv(enum diag_code code, const struct diag_pos *pos, const char *fmt,
    va_list ap)
{
	FILE		*fp = diag_stream != NULL ? diag_stream : stderr;
	enum diag_level	 lvl = diag_level_of(code);
	char		 detail[1024];

	if (diag_cap_fn != NULL) {
		detail[0] = '\0';
		if (fmt != NULL)
			vsnprintf(detail, sizeof(detail), fmt, ap);
		diag_cap_fn(diag_cap_arg, code, pos, detail);
		return;
	}
	pthread_mutex_lock(&diag_mu);
	if (lvl > diag_worst_level)
		diag_worst_level = lvl;
	diag_counts[lvl]++;
	if (lvl < diag_min_level) {
		pthread_mutex_unlock(&diag_mu);
		return;
	}

	detail[0] = '\0';
	if (fmt != NULL && *fmt != '\0')
		vsnprintf(detail, sizeof(detail), fmt, ap);
	/* A progress line on the terminal is erased, not written after. */
	progress_clear();
	diag_put(fp, lvl, code, pos, detail);
	pthread_mutex_unlock(&diag_mu);
}

void
diag(enum diag_code code, const struct diag_pos *pos, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	diagv(code, pos, fmt, ap);
	va_end(ap);
}

/* A diagnostic about a whole file, such as a system error on a path. */
void
diag_sys(enum diag_code code, const char *file, const char *fmt, ...)
{
	struct diag_pos	 pos = { file, 0, 0 };
	va_list		 ap;

	va_start(ap, fmt);
	diagv(code, &pos, fmt, ap);
	va_end(ap);
}

enum diag_level
diag_worst(void)
{
	return diag_worst_level;
}

unsigned long
diag_count(enum diag_level lvl)
{
	return diag_counts[lvl];
}

/* Raise the exit level without printing (e.g. a summary already said it). */
void
diag_raise(enum diag_level lvl)
{
	pthread_mutex_lock(&diag_mu);
	if (lvl > diag_worst_level)
		diag_worst_level = lvl;
	pthread_mutex_unlock(&diag_mu);
}

void
diag_reset(void)
{
	size_t	 i;

	diag_worst_level = LEVEL_OK;
	for (i = 0; i <= LEVEL_SYSERR; i++)
		diag_counts[i] = 0;
}

/* Out of memory leaves nothing sensible to do: say so and exit SYSERR. */
_Noreturn void
diag_fatal_nomem(void)
{
	progress_clear();
	fprintf(stderr, "%s: SYSERR: %s\n", diag_prog,
	    diag_texts[DIAG_SYS_NOMEM]);
	exit(LEVEL_SYSERR);
}
