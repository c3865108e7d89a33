/*
 * progress: the updating line of a long run on a terminal.  See
 * progress.h for the contract; what matters here is that a call costs
 * nothing measurable: a test when the line is off, an addition and a
 * counter when it is on, a clock read every PROGRESS_EVERY items and a
 * redraw at most PROGRESS_HZ times a second.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

struct progress	 progress_g;

static int64_t
clock_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
progress_init_stream(FILE *out, int enabled, int width)
{
	int64_t	(*clk)(void) = progress_g.clock != NULL ? progress_g.clock :
	    clock_ns;

	memset(&progress_g, 0, sizeof(progress_g));
	progress_g.clock = clk;
	progress_g.out = out;
	progress_g.on = enabled && out != NULL;
	progress_g.width = width;
	progress_g.t0 = progress_g.phase_t0 = clk();
	/* The first update of a phase draws at once. */
	progress_g.last = progress_g.t0 - 1000000000;
}

void
progress_init(int quiet)
{
	struct winsize	 ws;
	int		 tty, width = 0;

	tty = !quiet && isatty(STDERR_FILENO);
	if (tty && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0)
		width = ws.ws_col;
	progress_init_stream(stderr, tty, width);
}

void
progress_phase(enum progress_phase ph, uint64_t total)
{
	progress_g.phase = ph;
	progress_g.total = total;
	progress_g.phase_t0 = progress_g.clock != NULL ?
	    progress_g.clock() : clock_ns();
	memcpy(progress_g.phase_n, progress_g.n, sizeof(progress_g.n));
	progress_g.tick = PROGRESS_EVERY;	/* look at the clock soon */
	/* and draw then: a new phase is news, whatever was drawn last. */
	progress_g.last = progress_g.phase_t0 - 1000000000;
}

/* "12 s", "3 min 07 s". */
static size_t
fmt_secs(char *buf, size_t size, int64_t s)
{
	int	 n;

	if (s < 60)
		n = snprintf(buf, size, "%lld s", (long long)s);
	else
		n = snprintf(buf, size, "%lld min %02lld s", (long long)(s / 60),
		    (long long)(s % 60));
	return n < 0 ? 0 : (size_t)n;
}

/* Append to buf[0..size), which holds *n bytes; cut at the end. */
static void __attribute__((format(printf, 4, 5)))
add(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list	 ap;
	int	 k;

	if (*n + 1 >= size)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (k > 0)
		*n = (size_t)k < size - *n ? *n + (size_t)k : size - 1;
}

size_t
progress_format(const struct progress *p, int64_t now, char *buf,
    size_t size)
{
	char		 left[32];
	uint64_t	 done, pages;
	int64_t		 dt = now - p->phase_t0;
	size_t		 n = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	switch (p->phase) {
	case PHASE_READ:
		add(buf, size, &n, "entpress: reading ");
		if (p->total > 0)
			add(buf, size, &n, "%llu/%llu files", (unsigned long long)
			    p->n[PROGRESS_FILES], (unsigned long long)p->total);
		else
			add(buf, size, &n, "%llu files",
			    (unsigned long long)p->n[PROGRESS_FILES]);
		add(buf, size, &n, ", %llu records",
		    (unsigned long long)p->n[PROGRESS_RECORDS]);
		break;
	case PHASE_PRINT:
		done = p->n[PROGRESS_LETTERS] - p->phase_n[PROGRESS_LETTERS];
		pages = p->n[PROGRESS_PAGES] - p->phase_n[PROGRESS_PAGES];
		add(buf, size, &n, "entpress: printing ");
		if (p->total > 0)
			add(buf, size, &n, "%llu/%llu letters",
			    (unsigned long long)done,
			    (unsigned long long)p->total);
		else
			add(buf, size, &n, "%llu letters",
			    (unsigned long long)done);
		add(buf, size, &n, ", %llu pages", (unsigned long long)pages);
		/* Rates and estimates only once there is something to go by. */
		if (dt >= 200000000 && pages > 0)
			add(buf, size, &n, ", %llu pages/s", (unsigned long long)
			    (pages * 1000000000ULL / (uint64_t)dt));
		if (dt >= 500000000 && done > 0 && p->total > done) {
			fmt_secs(left, sizeof(left), (int64_t)((double)dt *
			    (double)(p->total - done) / (double)done / 1e9 +
			    0.5));
			add(buf, size, &n, ", %s left", left);
		}
		break;
	default:
		break;
	}
	return n;
}

static void
draw(int64_t now)
{
	char	 line[256];
	size_t	 n;

	n = progress_format(&progress_g, now, line, sizeof(line));
	if (n == 0)
		return;
	/* Never wrap: a wrapped line cannot be redrawn in place. */
	if (progress_g.width > 1 && n > (size_t)progress_g.width - 1)
		n = (size_t)progress_g.width - 1;
	fputc('\r', progress_g.out);
	fwrite(line, 1, n, progress_g.out);
	fputs("\033[K", progress_g.out);
	fflush(progress_g.out);
	progress_g.shown = 1;
	progress_g.last = now;
}

void
progress_tick(enum progress_count what, uint64_t n)
{
	int64_t	 now;

	progress_g.n[what] += n;
	/* A file is a rare event: worth a look at the clock each time. */
	if (what != PROGRESS_FILES && ++progress_g.tick < PROGRESS_EVERY)
		return;
	progress_g.tick = 0;
	if (!progress_g.on || progress_g.phase == PHASE_NONE)
		return;
	now = progress_g.clock();
	if (now - progress_g.last >= 1000000000 / PROGRESS_HZ)
		draw(now);
}

void
progress_clear(void)
{
	if (!progress_g.shown)
		return;
	fputs("\r\033[K", progress_g.out);
	fflush(progress_g.out);
	/*
	 * Drawn again by a later update, still at most PROGRESS_HZ a
	 * second: a burst of diagnostics does not make the line flicker.
	 */
	progress_g.shown = 0;
}

double
progress_done(void)
{
	int64_t	 now = progress_g.clock != NULL ? progress_g.clock() :
	    clock_ns();

	progress_clear();
	progress_g.on = 0;
	progress_g.phase = PHASE_NONE;
	return (double)(now - progress_g.t0) / 1e9;
}
