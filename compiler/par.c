/*
 * par: one loop of independent steps shared out between threads.  See
 * par.h for the contract.
 *
 * The parts are contiguous and of equal size: the steps the callers
 * share out (keys, address blocks) cost about the same each, and a
 * fixed cut keeps the code free of queues and locks.  A thread is
 * started per part and joined; at a few tens of microseconds each, that
 * is noise beside a loop worth sharing, and the callers' min keeps
 * small runs (one class, a reissue) on one thread.  par_sort() is the
 * same cut applied to qsort(): the parts sort their slices, the caller
 * merges them, a linear pass beside the sorts' n log n.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "par.h"

struct par_part {
	void		(*fn)(void *, int, size_t, size_t);
	void		*arg;
	int		 part;
	size_t		 lo, hi;
};

static int	 par_forced;	/* par_set_parts(), 0: by processors */

void
par_set_parts(int n)
{
	par_forced = n < 0 ? 0 : n > PAR_MAX ? PAR_MAX : n;
}

static void *
par_main(void *v)
{
	struct par_part	*p = v;

	p->fn(p->arg, p->part, p->lo, p->hi);
	return NULL;
}

void
par_for(size_t n, size_t min, void (*fn)(void *, int, size_t, size_t),
    void *arg)
{
	struct par_part	 parts[PAR_MAX];
	pthread_t	 th[PAR_MAX];
	int		 started[PAR_MAX];
	long		 ncpu;
	size_t		 np, i, step;

	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	np = ncpu < 1 ? 1 : ncpu > PAR_MAX ? PAR_MAX : (size_t)ncpu;
	if (par_forced > 0)
		np = (size_t)par_forced;
	else if (n < min)
		np = 1;
	if (n < np)
		np = n > 0 ? n : 1;
	step = (n + np - 1) / np;
	for (i = 0; i < np; i++) {
		parts[i].fn = fn;
		parts[i].arg = arg;
		parts[i].part = (int)i;
		parts[i].lo = i * step < n ? i * step : n;
		parts[i].hi = (i + 1) * step < n ? (i + 1) * step : n;
		started[i] = 0;
	}
	/* Part 0 is the caller's; a part whose thread will not start too. */
	for (i = 1; i < np; i++)
		started[i] = pthread_create(&th[i], NULL, par_main,
		    &parts[i]) == 0;
	fn(arg, 0, parts[0].lo, parts[0].hi);
	for (i = 1; i < np; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			fn(arg, (int)i, parts[i].lo, parts[i].hi);
	}
}

/* par_sort(): the slices the parts sorted, as par_for() cut them. */
struct par_sorting {
	char		 *base;
	size_t		  size;
	int		(*cmp)(const void *, const void *);
	size_t		  lo[PAR_MAX], hi[PAR_MAX];
};

static void
par_sort_part(void *arg, int part, size_t lo, size_t hi)
{
	struct par_sorting	*s = arg;

	s->lo[part] = lo;
	s->hi[part] = hi;
	qsort(s->base + lo * s->size, hi - lo, s->size, s->cmp);
}

/*
 * The merge takes the smallest head of the sorted slices, the earliest
 * slice on a tie; with a total order there is no tie, and the result is
 * the one order qsort() itself gives.
 */
void
par_sort(void *base, size_t n, size_t size, size_t min,
    int (*cmp)(const void *, const void *))
{
	struct par_sorting	 s;
	char			*out;
	size_t			 at[PAR_MAX], k;
	int			 p, best;

	if (n < 2)
		return;
	memset(&s, 0, sizeof(s));
	s.base = base;
	s.size = size;
	s.cmp = cmp;
	par_for(n, min, par_sort_part, &s);
	if (s.hi[0] == n)
		return;		/* one part: sorted in place */
	out = xreallocarray(NULL, n, size);
	for (p = 0; p < PAR_MAX; p++)
		at[p] = s.lo[p];
	for (k = 0; k < n; k++) {
		best = -1;
		for (p = 0; p < PAR_MAX; p++) {
			if (at[p] >= s.hi[p])
				continue;
			if (best < 0 || cmp(s.base + at[p] * size,
			    s.base + at[best] * size) < 0)
				best = p;
		}
		memcpy(out + k * size, s.base + at[best]++ * size, size);
	}
	memcpy(base, out, n * size);
	free(out);
}
