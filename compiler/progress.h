/*
 * progress: one updating line on the standard error for people watching
 * a long run ("reading 3/12 files, 41230 records"; "printing 5210/17622
 * letters, 10420 pages, 9870 pages/s, 2 s left").
 *
 * The line is drawn only when the standard error is a terminal and -q
 * was not given; otherwise every call returns at its first test.  It is
 * redrawn at most PROGRESS_HZ times a second, and the clock is read only
 * every PROGRESS_EVERY counted items, so that counting each record or
 * page costs a test and an addition.  A diagnostic erases the line
 * before it is printed (diag.c calls progress_clear()); the next update
 * draws it again.  One process, one line: the state is global, and the
 * counting calls belong to the thread that composes (never to the
 * emitting thread of compose.c).
 *
 * Use, in order: progress_init() once; progress_phase() when reading
 * starts (total: the files) and when printing starts (total: the
 * letters); progress_files(), progress_records(), progress_letters()
 * and progress_pages() as work is done; progress_done() at the end,
 * which erases the line and gives the seconds since progress_init() for
 * the summary line.
 */
#ifndef ENTPRESS_PROGRESS_H
#define ENTPRESS_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

#define PROGRESS_HZ	10		/* redraws per second, at most */
#define PROGRESS_EVERY	64		/* items between two clock reads */

enum progress_count {
	PROGRESS_FILES = 0,
	PROGRESS_RECORDS,
	PROGRESS_LETTERS,
	PROGRESS_PAGES,
	PROGRESS__MAX
};

enum progress_phase {
	PHASE_NONE = 0,
	PHASE_READ,		/* total: files */
	PHASE_PRINT		/* total: letters */
};

struct progress {
	int			 on;		/* drawing at all */
	int			 shown;		/* a line is on the screen */
	FILE			*out;
	int			 width;		/* terminal columns, 0 unknown */
	enum progress_phase	 phase;
	uint64_t		 total;		/* of the phase's unit, 0 unknown */
	uint64_t		 n[PROGRESS__MAX];
	uint64_t		 phase_n[PROGRESS__MAX];	/* at phase start */
	unsigned int		 tick;		/* items since the clock was read */
	int64_t			 t0;		/* progress_init, ns */
	int64_t			 phase_t0;	/* ns */
	int64_t			 last;		/* last redraw, ns */
	int64_t			(*clock)(void);	/* monotonic ns; tests set it */
};

extern struct progress progress_g;

/*
 * quiet: -q.  The line is drawn when !quiet and the standard error is a
 * terminal (isatty), never otherwise.
 */
void	 progress_init(int quiet);
/* Draw on out whatever it is (tests, or a caller that knows better). */
void	 progress_init_stream(FILE *out, int enabled, int width);
void	 progress_phase(enum progress_phase, uint64_t total);
void	 progress_tick(enum progress_count, uint64_t n);
void	 progress_clear(void);
double	 progress_done(void);

/* The line as it would be drawn at time now (ns), into buf. */
size_t	 progress_format(const struct progress *, int64_t now, char *buf,
	    size_t size);

static inline void
progress_files(uint64_t n)
{
	if (progress_g.on)
		progress_tick(PROGRESS_FILES, n);
}

static inline void
progress_records(uint64_t n)
{
	if (progress_g.on)
		progress_tick(PROGRESS_RECORDS, n);
}

static inline void
progress_letters(uint64_t n)
{
	if (progress_g.on)
		progress_tick(PROGRESS_LETTERS, n);
}

static inline void
progress_pages(uint64_t n)
{
	if (progress_g.on)
		progress_tick(PROGRESS_PAGES, n);
}

#endif /* ENTPRESS_PROGRESS_H */
