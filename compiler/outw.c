/*
 * outw: buffered, counted output through a temporary file and rename.
 * See outw.h.  Write errors are remembered, not returned from every
 * call: the first one is reported once, when it happens, with the
 * file's name, and the temporary file is removed by outw_finish() or
 * outw_abort().  Reporting it there and then matters: the writer above
 * (an emitter, say) may see the error first and give up through
 * outw_abort() without a word.
 *
 * A print run writes tens of megabytes and ends with an fsync, which
 * would then wait for all of them to reach the disk.  Where the system
 * has sync_file_range(2), the writeback of every OUTW_WRITEBACK bytes is
 * started as soon as they are written, without waiting for it: the
 * final fsync is left with the last stretch and the metadata.  It is
 * still that fsync that makes the file durable and reports any error.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "credentials.h"
#include "diag.h"
#include "mem.h"
#include "outw.h"

/* Bytes written before their writeback is started. */
#define OUTW_WRITEBACK	(8u << 20)

/*
 * Create the temporary file beside the final one: same file system, so
 * the rename is atomic.  The name is hidden and says what it is.
 */
/*
 * Temporary files of earlier runs beside path: a run killed before its
 * ledger commit leaves one whose codes were never issued, a run killed
 * between the commit and the rename one whose codes are valid.  Either
 * way the administrator must know; entpress cannot tell which.
 */
static void
stale_temps(const char *path)
{
	const char	*slash, *base;
	char		*dir;
	DIR		*dp;
	struct dirent	*de;
	size_t		 blen, nlen;

	slash = strrchr(path, '/');
	base = slash != NULL ? slash + 1 : path;
	dir = slash != NULL ? xstrndup(path, (size_t)(slash - path + 1)) :
	    xstrdup(".");
	blen = strlen(base);
	if ((dp = opendir(dir)) != NULL) {
		while ((de = readdir(dp)) != NULL) {
			nlen = strlen(de->d_name);
			if (de->d_name[0] != '.' || nlen < blen + 6 ||
			    strncmp(de->d_name + 1, base, blen) != 0 ||
			    de->d_name[blen + 1] != '.' ||
			    strcmp(de->d_name + nlen - 4, ".tmp") != 0)
				continue;
			diag_sys(DIAG_STALE_TMP, path, "%s%s",
			    slash != NULL ? dir : "", de->d_name);
		}
		closedir(dp);
	}
	free(dir);
}

int
outw_open(struct outw *w, const char *path)
{
	const char	*slash;
	int		 i;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->path = xstrdup(path);
	w->buf = xmalloc(OUTW_BUFSZ);
	if (strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
		return 0;
	}
	stale_temps(path);
	slash = strrchr(path, '/');
	for (i = 0; i < 100 && w->fd == -1; i++) {
		free(w->tmp);
		if (slash != NULL)
			xasprintf(&w->tmp, "%.*s.%s.%ld-%d.tmp",
			    (int)(slash - path + 1), path, slash + 1,
			    (long)getpid(), i);
		else
			xasprintf(&w->tmp, ".%s.%ld-%d.tmp", path,
			    (long)getpid(), i);
		w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
		if (w->fd == -1 && errno != EEXIST)
			break;
	}
	if (w->fd == -1) {
		diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
		free(w->tmp);
		free(w->path);
		free(w->buf);
		memset(w, 0, sizeof(*w));
		w->fd = -1;
		return -1;
	}
	return 0;
}

/*
 * The buffer held letters and CSV rows, codes included: wiped before it
 * goes back to the allocator.
 */
static void
outw_free_buf(struct outw *w)
{
	if (w->buf != NULL)
		cred_wipe(w->buf, OUTW_BUFSZ);
	free(w->buf);
	w->buf = NULL;
}

/* Remember and report the first failure; later ones follow from it. */
static void
fail(struct outw *w, int err)
{
	if (w->err != 0)
		return;
	w->err = err;
	diag_sys(DIAG_SYS_WRITE, w->path, "%s", strerror(err));
}

/*
 * Start the writeback of what was written since the last start, once
 * there is enough of it.  Asynchronous: the pages are queued, not
 * waited for.  A file that refuses (a pipe, a file system without it)
 * is not asked again; an I/O error is the final fsync's to report.
 */
static void
writeback(struct outw *w)
{
#ifdef HAVE_SYNC_FILE_RANGE
	if (w->tmp == NULL || w->nowb || w->off - w->wb < OUTW_WRITEBACK)
		return;
	if (sync_file_range(w->fd, (off_t)w->wb, (off_t)(w->off - w->wb),
	    SYNC_FILE_RANGE_WRITE) != 0)
		w->nowb = 1;
	w->wb = w->off;
#else
	(void)w;
#endif
}

/*
 * Hand the hook the bytes of the buffer it has not seen.  Called on the
 * buffer's way out, not on every write: the PDF back end's digests run
 * over 256 KiB at a time instead of a coordinate at a time.
 */
static void
hook_catch_up(struct outw *w)
{
	if (w->hook != NULL && w->len > w->hooked)
		w->hook(w->hook_arg, w->buf + w->hooked, w->len - w->hooked);
	w->hooked = w->len;
}

void
outw_set_hook(struct outw *w, void (*hook)(void *, const void *, size_t),
    void *arg)
{
	hook_catch_up(w);
	w->hook = hook;
	w->hook_arg = arg;
}

static void
drain(struct outw *w)
{
	size_t	 off = 0;
	ssize_t	 n;

	hook_catch_up(w);
	while (off < w->len && w->err == 0) {
		n = write(w->fd, w->buf + off, w->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail(w, errno);
			break;
		}
		off += (size_t)n;
	}
	w->off += off;
	w->len = 0;
	w->hooked = 0;
	if (w->err == 0)
		writeback(w);
}

void
outw_write_slow(struct outw *w, const void *p, size_t n)
{
	const unsigned char	*s = p;
	size_t			 k;

	w->count += n;
	while (n > 0) {
		if (w->len == OUTW_BUFSZ)
			drain(w);
		k = OUTW_BUFSZ - w->len;
		if (k > n)
			k = n;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
}

void
outw_printf(struct outw *w, const char *fmt, ...)
{
	char	 small[512], *big;
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		outw_write(w, small, (size_t)n);
		return;
	}
	big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	outw_write(w, big, (size_t)n);
	free(big);
}

/*
 * Decimal numbers without printf: the hot path of page content (a
 * letter page has a few hundred coordinates).  Digits go two at a time
 * from a table, right to left, so a coordinate costs a handful of
 * multiplications instead of a division per digit.
 */
static const char digits2[] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

/* u in decimal, written backwards ending at e; returns the start. */
static char *
put_digits(char *e, unsigned long long u)
{
	while (u >= 100) {
		e -= 2;
		memcpy(e, digits2 + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		e -= 2;
		memcpy(e, digits2 + 2 * u, 2);
	} else
		*--e = (char)('0' + u);
	return e;
}

void
outw_int(struct outw *w, long long v)
{
	char			 b[24], *p;
	unsigned long long	 u;

	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	p = put_digits(b + sizeof(b), u);
	if (v < 0)
		*--p = '-';
	outw_write(w, p, (size_t)(b + sizeof(b) - p));
}

/*
 * A value in thousandths as a decimal with at most three digits after
 * the point and no trailing zeros: 12345 -> 12.345, 7000 -> 7, -500 ->
 * -0.5.  Page coordinates are 1/1000 pt, so this prints points exactly.
 * outw_fmt_fixed3() writes it backwards, ending at p, for other buffers
 * (the PDF content streams); it returns the first byte.
 */
char *
outw_fmt_fixed3(char *p, long long v)
{
	unsigned long long	 u;
	unsigned int		 frac;

	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	frac = (unsigned int)(u % 1000);
	u /= 1000;
	if (frac != 0) {
		/* .5, .25, .125: the digits up to the last one not 0. */
		if (frac % 100 == 0)
			*--p = (char)('0' + frac / 100);
		else if (frac % 10 == 0) {
			p -= 2;
			memcpy(p, digits2 + 2 * (frac / 10), 2);
		} else {
			p -= 2;
			memcpy(p, digits2 + 2 * (frac % 100), 2);
			*--p = (char)('0' + frac / 100);
		}
		*--p = '.';
	}
	p = put_digits(p, u);
	if (v < 0)
		*--p = '-';
	return p;
}

void
outw_fixed3(struct outw *w, long long v)
{
	char	 b[OUTW_NUM_MAX], *p;

	p = outw_fmt_fixed3(b + sizeof(b), v);
	outw_write(w, p, (size_t)(b + sizeof(b) - p));
}

int
outw_flush(struct outw *w)
{
	drain(w);
	return w->err == 0 ? 0 : -1;
}

/*
 * Finish writing: flush, fsync and close the temporary file, which keeps
 * its temporary name until outw_publish().  Returns 0, or -1 after
 * diagnosing the failure and removing the temporary file.
 */
int
outw_finish(struct outw *w)
{
	drain(w);
	if (w->tmp != NULL && w->fd != -1) {
		if (w->err == 0 && fsync(w->fd) != 0)
			fail(w, errno);
		if (close(w->fd) != 0)
			fail(w, errno);
		w->fd = -1;
	}
	if (w->err != 0) {
		outw_abort(w);
		return -1;
	}
	return 0;
}

/*
 * The rename is only durable once the directory is: a power cut right
 * after the ledger commit must not bring back the old file.
 */
static void
sync_dir(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;
	int		 fd;

	dir = slash != NULL ? xstrndup(path, (size_t)(slash - path + 1)) :
	    xstrdup(".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Rename the finished file over its final name and release w. */
int
outw_publish(struct outw *w)
{
	int	 ret = 0;

	if (w->tmp != NULL && rename(w->tmp, w->path) != 0) {
		diag_sys(DIAG_SYS_WRITE, w->path, "%s", strerror(errno));
		unlink(w->tmp);
		ret = -1;
	} else if (w->tmp != NULL)
		sync_dir(w->path);
	free(w->tmp);
	free(w->path);
	outw_free_buf(w);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	return ret;
}

/* Both steps, for an output that depends on nothing else. */
int
outw_commit(struct outw *w)
{
	if (outw_finish(w) != 0)
		return -1;
	return outw_publish(w);
}

/* Give up: remove the temporary file, keep whatever was there before. */
void
outw_abort(struct outw *w)
{
	/* Abandoned, but written as far as the caller knows. */
	hook_catch_up(w);
	if (w->tmp != NULL) {
		if (w->fd != -1)
			close(w->fd);
		unlink(w->tmp);
	}
	free(w->tmp);
	free(w->path);
	outw_free_buf(w);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}
