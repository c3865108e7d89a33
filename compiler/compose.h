/*
 * compose: letters, cover sheets, hand-over lists and separator sheets
 * laid out into pages of the page model.
 *
 * Compose interprets a layout's template for one letter at a time: it
 * expands the {fields}, encodes the text into glyphs, breaks paragraphs,
 * draws frames, and places the letter in the next free cell of the
 * current sheet (a whole sheet for the letter layout, one of two halves
 * or eight cards otherwise).  Each finished page goes to the back end
 * through a callback, on a thread of its own, a few pages behind, so
 * memory does not grow with the run.
 * With a duplex layout every letter, cover sheet and list starts on a
 * recto: a blank verso is added when needed and counted.
 */
#ifndef ENTPRESS_COMPOSE_H
#define ENTPRESS_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "layout.h"
#include "page.h"
#include "text.h"

struct emitq;
struct tcache;

/* One account printed on a letter, with its transient secret. */
struct compose_account {
	const struct dir_person	*person;
	const char		*login;
	const char		*code;		/* clear code: wiped by the owner */
};

struct compose_letter {
	const struct letter		*letter;	/* from batch */
	const struct batch_group	*group;
	const struct compose_account	*accounts;	/* letter->naccounts */
	const char			*serial;	/* 2026-0699990Z-000123 */
	const char			*valid_until;	/* YYYY-MM-DD */
	const char			*replaces;	/* reissue: old serial */
	uint32_t			 first_page;	/* out: pages it is on, */
	uint32_t			 last_page;	/* from 1, blanks counted */
};

/*
 * The back end: one call per finished page, in page order, from a thread
 * of compose's own (so that writing a page overlaps composing the next);
 * compose_flush() returns once every finished page was emitted, and only
 * then may the caller touch what the callback writes to.  c->noq = 1
 * after compose_init() makes every call from the composing thread.
 */
typedef int (*compose_emit_fn)(void *, const struct pg_page *);

struct compose_stats {
	uint32_t	 pages;		/* pages emitted, blank versos included */
	uint32_t	 blank;		/* blank versos */
	uint32_t	 sheets;	/* physical sheets (duplex: pages / 2) */
	uint32_t	 letters;
};

struct compose {
	const struct layout		*lay;
	const struct school_file	*schools;
	const char			*date;		/* YYYY-MM-DD */
	compose_emit_fn			 emit;
	void				*emit_arg;
	struct pg_page			 page;
	int				 open;		/* page has content */
	int				 cell;		/* next free cell, or 0 */
	uint32_t			 doc_pages;	/* pages of the current document */
	int				 err;
	struct compose_stats		 stats;
	struct {
		int	 level;
		char	 title[160];
	}				 pend[4];	/* next page's outline */
	size_t				 npend;
	struct glyphs			 g;
	struct buf			 b, b2;
	unsigned int			 warned;	/* overflow warned once */
	struct {
		char	 ymd[16];
		struct buf fr;		/* "1er septembre 2026" */
	}				 dates[2];	/* see date_fr() */
	unsigned int			 ndates;
	struct tcache			*tc;		/* text cache, see compose.c */
	size_t				 ntc, tccap;
	struct pg_forms			 forms;		/* fixed text, see compose.c */
	struct emitq			*q;		/* pages to the back end */
	int				 noq;		/* 1: emit in place, no thread */
	char				 last_label[48]; /* of the last page closed */
};

int	 compose_init(struct compose *, const struct layout *,
	    const struct school_file *, const char *date, compose_emit_fn,
	    void *);
void	 compose_free(struct compose *);
unsigned int compose_fonts(const struct layout *);
int	 compose_needs_school_file(const struct layout *);

void	 compose_mark(struct compose *, int level, const char *title);
int	 compose_separator(struct compose *, enum batch_section,
	    const struct batch_run *);
int	 compose_cover(struct compose *, const struct batch_group *);
int	 compose_letter(struct compose *, struct compose_letter *);
int	 compose_handover(struct compose *, const struct batch_group *,
	    char *const *serials);
int	 compose_deposit(struct compose *, const struct batch_run *);
int	 compose_flush(struct compose *);

/* French dates for letters: "1er septembre 2026". */
void	 compose_date_fr(struct buf *, const char *ymd);

#endif /* ENTPRESS_COMPOSE_H */
