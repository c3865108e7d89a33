/*
 * outw: the one way entpress writes an output file.
 *
 * An output is created under a temporary name in the directory of its
 * final name (mode 0600, O_EXCL), written through a buffer that counts
 * every byte (the PDF cross-reference table is built from those counts),
 * flushed and fsync'd, and only then renamed over the final name.  A run
 * that fails or is killed leaves the previous file, if any, untouched and
 * no file that looks complete: the temporary name starts with a dot and
 * ends in .tmp, and outw_abort() removes it.  "-" writes to the standard
 * output instead (no rename, no mode).
 *
 * A run with several outputs and a ledger finishes in two steps:
 * outw_finish() on every file (written and synced, still under its
 * temporary name), then the ledger commit, then outw_publish() on every
 * file.  outw_commit() does both steps for a lone file.
 */
#ifndef ENTPRESS_OUTW_H
#define ENTPRESS_OUTW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define OUTW_BUFSZ	(256 * 1024)

struct outw {
	int		 fd;
	char		*path;		/* final name */
	char		*tmp;		/* temporary name, NULL for stdout */
	uint64_t	 count;		/* bytes written so far */
	int		 err;		/* errno of the first failure, or 0 */
	size_t		 len;		/* bytes in buf */
	unsigned char	*buf;
	/*
	 * Sees every byte, in order (hashing), in the pieces the buffer
	 * holds: buf[0..hooked) went through it, the rest goes when the
	 * buffer is written out, flushed, or the hook changes.  Set it with
	 * outw_set_hook(), which first hands the old hook what it has not
	 * seen; a digest is complete once the hook is changed or unset.
	 */
	void		(*hook)(void *, const void *, size_t);
	void		*hook_arg;
	size_t		 hooked;
	uint64_t	 off;		/* bytes handed to write(2) */
	uint64_t	 wb;		/* of which writeback was started */
	int		 nowb;		/* the file refused early writeback */
};

int	 outw_open(struct outw *, const char *);
void	 outw_set_hook(struct outw *, void (*)(void *, const void *, size_t),
	    void *);
void	 outw_write_slow(struct outw *, const void *, size_t);
void	 outw_printf(struct outw *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 outw_int(struct outw *, long long);
void	 outw_fixed3(struct outw *, long long);
char	*outw_fmt_fixed3(char *, long long);

/* Room for any outw_int() or outw_fixed3() text. */
#define OUTW_NUM_MAX	24
int	 outw_flush(struct outw *);
int	 outw_finish(struct outw *);
int	 outw_publish(struct outw *);
int	 outw_commit(struct outw *);
void	 outw_abort(struct outw *);

/*
 * The back ends write a page as hundreds of small pieces: the common
 * case (room in the buffer) is a copy, inline, hook or not; the rest is
 * outw_write_slow().
 */
static inline void
outw_write(struct outw *w, const void *p, size_t n)
{
	if (OUTW_BUFSZ - w->len >= n) {
		memcpy(w->buf + w->len, p, n);
		w->len += n;
		w->count += n;
		return;
	}
	outw_write_slow(w, p, n);
}

static inline void
outw_puts(struct outw *w, const char *s)
{
	outw_write(w, s, strlen(s));
}

static inline void
outw_putc(struct outw *w, int c)
{
	unsigned char	 b = (unsigned char)c;

	outw_write(w, &b, 1);
}

#endif /* ENTPRESS_OUTW_H */
