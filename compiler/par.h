/*
 * par: one loop of independent steps shared out between threads.
 *
 * Some stages have a stretch that runs on one core while the other
 * waits: after the export is read and before the print run starts,
 * nothing else is running.  Where that stretch is a loop whose steps
 * read shared data and write only their own slot (a collation key, an
 * address block), par_for() cuts the index range into contiguous parts,
 * one per thread, and waits for all of them.  A step never depends on
 * which part it fell in, so the result is the same whatever the number
 * of processors; what a step allocates comes from its part's arena or
 * buffer, indexed by the part number the callback is given.  par_sort()
 * sorts an array the same way.
 */
#ifndef ENTPRESS_PAR_H
#define ENTPRESS_PAR_H

#include <stddef.h>

/* At most this many parts; the callers keep per-part state this wide. */
#define PAR_MAX		4

/*
 * Run fn(arg, part, lo, hi) over [0, n) in at most PAR_MAX parts, part
 * 0 on the calling thread; returns when every part is done.  Small
 * ranges (under min) and a failed thread start run on the caller alone.
 */
void	 par_for(size_t n, size_t min, void (*fn)(void *, int, size_t, size_t),
	    void *arg);

/*
 * qsort() n elements of size bytes at base with cmp, which must be a
 * total order (ties broken down to something unique): each part sorts
 * its slice, then the caller merges them.  Under min, a plain qsort().
 */
void	 par_sort(void *base, size_t n, size_t size, size_t min,
	    int (*cmp)(const void *, const void *));

/*
 * Tests: cut every range into exactly n parts (1 to PAR_MAX), whatever
 * its size and the processors; 0 goes back to the default.  Not for use
 * while a par_for() runs.
 */
void	 par_set_parts(int n);

#endif
