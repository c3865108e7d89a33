/*
 * compose: interpreting layouts into pages.  See compose.h.
 *
 * Coordinates: a layout measures from the top left corner of a cell,
 * y downwards, in pg_unit; the page model measures from the bottom left
 * corner of the sheet, y upwards.  cell_x()/cell_y() are the only places
 * that convert.  Text goes UTF-8 -> glyphs (text_encode) -> runs of one
 * glyph vector each (put_glyphs), measured with the AFM widths, so the
 * PostScript and the PDF back ends print exactly the same positions.
 *
 * The auxiliary sheets (section separators, class cover sheets, hand-over
 * lists, the deposit summary) are drawn here in code, from the layout's
 * page size, margin and fonts: they are the school's working documents,
 * not letters, and need no designer.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "compose.h"
#include "credentials.h"
#include "diag.h"
#include "directory.h"
#include "layout.h"
#include "mem.h"
#include "page.h"
#include "progress.h"
#include "text.h"

/* Baseline below the top of a line box, as a fraction of the size. */
#define ASCENT(size)	((pg_unit)((int64_t)(size) * 780 / 1000))

static const char *const months_fr[12] = {
	"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"
};

static const char *const profile_words[PROFILE__MAX] = {
	"", "élève", "enseignant", "personnel", "parent", "invité"
};

/* "2026-09-01" -> "1er septembre 2026"; anything else is copied. */
void
compose_date_fr(struct buf *out, const char *ymd)
{
	int	 y, m, d;

	if (ymd == NULL || sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    m < 1 || m > 12 || d < 1 || d > 31) {
		buf_adds(out, ymd != NULL ? ymd : "");
		return;
	}
	if (d == 1)
		buf_printf(out, "1er %s %d", months_fr[m - 1], y);
	else
		buf_printf(out, "%d %s %d", d, months_fr[m - 1], y);
}

/*
 * compose_date_fr for the letters: a run prints one or two dates (the
 * run's and the codes' expiry) on every letter, so each is formatted
 * once and copied after that.
 */
static void
date_fr(struct compose *c, struct buf *out, const char *ymd)
{
	size_t	 i;

	if (ymd == NULL || strlen(ymd) >= sizeof(c->dates[0].ymd)) {
		compose_date_fr(out, ymd);
		return;
	}
	for (i = 0; i < sizeof(c->dates) / sizeof(c->dates[0]); i++)
		if (c->dates[i].fr.p != NULL &&
		    strcmp(c->dates[i].ymd, ymd) == 0) {
			buf_add(out, c->dates[i].fr.p, c->dates[i].fr.len);
			return;
		}
	/* A third date replaces the older of the two. */
	i = c->ndates++ % (sizeof(c->dates) / sizeof(c->dates[0]));
	snprintf(c->dates[i].ymd, sizeof(c->dates[i].ymd), "%s", ymd);
	buf_reset(&c->dates[i].fr);
	buf_adds(&c->dates[i].fr, "");
	compose_date_fr(&c->dates[i].fr, ymd);
	buf_add(out, c->dates[i].fr.p, c->dates[i].fr.len);
}

/* --- pages and cells ------------------------------------------------ */

static int
cells_per_sheet(const struct layout *l)
{
	return l->columns * l->rows;
}

static pg_unit
cell_left(const struct layout *l, int cell)
{
	return l->grid_left + (cell % l->columns) * l->cell_width;
}

static pg_unit
cell_top(const struct layout *l, int cell)
{
	return l->grid_top + (cell / l->columns) * l->cell_height;
}

/* Page x of a layout x inside cell. */
static pg_unit
cell_x(const struct compose *c, int cell, pg_unit x)
{
	return cell_left(c->lay, cell) + x;
}

/* Page y (upwards) of a layout y (downwards) inside cell. */
static pg_unit
cell_y(const struct compose *c, int cell, pg_unit y)
{
	return c->lay->page_height - (cell_top(c->lay, cell) + y);
}

static void
cut_lines(struct compose *c)
{
	const struct layout	*l = c->lay;
	pg_unit			 dash = l->cut == 2 ? PG_PT(3) : 0;
	pg_unit			 x0, x1, y0, y1, v;
	int			 i;

	if (l->cut == 0 || cells_per_sheet(l) < 2)
		return;
	x0 = l->grid_left;
	x1 = l->grid_left + l->columns * l->cell_width;
	y0 = l->page_height - l->grid_top;
	y1 = l->page_height - (l->grid_top + l->rows * l->cell_height);
	/* Every cell edge, the outer ones too: the cutter needs them all. */
	for (i = 0; i <= l->rows; i++) {
		v = y0 - i * l->cell_height;
		pg_line(&c->page, x0, v, x1, v, PG_PT(0.3), dash);
	}
	for (i = 0; i <= l->columns; i++) {
		v = x0 + i * l->cell_width;
		pg_line(&c->page, v, y0, v, y1, PG_PT(0.3), dash);
	}
}

/* An outline entry for the next page that opens. */
void
compose_mark(struct compose *c, int level, const char *title)
{
	if (c->npend == sizeof(c->pend) / sizeof(c->pend[0]))
		return;
	c->pend[c->npend].level = level;
	snprintf(c->pend[c->npend].title, sizeof(c->pend[0].title), "%s",
	    title);
	c->npend++;
}

static void
page_open(struct compose *c, const char *label)
{
	size_t	 i, len;

	if (c->open)
		return;
	pg_reset(&c->page);
	c->page.width = c->lay->page_width;
	c->page.height = c->lay->page_height;
	len = strnlen(label, sizeof(c->page.label) - 1);
	memcpy(c->page.label, label, len);
	c->page.label[len] = '\0';
	c->page.forms = &c->forms;
	for (i = 0; i < c->npend; i++)
		pg_mark(&c->page, c->pend[i].level, c->pend[i].title);
	c->npend = 0;
	c->open = 1;
	c->cell = 0;
}

/* --- the back end, on a thread of its own ---------------------------- */

/*
 * Finished pages go to the back end through a small ring, emptied by a
 * thread that calls the emit callback for each, in order: writing a
 * page (and deflating it, for PDF) then overlaps with composing the
 * next ones.  A page is handed over by swapping it with a free slot, so
 * nothing is copied and memory stays a few pages.  compose_flush() waits
 * until every page handed over was written, so that once it returns the
 * back ends are idle and may be ended; an emit failure is reported by
 * the calls that follow it.  Without a thread (pthread_create failed),
 * pages are written in place, as before.
 */
#define EMITQ_LEN	64		/* pages in the ring */
#define EMITQ_BATCH	32		/* pages that wake the thread */

struct emitq {
	pthread_t	 th;
	pthread_mutex_t	 mu;
	pthread_cond_t	 work;		/* pages were queued, or quit */
	pthread_cond_t	 space;		/* pages were written */
	struct pg_page	 slot[EMITQ_LEN];
	size_t		 head, n;	/* queued: slot[head], n of them */
	int		 flush;		/* write what is queued, even few */
	int		 quit;
	int		 err;		/* an emit call failed */
};

/*
 * The thread sleeps until a batch of pages is queued (or a flush asks
 * for the rest), then writes all the pages queued at that moment before
 * taking the lock again: one wake-up and two lock round trips per
 * batch, not per page, so that the two threads do not ping-pong when
 * they share one processor.
 */
static void *
emitq_main(void *arg)
{
	struct compose	*c = arg;
	struct emitq	*q = c->q;
	size_t		 i, k, head;
	int		 err;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (q->n < EMITQ_BATCH && !(q->n > 0 && q->flush) &&
		    !q->quit)
			pthread_cond_wait(&q->work, &q->mu);
		if (q->n == 0)
			break;
		k = q->n;
		head = q->head;
		pthread_mutex_unlock(&q->mu);
		err = 0;
		for (i = 0; i < k; i++)
			if (c->emit(c->emit_arg,
			    &q->slot[(head + i) % EMITQ_LEN]) != 0)
				err = 1;
		pthread_mutex_lock(&q->mu);
		if (err)
			q->err = 1;
		q->head = (q->head + k) % EMITQ_LEN;
		q->n -= k;
		if (q->n == 0)
			q->flush = 0;
		pthread_cond_signal(&q->space);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* The queue and its pages, which held letters: pg_free wipes them. */
static void
emitq_free(struct emitq *q)
{
	size_t	 i;

	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->work);
	pthread_cond_destroy(&q->space);
	for (i = 0; i < EMITQ_LEN; i++)
		pg_free(&q->slot[i]);
	free(q);
}

static void
emitq_start(struct compose *c)
{
	struct emitq	*q;
	size_t		 i;

	q = xcalloc(1, sizeof(*q));
	for (i = 0; i < EMITQ_LEN; i++)
		pg_init(&q->slot[i], c->lay->page_width, c->lay->page_height);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->space, NULL);
	c->q = q;
	if (pthread_create(&q->th, NULL, emitq_main, c) != 0) {
		c->q = NULL;
		emitq_free(q);
	}
}

/* Hand the current page over; c->page gets a free slot's page. */
static void
emitq_put(struct compose *c)
{
	struct emitq	*q = c->q;
	struct pg_page	 tmp;
	size_t		 i;

	pthread_mutex_lock(&q->mu);
	while (q->n == EMITQ_LEN)
		pthread_cond_wait(&q->space, &q->mu);
	i = (q->head + q->n) % EMITQ_LEN;
	tmp = q->slot[i];
	q->slot[i] = c->page;
	c->page = tmp;
	q->n++;
	if (q->err)
		c->err = -1;
	if (q->n == EMITQ_BATCH)
		pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mu);
}

/* Wait until every page handed over was written. */
static void
emitq_drain(struct compose *c)
{
	struct emitq	*q = c->q;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->mu);
	if (q->n > 0) {
		q->flush = 1;
		pthread_cond_signal(&q->work);
	}
	while (q->n > 0)
		pthread_cond_wait(&q->space, &q->mu);
	if (q->err)
		c->err = -1;
	pthread_mutex_unlock(&q->mu);
}

static void
emitq_stop(struct compose *c)
{
	struct emitq	*q = c->q;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->mu);
	q->quit = 1;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->th, NULL);
	emitq_free(q);
	c->q = NULL;
}

static int
page_close(struct compose *c)
{
	if (!c->open)
		return c->err;
	c->stats.pages++;
	c->doc_pages++;
	if (c->page.blank)
		c->stats.blank++;
	progress_pages(1);
	/* doc_start labels a blank verso after the page before it. */
	memcpy(c->last_label, c->page.label, sizeof(c->last_label));
	if (c->q == NULL && !c->noq)
		emitq_start(c);
	if (c->q != NULL)
		emitq_put(c);
	else if (c->emit(c->emit_arg, &c->page) != 0)
		c->err = -1;
	c->open = 0;
	c->cell = 0;
	return c->err;
}

/*
 * A document (letter, cover sheet, list) starts on a recto in duplex:
 * after an odd number of pages so far, a blank verso evens the count.
 * The verso belongs to the document before it and is labelled so
 * ("3A-017-v"): that is the sheet a print-shop operator holds.
 */
static int
doc_start(struct compose *c)
{
	char	 vl[48];
	size_t	 npend;

	if (c->open)
		page_close(c);
	c->doc_pages = 0;
	if (c->lay->duplex && c->stats.pages % 2 == 1) {
		snprintf(vl, sizeof(vl), "%.40s-v", c->last_label);
		/* Outline entries wait for the document's first page. */
		npend = c->npend;
		c->npend = 0;
		page_open(c, vl);
		c->page.blank = 1;
		page_close(c);
		c->npend = npend;
	}
	return c->err;
}

int
compose_flush(struct compose *c)
{
	page_close(c);
	emitq_drain(c);
	return c->err;
}

/* --- text ------------------------------------------------------------ */

/* Draw glyphs as runs of one vector each; returns the width drawn. */
static pg_unit
put_glyphs(struct compose *c, enum pg_font f, pg_unit size, pg_unit x,
    pg_unit y, const uint16_t *g, size_t n)
{
	char	 run[256];
	size_t	 i, k, start;
	int	 enc;
	pg_unit	 x0 = x;

	for (i = 0; i < n; ) {
		enc = g[i] >> 8;
		start = i;
		for (k = 0; i < n && (g[i] >> 8) == enc && k < sizeof(run);
		    i++)
			run[k++] = (char)(g[i] & 0xff);
		pg_text(&c->page, f, enc, size, x, y, run, k);
		x += (pg_unit)((int64_t)text_width(f, g + start, i - start) *
		    size / 1000);
	}
	return x - x0;
}

static pg_unit
glyphs_width(enum pg_font f, pg_unit size, const uint16_t *g, size_t n)
{
	return (pg_unit)((int64_t)text_width(f, g, n) * size / 1000);
}

/* One line of UTF-8 text, aligned in [x, x + width] (width 0: left). */
static pg_unit
put_line(struct compose *c, enum pg_font f, pg_unit size, pg_unit x,
    pg_unit y, const char *s, const char *who, enum lay_align align,
    pg_unit width)
{
	pg_unit	 w;

	glyphs_reset(&c->g);
	text_encode(&c->g, s, who);
	w = glyphs_width(f, size, c->g.g, c->g.n);
	if (width > 0 && align == ALIGN_RIGHT)
		x += width - w;
	else if (width > 0 && align == ALIGN_CENTER)
		x += (width - w) / 2;
	put_glyphs(c, f, size, x, y, c->g.g, c->g.n);
	return w;
}

/* --- fields ---------------------------------------------------------- */

struct fctx {
	const struct compose_letter	*cl;
	const char			*label;	/* the letter's: 4B-017 */
	const struct compose_account	*acc;	/* inside each of="accounts" */
	const struct dir_person		*child;	/* inside each of="children" */
	const struct school_info	*school;
};

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static void
add_full_name(struct buf *b, const struct dir_person *p)
{
	buf_adds(b, nz(p->first_name));
	if (p->first_name != NULL && p->last_name != NULL)
		buf_addc(b, ' ');
	buf_adds(b, nz(p->last_name));
}

static void
add_classes(struct buf *b, const struct dir_person *p)
{
	uint32_t	 i;

	for (i = 0; i < p->ncls; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		buf_adds(b, p->cls[i]->code);
	}
}

/* The person a field without each-context speaks of. */
static const struct dir_person *
first_person(const struct fctx *x)
{
	if (x->child != NULL)
		return x->child;
	if (x->acc != NULL)
		return x->acc->person;
	if (x->cl != NULL && x->cl->letter->naccounts > 0)
		return x->cl->letter->accounts[0];
	return NULL;
}

static const struct compose_account *
first_account(const struct fctx *x)
{
	if (x->acc != NULL)
		return x->acc;
	if (x->cl != NULL && x->cl->letter->naccounts > 0)
		return &x->cl->accounts[0];
	return NULL;
}

static void
school_address(struct buf *b, const struct fctx *x)
{
	const struct dir_school	*s = x->cl != NULL ? x->cl->letter->school :
	    NULL;
	size_t			 i;

	if (x->school != NULL) {
		for (i = 0; i < 3 && x->school->address[i] != NULL; i++) {
			if (i > 0)
				buf_adds(b, ", ");
			buf_adds(b, x->school->address[i]);
		}
		if (x->school->postcode != NULL || x->school->city != NULL) {
			buf_adds(b, i > 0 ? ", " : "");
			buf_adds(b, nz(x->school->postcode));
			buf_addc(b, ' ');
			buf_adds(b, nz(x->school->city));
		}
		return;
	}
	/* Not buf_printf: this is expanded for every letter. */
	if (s != NULL) {
		buf_adds(b, nz(s->street));
		buf_adds(b, s->street != NULL ? ", " : "");
		buf_adds(b, nz(s->postcode));
		buf_addc(b, ' ');
		buf_adds(b, nz(s->city));
	}
}

static void
field_value(struct compose *c, const struct fctx *x, const char *name,
    size_t len, struct buf *b)
{
	const struct dir_person		*p = first_person(x);
	const struct compose_account	*a = first_account(x);
	const struct letter		*l = x->cl != NULL ? x->cl->letter :
	    NULL;
	char				 grouped[CRED_CODE_LEN + 2];
	uint32_t			 i;

#define IS(s)	(len == sizeof(s) - 1 && memcmp(name, s, len) == 0)
	if (IS("first_name")) {
		if (p != NULL)
			buf_adds(b, nz(p->first_name));
	} else if (IS("last_name")) {
		if (p != NULL)
			buf_adds(b, nz(p->last_name));
	} else if (IS("full_name")) {
		if (p != NULL)
			add_full_name(b, p);
	} else if (IS("title")) {
		if (p != NULL)
			buf_adds(b, nz(p->title));
	} else if (IS("class")) {
		if (x->child != NULL)
			add_classes(b, x->child);
		else if (l != NULL && l->cls != NULL)
			buf_adds(b, l->cls->code);
		else if (p != NULL)
			add_classes(b, p);
	} else if (IS("classes")) {
		if (p != NULL)
			add_classes(b, p);
	} else if (IS("login")) {
		if (a != NULL)
			buf_adds(b, nz(a->login));
	} else if (IS("code")) {
		if (a != NULL)
			buf_adds(b, nz(a->code));
	} else if (IS("code_grouped")) {
		if (a != NULL && a->code != NULL) {
			cred_code_grouped(a->code, grouped);
			buf_adds(b, grouped);
		}
	} else if (IS("profile_word")) {
		if (p != NULL)
			buf_adds(b, profile_words[p->profile]);
	} else if (IS("recipients")) {
		for (i = 0; l != NULL && i < l->naccounts; i++) {
			if (i > 0)
				buf_adds(b, i + 1 == l->naccounts ? " et " :
				    ", ");
			add_full_name(b, l->accounts[i]);
		}
	} else if (IS("school_name")) {
		if (x->school != NULL && x->school->name != NULL)
			buf_adds(b, x->school->name);
		else if (l != NULL && l->school != NULL)
			buf_adds(b, nz(l->school->name));
	} else if (IS("school_address")) {
		school_address(b, x);
	} else if (IS("school_city")) {
		if (x->school != NULL)
			buf_adds(b, nz(x->school->city));
		else if (l != NULL && l->school != NULL)
			buf_adds(b, nz(l->school->city));
	} else if (IS("ent_url")) {
		if (x->school != NULL)
			buf_adds(b, nz(x->school->ent_url));
	} else if (IS("contact")) {
		if (x->school != NULL)
			buf_adds(b, nz(x->school->contact));
	} else if (IS("signature")) {
		if (x->school != NULL)
			buf_adds(b, nz(x->school->signature));
	} else if (IS("date")) {
		date_fr(c, b, c->date);
	} else if (IS("place_date")) {
		if (x->school != NULL && x->school->place != NULL) {
			buf_adds(b, x->school->place);
			buf_adds(b, ", le ");
		} else if (l != NULL && l->school != NULL &&
		    l->school->city != NULL) {
			buf_adds(b, l->school->city);
			buf_adds(b, ", le ");
		} else
			buf_adds(b, "Le ");
		date_fr(c, b, c->date);
	} else if (IS("serial")) {
		if (x->cl != NULL)
			buf_adds(b, nz(x->cl->serial));
	} else if (IS("valid_until")) {
		if (x->cl != NULL && x->cl->valid_until != NULL)
			date_fr(c, b, x->cl->valid_until);
	} else if (IS("replaces")) {
		if (x->cl != NULL)
			buf_adds(b, nz(x->cl->replaces));
	} else if (IS("page_label")) {
		/* The letter's label: a sheet of cards holds eight. */
		buf_adds(b, x->label != NULL ? x->label : c->page.label);
	}
#undef IS
}

/*
 * Expand {fields} of a template text; "{{" is a literal brace.  The
 * text between fields is copied a run at a time: a letter expands
 * several kilobytes of template, nearly all of it literal.
 */
static void
expand(struct compose *c, const struct fctx *x, const char *t,
    struct buf *out)
{
	const char	*p, *e;
	size_t		 n;

	buf_reset(out);
	for (p = t; *p != '\0'; p++) {
		if ((n = strcspn(p, "{}")) > 0) {
			buf_add(out, p, n);
			p += n - 1;
			continue;
		}
		if (p[0] == '{' && p[1] == '{') {
			buf_addc(out, '{');
			p++;
			continue;
		}
		if (p[0] == '}' && p[1] == '}') {
			buf_addc(out, '}');
			p++;
			continue;
		}
		if (*p != '{' || (e = strchr(p, '}')) == NULL) {
			buf_addc(out, *p);
			continue;
		}
		field_value(c, x, p + 1, (size_t)(e - p - 1), out);
		p = e;
	}
}

/* Who a diagnostic about printed text names: the first account's id. */
static const char *
who_of(const struct fctx *x)
{
	const struct dir_person	*p = first_person(x);

	return p != NULL ? p->id : NULL;
}

/* --- templates -------------------------------------------------------- */

/* The profile and situation bits of a letter, for when="...". */
static unsigned int
letter_when(const struct compose_letter *cl)
{
	const struct letter	*l = cl->letter;
	unsigned int		 w = 0;
	enum dir_profile	 pr;

	pr = l->naccounts > 0 ? (enum dir_profile)l->accounts[0]->profile :
	    PROFILE_NONE;
	switch (pr) {
	case PROFILE_STUDENT:
		w |= WHEN_STUDENT;
		break;
	case PROFILE_TEACHER:
		w |= WHEN_TEACHER;
		break;
	case PROFILE_STAFF:
		w |= WHEN_STAFF;
		break;
	case PROFILE_PARENT:
		w |= WHEN_PARENT;
		break;
	case PROFILE_GUEST:
		w |= WHEN_GUEST;
		break;
	default:
		break;
	}
	w |= l->posted ? WHEN_POSTED : WHEN_HANDED;
	w |= l->naccounts > 1 || l->nchildren > 1 ? WHEN_SEVERAL : WHEN_ONE;
	if (l->nchildren == 1)
		w |= WHEN_ONE_CHILD;
	else if (l->nchildren > 1)
		w |= WHEN_CHILDREN;
	if (cl->replaces != NULL)
		w |= WHEN_REISSUE;
	return w;
}

static int
when_holds(unsigned int cond, unsigned int have)
{
	if ((cond & WHEN_PROFILES) != 0 && (cond & have & WHEN_PROFILES) == 0)
		return 0;
	return (cond & ~WHEN_PROFILES & ~have) == 0;
}

/* --- the text cache ------------------------------------------------- */

/*
 * Most of a letter's text is the same on every letter: the paragraphs
 * without fields, the school's lines, the date.  So each template text
 * (a layout element) keeps its last expansion beside what it became:
 * its lines (where text_fit broke it) and, per line, the runs of one
 * glyph vector that put_glyphs would draw, with their widths.  A letter
 * whose text expands the same as the previous one's then skips encoding,
 * measuring and breaking, and draws the same runs.  An element whose
 * text holds no field is not even expanded again.  Only a text that
 * encoded without a warning is reused: a name that needs one is encoded
 * (and diagnosed) every time, as it always was.
 */
struct trun {
	uint8_t		 enc;		/* glyph vector */
	uint32_t	 off, len;	/* bytes, in tcache.bytes */
	int32_t		 w;		/* width in AFM units */
};

struct tline {
	size_t		 n;		/* glyphs on the line, 0: empty */
	pg_unit		 w;		/* width at the element's size */
	size_t		 run0, nruns;	/* its runs, in tcache.runs */
};

struct tcache {
	const struct lay_elem	*e;		/* key; NULL: a free slot */
	int			 valid;		/* reusable */
	int			 literal;	/* text without any field */
	int			 form;		/* its lines as a form, -1: none */
	int			 para;		/* broken into lines */
	int32_t			 maxw;		/* paragraphs: width broken to */
	struct buf		 text;		/* the expansion held */
	char			*bytes;		/* glyph codes, low bytes */
	size_t			 nbytes, capbytes;
	struct tline		*lines;
	size_t			 nlines, caplines;
	struct trun		*runs;
	size_t			 nruns, capruns;
};

static size_t
tc_slot(const struct tcache *v, size_t cap, const struct lay_elem *e)
{
	uint64_t	 h = (uint64_t)(uintptr_t)e;
	size_t		 i;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	for (i = (size_t)h & (cap - 1); v[i].e != NULL && v[i].e != e;
	    i = (i + 1) & (cap - 1))
		continue;
	return i;
}

/* The cache entry of element e, created empty on first use. */
static struct tcache *
tc_get(struct compose *c, const struct lay_elem *e)
{
	struct tcache	*nv;
	size_t		 i, j, ncap;

	if (c->tccap != 0) {
		i = tc_slot(c->tc, c->tccap, e);
		if (c->tc[i].e == e)
			return &c->tc[i];
	}
	if ((c->ntc + 1) * 2 > c->tccap) {
		ncap = c->tccap == 0 ? 64 : c->tccap * 2;
		nv = xcalloc(ncap, sizeof(*nv));
		for (i = 0; i < c->tccap; i++)
			if (c->tc[i].e != NULL) {
				j = tc_slot(nv, ncap, c->tc[i].e);
				nv[j] = c->tc[i];
			}
		free(c->tc);
		c->tc = nv;
		c->tccap = ncap;
	}
	i = tc_slot(c->tc, c->tccap, e);
	c->tc[i].e = e;
	buf_init_secret(&c->tc[i].text);
	c->tc[i].literal = e->text == NULL || strpbrk(e->text, "{}") == NULL;
	c->tc[i].form = -1;
	c->ntc++;
	return &c->tc[i];
}

static void
tc_free(struct compose *c)
{
	size_t	 i;

	for (i = 0; i < c->tccap; i++) {
		if (c->tc[i].e == NULL)
			continue;
		buf_free(&c->tc[i].text);
		if (c->tc[i].bytes != NULL)
			mem_wipe(c->tc[i].bytes, c->tc[i].capbytes);
		free(c->tc[i].bytes);
		free(c->tc[i].lines);
		free(c->tc[i].runs);
	}
	free(c->tc);
	c->tc = NULL;
	c->tccap = c->ntc = 0;
}

/*
 * One line of the glyphs in c->g, g[start..start+n), as put_glyphs
 * draws it: runs of one vector, at most 256 glyphs each.
 */
static void
tc_add_line(struct compose *c, struct tcache *t, enum pg_font f,
    pg_unit size, size_t start, size_t n)
{
	const uint16_t	*g = c->g.g;
	const int16_t	(*wt)[256] = text_widths(f);
	struct tline	*l;
	struct trun	*r;
	char		*out;
	size_t		 i, k, end = start + n;
	int64_t		 total = 0;
	int32_t		 w;
	int		 enc;

	if (t->nlines == t->caplines) {
		t->caplines = t->caplines == 0 ? 16 : t->caplines * 2;
		t->lines = xreallocarray(t->lines, t->caplines,
		    sizeof(*t->lines));
	}
	l = &t->lines[t->nlines++];
	l->n = n;
	l->run0 = t->nruns;
	l->nruns = 0;
	if (t->nbytes + n > t->capbytes) {
		size_t	 cap = t->capbytes;
		char	*nb;

		while (t->nbytes + n > cap)
			cap = cap == 0 ? 256 : cap * 2;
		/* The bytes may spell a code: the old block is wiped. */
		nb = xmalloc(cap);
		if (t->nbytes > 0)
			memcpy(nb, t->bytes, t->nbytes);
		if (t->bytes != NULL)
			mem_wipe(t->bytes, t->capbytes);
		free(t->bytes);
		t->bytes = nb;
		t->capbytes = cap;
	}
	for (i = start; i < end; ) {
		if (t->nruns == t->capruns) {
			t->capruns = t->capruns == 0 ? 16 : t->capruns * 2;
			t->runs = xreallocarray(t->runs, t->capruns,
			    sizeof(*t->runs));
		}
		r = &t->runs[t->nruns++];
		l->nruns++;
		enc = g[i] >> 8;
		r->enc = (uint8_t)enc;
		r->off = (uint32_t)t->nbytes;
		/*
		 * The bytes and the width (text_width's sum) in one pass,
		 * through locals: a store through a char pointer may alias
		 * t->nbytes, which would be read again for every glyph.
		 */
		w = 0;
		out = t->bytes + t->nbytes;
		for (k = 0; i < end && (g[i] >> 8) == enc && k < 256; i++, k++) {
			out[k] = (char)(g[i] & 0xff);
			if (enc < PG_NENC)
				w += wt[enc][g[i] & 0xff];
		}
		t->nbytes += k;
		r->len = (uint32_t)k;
		r->w = w;
		total += w;
	}
	/* As glyphs_width of the whole line: widths add up. */
	l->w = (pg_unit)(total * size / 1000);
}

/*
 * Draw line l of t from x, on pg (the page, or a form); returns the
 * width drawn, as put_glyphs.
 */
static pg_unit
tc_draw_line(struct pg_page *pg, const struct tcache *t,
    const struct tline *l, enum pg_font f, pg_unit size, pg_unit x,
    pg_unit y)
{
	const struct trun	*r;
	size_t			 i;
	pg_unit			 x0 = x;

	for (i = 0; i < l->nruns; i++) {
		r = &t->runs[l->run0 + i];
		pg_text(pg, f, r->enc, size, x, y, t->bytes + r->off, r->len);
		x += (pg_unit)((int64_t)r->w * size / 1000);
	}
	return x - x0;
}

/*
 * Make t hold the text of element e for this letter: reused when its
 * expansion is the one held, else expanded, encoded and, for a
 * paragraph, broken into lines of maxw as flow_para always did; a text
 * element (!para) is one line.
 */
static void	 tc_break(struct compose *, struct tcache *,
		    const struct lay_elem *, int, int32_t, int);

static void
tc_fill(struct compose *c, struct tcache *t, const struct lay_elem *e,
    const struct fctx *x, int para, int32_t maxw)
{
	const char	*text = e->text != NULL ? e->text : "";
	int		 bad;

	if (t->valid && t->para == para && t->maxw == maxw) {
		if (t->literal)
			return;
		expand(c, x, text, &c->b);
		if (c->b.len == t->text.len &&
		    memcmp(c->b.p, t->text.p, c->b.len) == 0)
			return;
	} else if (t->literal) {
		buf_reset(&c->b);
		buf_adds(&c->b, text);
	} else
		expand(c, x, text, &c->b);

	glyphs_reset(&c->g);
	bad = text_encode(&c->g, c->b.p, who_of(x));
	tc_break(c, t, e, para, maxw, bad);
}

/*
 * Hold the text in c->b, encoded in c->g with bad warnings, as t's: its
 * lines and runs.  A form made of the old lines no longer applies.
 */
static void
tc_break(struct compose *c, struct tcache *t, const struct lay_elem *e,
    int para, int32_t maxw, int bad)
{
	size_t	 start, n, next;

	t->form = -1;
	buf_reset(&t->text);
	buf_add(&t->text, c->b.p, c->b.len);
	t->para = para;
	t->maxw = maxw;
	t->valid = bad == 0;
	t->nbytes = t->nlines = t->nruns = 0;
	if (!para) {
		tc_add_line(c, t, e->font, e->size, 0, c->g.n);
		return;
	}
	for (start = 0; start < c->g.n || start == 0; start = next) {
		n = 0;
		next = 1;
		if (c->g.n > 0) {
			n = text_fit(e->font, c->g.g + start, c->g.n - start,
			    maxw, &next);
			next += start;	/* text_fit counts from the line */
		}
		tc_add_line(c, t, e->font, e->size, start, n);
		if (next <= start)	/* nothing fits: do not loop */
			break;
	}
}

/* The state of a flow being laid out. */
struct flow {
	int		 cell;
	pg_unit		 left, width;	/* layout units, in the cell */
	pg_unit		 y;		/* next line box top, layout units */
	pg_unit		 bottom;	/* lowest baseline allowed */
	pg_unit		 top_again;	/* where a continuation page starts */
	int		 measure;	/* 1: only advance y, draw nothing */
	const char	*label;
};

static void
overflow(struct compose *c, const struct lay_elem *e)
{
	struct diag_pos	 pos = { c->lay->path, e->line_no, 0 };

	/* Once per layout line: the same template overflows every time. */
	if (c->warned & (1u << (e->line_no % 32)))
		return;
	c->warned |= 1u << (e->line_no % 32);
	diag(DIAG_TEXT_OVERFLOW, &pos, "layout %s", c->lay->name);
}

/*
 * A text without a width ran past the edge of its cell: the printer
 * cuts it.  It is the data, not the template (a long name on a handed
 * letter), so every letter says so, with the person it is about.
 */
static void
overflow_edge(struct compose *c, const struct lay_elem *e,
    const struct fctx *x, pg_unit over)
{
	struct diag_pos	 pos = { c->lay->path, e->line_no, 0 };
	const char	*who = who_of(x);

	diag(DIAG_TEXT_OVERFLOW, &pos, "layout %s: %.0f mm cut at the edge "
	    "of the sheet%s%s", c->lay->name, over * 25.4 / 72000 + 0.5,
	    who != NULL ? ", person " : "", who != NULL ? who : "");
}

/*
 * Room for one more line box of height h?  A single-cell layout goes on
 * to a continuation page; a multi-cell one cannot, and says so.
 */
static void
flow_room(struct compose *c, struct flow *f, pg_unit h,
    const struct lay_elem *e)
{
	char	 label[48];

	if (f->y + h <= f->bottom || f->measure)
		return;
	if (cells_per_sheet(c->lay) > 1) {
		overflow(c, e);
		return;
	}
	snprintf(label, sizeof(label), "%.38s.%u", f->label,
	    c->doc_pages + 2);
	page_close(c);
	page_open(c, label);
	f->y = f->top_again;
}

static void
flow_para(struct compose *c, struct flow *f, const struct lay_elem *e,
    const struct fctx *x, pg_unit inset)
{
	struct tcache		*t;
	const struct tline	*l;
	pg_unit			 size = e->size, lead = e->leading;
	pg_unit			 width = f->width - 2 * inset;
	int32_t			 maxw;
	size_t			 i;
	pg_unit			 xx;

	maxw = (int32_t)((int64_t)width * 1000 / (size > 0 ? size : 1));
	t = tc_get(c, e);
	tc_fill(c, t, e, x, 1, maxw);
	f->y += e->space_before;
	/* A fixed paragraph that fits where it is: one call of its form. */
	if (t->form >= 0 && !f->measure &&
	    f->y + (pg_unit)t->nlines * lead <= f->bottom) {
		pg_use(&c->page, (uint32_t)t->form,
		    cell_x(c, f->cell, f->left + inset),
		    cell_y(c, f->cell, f->y + ASCENT(lead)));
		f->y += (pg_unit)t->nlines * lead;
		return;
	}
	for (i = 0; i < t->nlines; i++) {
		l = &t->lines[i];
		flow_room(c, f, lead, e);
		if (!f->measure && l->n > 0) {
			xx = f->left + inset;
			if (e->align == ALIGN_RIGHT)
				xx += width - l->w;
			else if (e->align == ALIGN_CENTER)
				xx += (width - l->w) / 2;
			tc_draw_line(&c->page, t, l, e->font, size,
			    cell_x(c, f->cell, xx),
			    cell_y(c, f->cell, f->y + ASCENT(lead)));
		}
		f->y += lead;
	}
}

static void flow_elems(struct compose *, struct flow *,
		    const struct lay_elem *, size_t, const struct fctx *,
		    pg_unit, unsigned int);

static void
flow_frame(struct compose *c, struct flow *f, const struct lay_elem *e,
    const struct fctx *x, pg_unit inset, unsigned int have)
{
	struct flow	 m = *f;
	pg_unit		 top, h;

	f->y += e->space_before;
	/* Measure first: the frame is drawn around what it holds. */
	m.y = f->y + e->padding;
	m.measure = 1;
	flow_elems(c, &m, e->kids, e->nkids, x, inset + e->padding, have);
	h = m.y - f->y + e->padding;
	flow_room(c, f, h, e);
	top = f->y;
	if (!f->measure && e->line > 0)
		pg_rect(&c->page, cell_x(c, f->cell, f->left + inset),
		    cell_y(c, f->cell, top + h), f->width - 2 * inset, h,
		    e->line, e->dash, 0, 0);
	f->y = top + e->padding;
	flow_elems(c, f, e->kids, e->nkids, x, inset + e->padding, have);
	f->y = top + h;
}

static void
flow_each(struct compose *c, struct flow *f, const struct lay_elem *e,
    const struct fctx *x, pg_unit inset, unsigned int have)
{
	const struct letter	*l = x->cl->letter;
	struct fctx		 y = *x;
	uint32_t		 i;

	if (e->each == EACH_ACCOUNT) {
		for (i = 0; i < l->naccounts; i++) {
			y.acc = &x->cl->accounts[i];
			flow_elems(c, f, e->kids, e->nkids, &y, inset, have);
		}
	} else {
		for (i = 0; i < l->nchildren; i++) {
			y.child = l->children[i];
			flow_elems(c, f, e->kids, e->nkids, &y, inset, have);
		}
	}
}

static void
flow_elems(struct compose *c, struct flow *f, const struct lay_elem *v,
    size_t n, const struct fctx *x, pg_unit inset, unsigned int have)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (v[i].when != 0 && !when_holds(v[i].when, have))
			continue;
		switch (v[i].kind) {
		case LAY_PARA:
			flow_para(c, f, &v[i], x, inset);
			break;
		case LAY_FRAME:
			flow_frame(c, f, &v[i], x, inset, have);
			break;
		case LAY_EACH:
			flow_each(c, f, &v[i], x, inset, have);
			break;
		case LAY_GAP:
			f->y += v[i].size;
			break;
		default:
			break;
		}
	}
}

static void
draw_elem(struct compose *c, int cell, const struct lay_elem *e,
    const struct fctx *x, unsigned int have, const char *label)
{
	struct flow	 f;
	struct tcache	*t;
	pg_unit		 w, bottom, xx;

	switch (e->kind) {
	case LAY_TEXT:
		/* put_line, from the cache. */
		t = tc_get(c, e);
		tc_fill(c, t, e, x, 0, 0);
		w = t->lines[0].w;
		xx = cell_x(c, cell, e->left);
		if (e->width > 0 && e->align == ALIGN_RIGHT)
			xx += e->width - w;
		else if (e->width > 0 && e->align == ALIGN_CENTER)
			xx += (e->width - w) / 2;
		if (t->form >= 0)
			pg_use(&c->page, (uint32_t)t->form,
			    cell_x(c, cell, e->left),
			    cell_y(c, cell, e->top + ASCENT(e->leading)));
		else
			tc_draw_line(&c->page, t, &t->lines[0], e->font,
			    e->size, xx, cell_y(c, cell,
			    e->top + ASCENT(e->leading)));
		if (e->width > 0 && w > e->width)
			overflow(c, e);
		else if (e->width == 0 && e->left + w > c->lay->cell_width)
			overflow_edge(c, e, x, e->left + w - c->lay->cell_width);
		break;
	case LAY_FLOW:
		memset(&f, 0, sizeof(f));
		f.cell = cell;
		f.left = e->left;
		f.width = e->width;
		f.y = e->top;
		bottom = e->height > 0 ? e->height : c->lay->cell_height -
		    c->lay->margin;
		f.bottom = bottom;
		f.top_again = c->lay->margin;
		f.label = label;
		flow_elems(c, &f, e->kids, e->nkids, x, 0, have);
		break;
	case LAY_RULE:
		pg_line(&c->page, cell_x(c, cell, e->left),
		    cell_y(c, cell, e->top), cell_x(c, cell, e->left + e->width),
		    cell_y(c, cell, e->top), e->line, e->dash);
		break;
	case LAY_BOX:
		pg_rect(&c->page, cell_x(c, cell, e->left),
		    cell_y(c, cell, e->top + e->height), e->width, e->height,
		    e->line, e->dash, 0, 0);
		break;
	default:
		break;
	}
}

/* The window: return address strip, then the recipient block. */
static void
draw_window(struct compose *c, int cell, const struct letter *l,
    const struct school_info *si)
{
	const struct lay_window	*w = &c->lay->window;
	pg_unit			 x, y, rw;
	size_t			 i;

	x = w->left + w->indent;
	y = w->top + w->return_size + PG_MM(1);
	if (si != NULL && si->return_address != NULL) {
		rw = put_line(c, w->font, w->return_size, cell_x(c, cell, x),
		    cell_y(c, cell, y), si->return_address, NULL, ALIGN_LEFT,
		    0);
		pg_line(&c->page, cell_x(c, cell, x),
		    cell_y(c, cell, y + PG_PT(1)), cell_x(c, cell, x + rw),
		    cell_y(c, cell, y + PG_PT(1)), PG_PT(0.4), 0);
	}
	y += PG_MM(4);
	for (i = 0; i < l->addr.nlines; i++) {
		y += w->leading;
		put_line(c, w->font, w->size, cell_x(c, cell, x),
		    cell_y(c, cell, y), l->addr.line[i],
		    l->naccounts > 0 ? l->accounts[0]->id : NULL, ALIGN_LEFT,
		    0);
	}
}

static void
fold_marks(struct compose *c)
{
	const struct lay_folds	*f = &c->lay->folds;
	pg_unit			 y;
	size_t			 i;

	if (!f->present)
		return;
	for (i = 0; i < f->nat; i++) {
		y = c->lay->page_height - f->at[i];
		pg_line(&c->page, f->left, y, f->left + f->length, y, f->line,
		    0);
	}
	if (f->punch > 0) {
		y = c->lay->page_height - f->punch;
		pg_line(&c->page, f->left, y, f->left + 2 * f->length, y,
		    f->line, 0);
	}
}

/*
 * A letter's page label, GROUP-NNN: what snprintf("%.30s-%03u") gave,
 * without its cost on every letter.  out has room for 48.
 */
static void
letter_label(char *out, const char *group, uint32_t seq)
{
	size_t	 n = strnlen(group, 30);

	memcpy(out, group, n);
	out[n++] = '-';
	n += mem_decimal(out + n, seq, 3);
	out[n] = '\0';
}

/*
 * The pages a letter is on go back to the caller (the manifest, the
 * ledger): several letters may share a sheet, and a long one may run on.
 */
int
compose_letter(struct compose *c, struct compose_letter *cl)
{
	const struct layout	*lay = c->lay;
	struct fctx		 x;
	unsigned int		 have;
	char			 label[48];
	int			 cell;
	size_t			 i;

	letter_label(label, cl->group->label, cl->letter->seq);
	memset(&x, 0, sizeof(x));
	x.cl = cl;
	x.label = label;
	x.school = cl->letter->school != NULL && c->schools != NULL ?
	    school_file_find(c->schools, cl->letter->school->uai != NULL ?
	    cl->letter->school->uai : "") : NULL;
	have = letter_when(cl);

	if (cells_per_sheet(lay) == 1 || !c->open ||
	    c->cell >= cells_per_sheet(lay)) {
		doc_start(c);
		page_open(c, label);
		cut_lines(c);
	}
	cell = c->cell++;
	cl->first_page = c->stats.pages + 1;
	if (cell == 0 && cells_per_sheet(lay) == 1)
		fold_marks(c);
	if (cl->letter->posted && lay->window.present)
		draw_window(c, cell, cl->letter, x.school);
	for (i = 0; i < lay->nelems; i++) {
		if (lay->elems[i].when != 0 &&
		    !when_holds(lay->elems[i].when, have))
			continue;
		draw_elem(c, cell, &lay->elems[i], &x, have, label);
	}
	c->stats.letters++;
	cl->last_page = c->stats.pages + 1;
	progress_letters(1);
	if (cells_per_sheet(lay) == 1 || c->cell >= cells_per_sheet(lay))
		page_close(c);
	return c->err;
}

/* --- auxiliary sheets ------------------------------------------------- */

/* A simple writer for the working sheets: lines from the top margin. */
struct sheet {
	struct compose	*c;
	pg_unit		 y;		/* next baseline, from the top */
	pg_unit		 left, width;
};

static void
sheet_begin(struct compose *c, struct sheet *s, const char *label)
{
	doc_start(c);
	page_open(c, label);
	s->c = c;
	s->left = c->lay->margin;
	s->width = c->lay->page_width - 2 * c->lay->margin;
	s->y = c->lay->margin;
}

static void
sheet_line(struct sheet *s, enum pg_font f, pg_unit size, const char *text,
    enum lay_align align)
{
	s->y += size * 13 / 10;
	put_line(s->c, f, size, s->left, s->c->lay->page_height - s->y, text,
	    NULL, align, s->width);
}

/* A paragraph wrapped to the sheet width. */
static void
sheet_para(struct sheet *s, enum pg_font f, pg_unit size, const char *text)
{
	struct compose	*c = s->c;
	size_t		 start, n, next;
	int32_t		 maxw;

	glyphs_reset(&c->g);
	text_encode(&c->g, text, NULL);
	maxw = (int32_t)((int64_t)s->width * 1000 / size);
	for (start = 0; start < c->g.n; start = next) {
		n = text_fit(f, c->g.g + start, c->g.n - start, maxw, &next);
		next += start;		/* text_fit counts from the line */
		s->y += size * 13 / 10;
		put_glyphs(c, f, size, s->left, c->lay->page_height - s->y,
		    c->g.g + start, n);
		if (next <= start)
			break;
	}
}

static const char *
school_label(const struct compose *c, const struct dir_school *s,
    struct buf *b)
{
	const struct school_info	*si;

	buf_reset(b);
	si = s != NULL && c->schools != NULL && s->uai != NULL ?
	    school_file_find(c->schools, s->uai) : NULL;
	if (si != NULL && si->name != NULL)
		buf_printf(b, "%s (%s)", si->name, s->uai);
	else if (s != NULL)
		buf_printf(b, "%s (%s)", nz(s->name != NULL ? s->name : s->id),
		    s->uai != NULL ? s->uai : s->id);
	else
		/*
		 * Staff whose functions and attachment name no school of the
		 * export still teach its classes: their group has no school,
		 * and the sheet says so rather than print nothing (b->p would
		 * be NULL).
		 */
		buf_adds(b, "Établissement non indiqué dans l'export");
	return b->p;
}

static const char *const section_titles[SECTION__MAX] = {
	"ÉLÈVES — LETTRES PAR CLASSE",
	"PERSONNELS — LETTRES PAR ÉTABLISSEMENT",
	"COURRIER — LETTRES AUX PARENTS"
};

/*
 * A separator sheet: what follows, in large type, and a black band on
 * the right edge that shows on the side of the stack.
 */
int
compose_separator(struct compose *c, enum batch_section sec,
    const struct batch_run *r)
{
	struct sheet	 s;
	char		 label[48];
	uint32_t	 groups = 0;
	size_t		 i;

	snprintf(label, sizeof(label), "%s-SEP", batch_section_name(sec));
	sheet_begin(c, &s, label);
	pg_rect(&c->page, c->lay->page_width - PG_MM(12), 0, PG_MM(12),
	    c->lay->page_height, 0, 0, 1, 0);
	s.width -= PG_MM(12);
	s.y += PG_MM(80);
	sheet_line(&s, c->lay->font_bold, PG_PT(24), section_titles[sec],
	    ALIGN_CENTER);
	for (i = 0; i < r->ngroups; i++)
		if (r->groups[i].section == sec)
			groups++;
	buf_reset(&c->b2);
	buf_printf(&c->b2, "%u lettre%s, %u groupe%s", r->nletters[sec],
	    r->nletters[sec] > 1 ? "s" : "", groups, groups > 1 ? "s" : "");
	s.y += PG_MM(6);
	sheet_line(&s, c->lay->font_regular, PG_PT(14), c->b2.p, ALIGN_CENTER);
	buf_reset(&c->b2);
	buf_adds(&c->b2, "Édité le ");
	compose_date_fr(&c->b2, c->date);
	sheet_line(&s, c->lay->font_regular, PG_PT(11), c->b2.p, ALIGN_CENTER);
	page_close(c);
	return c->err;
}

static void
person_line(struct buf *b, const struct dir_person *p)
{
	buf_reset(b);
	if (p->title != NULL)
		buf_printf(b, "%s ", p->title);
	add_full_name(b, p);
}

/* The cover sheet of a class (for its head teacher) or of a school's staff. */
int
compose_cover(struct compose *c, const struct batch_group *g)
{
	struct sheet		 s;
	struct buf		 sl;
	char			 label[48];
	uint32_t		 i;
	enum pg_font		 reg = c->lay->font_regular;
	enum pg_font		 bold = c->lay->font_bold;
	const struct school_info *si;

	snprintf(label, sizeof(label), "%.38s-COVER", g->label);
	sheet_begin(c, &s, label);
	buf_init(&sl);
	sheet_line(&s, reg, PG_PT(10), school_label(c, g->school, &sl),
	    ALIGN_LEFT);
	s.y += PG_MM(10);
	buf_reset(&c->b2);
	if (g->section == SECTION_CLASS)
		buf_printf(&c->b2, "Classe %s : identifiants ENT",
		    g->cls != NULL ? g->cls->code : g->label);
	else
		buf_adds(&c->b2, "Personnels : identifiants ENT");
	sheet_line(&s, bold, PG_PT(20), c->b2.p, ALIGN_LEFT);
	s.y += PG_MM(4);
	if (g->section == SECTION_CLASS && g->cls != NULL) {
		if (g->cls->npp == 0)
			sheet_line(&s, reg, PG_PT(12),
			    "Professeur principal : non indiqué dans l'annuaire",
			    ALIGN_LEFT);
		for (i = 0; i < g->cls->npp; i++) {
			person_line(&c->b, g->cls->pp[i]);
			buf_reset(&c->b2);
			buf_printf(&c->b2, "Professeur principal : %s", c->b.p);
			sheet_line(&s, reg, PG_PT(12), c->b2.p, ALIGN_LEFT);
		}
	} else
		sheet_line(&s, reg, PG_PT(12),
		    "À remettre par le secrétariat de l'établissement",
		    ALIGN_LEFT);
	s.y += PG_MM(4);
	buf_reset(&c->b2);
	if (g->section == SECTION_CLASS)
		buf_printf(&c->b2, "%zu lettre%s : %u pour les élèves, %u pour "
		    "les parents (remise par l'élève)", g->nletters,
		    g->nletters > 1 ? "s" : "", g->nstudents, g->nparents);
	else
		buf_printf(&c->b2, "%zu lettre%s", g->nletters,
		    g->nletters > 1 ? "s" : "");
	sheet_line(&s, reg, PG_PT(12), c->b2.p, ALIGN_LEFT);
	s.y += PG_MM(8);
	sheet_line(&s, bold, PG_PT(12), "Consignes", ALIGN_LEFT);
	s.y += PG_MM(2);
	sheet_para(&s, reg, PG_PT(11), "Chaque lettre est personnelle et "
	    "contient un code d'activation. Remettez-la en main propre à son "
	    "destinataire, qui signe la liste d'émargement jointe en face de "
	    "son nom ; ne la confiez pas à un autre élève.");
	s.y += PG_MM(2);
	sheet_para(&s, reg, PG_PT(11), "Rapportez la liste signée au "
	    "secrétariat avec les lettres qui n'ont pas pu être remises.");
	s.y += PG_MM(2);
	si = g->school != NULL && g->school->uai != NULL && c->schools != NULL ?
	    school_file_find(c->schools, g->school->uai) : NULL;
	buf_reset(&c->b2);
	buf_printf(&c->b2, "Une lettre perdue ou ouverte par une autre "
	    "personne doit être signalée sans délai%s%s : son code sera "
	    "révoqué et une nouvelle lettre éditée.",
	    si != NULL && si->contact != NULL ? " à " : "",
	    si != NULL && si->contact != NULL ? si->contact : "");
	sheet_para(&s, reg, PG_PT(11), c->b2.p);
	s.y += PG_MM(6);
	buf_reset(&c->b2);
	buf_adds(&c->b2, "Édité le ");
	compose_date_fr(&c->b2, c->date);
	sheet_line(&s, reg, PG_PT(10), c->b2.p, ALIGN_LEFT);
	buf_free(&sl);
	page_close(c);
	return c->err;
}

/* The hand-over list: who received which letter, signed.  No code. */
int
compose_handover(struct compose *c, const struct batch_group *g,
    char *const *serials)
{
	struct sheet		 s;
	struct buf		 sl;
	char			 label[48];
	pg_unit			 row = PG_MM(9), col[5], top, y, ry;
	size_t			 i, k, page = 0;
	enum pg_font		 reg = c->lay->font_regular;
	enum pg_font		 bold = c->lay->font_bold;
	const struct letter	*l;
	static const char *const heads[5] = {
		"N°", "Nom et prénom", "Lettre", "Date", "Signature"
	};

	buf_init(&sl);
	for (i = 0; i < g->nletters || (i == 0 && page == 0); page++) {
		snprintf(label, sizeof(label), "%.36s-LIST%zu", g->label,
		    page + 1);
		if (page == 0)
			sheet_begin(c, &s, label);
		else {
			page_close(c);
			page_open(c, label);
			s.y = c->lay->margin;
		}
		buf_reset(&c->b2);
		buf_printf(&c->b2, "Liste d'émargement — %s%s — page %zu",
		    g->section == SECTION_CLASS ? "classe " : "",
		    g->section == SECTION_CLASS && g->cls != NULL ?
		    g->cls->code : g->label, page + 1);
		sheet_line(&s, bold, PG_PT(14), c->b2.p, ALIGN_LEFT);
		sheet_line(&s, reg, PG_PT(9), school_label(c, g->school, &sl),
		    ALIGN_LEFT);
		s.y += PG_MM(4);
		col[0] = s.left;
		col[1] = col[0] + PG_MM(12);
		col[2] = col[1] + PG_MM(70);
		col[3] = col[2] + PG_MM(48);
		col[4] = col[3] + PG_MM(22);
		top = s.y;
		for (k = 0; k < 5; k++)
			put_line(c, bold, PG_PT(9), col[k] + PG_MM(1),
			    c->lay->page_height - (top + PG_MM(6)), heads[k],
			    NULL, ALIGN_LEFT, 0);
		y = top + row;
		for (; i < g->nletters; i++) {
			if (y + row > c->lay->page_height - c->lay->margin)
				break;
			l = &g->letters[i];
			buf_reset(&c->b2);
			buf_printf(&c->b2, "%u", l->seq);
			put_line(c, reg, PG_PT(9), col[0] + PG_MM(1),
			    c->lay->page_height - (y + PG_MM(6)), c->b2.p, NULL,
			    ALIGN_LEFT, 0);
			buf_reset(&c->b2);
			for (k = 0; k < l->naccounts; k++) {
				if (k > 0)
					buf_adds(&c->b2, ", ");
				buf_adds(&c->b2, nz(l->accounts[k]->last_name));
				buf_addc(&c->b2, ' ');
				buf_adds(&c->b2, nz(l->accounts[k]->first_name));
			}
			if (l->via_class)
				buf_adds(&c->b2, " (parents)");
			put_line(c, reg, PG_PT(9), col[1] + PG_MM(1),
			    c->lay->page_height - (y + PG_MM(6)), c->b2.p,
			    l->naccounts > 0 ? l->accounts[0]->id : NULL,
			    ALIGN_LEFT, 0);
			put_line(c, reg, PG_PT(8), col[2] + PG_MM(1),
			    c->lay->page_height - (y + PG_MM(6)),
			    serials != NULL && serials[i] != NULL ? serials[i] :
			    "", NULL, ALIGN_LEFT, 0);
			y += row;
		}
		/* The grid: one row per letter, and the header row. */
		for (k = 0; k < 5; k++)
			pg_line(&c->page, col[k], c->lay->page_height - top,
			    col[k], c->lay->page_height - y, PG_PT(0.5), 0);
		pg_line(&c->page, s.left + s.width, c->lay->page_height - top,
		    s.left + s.width, c->lay->page_height - y, PG_PT(0.5), 0);
		for (ry = top; ry <= y; ry += row)
			pg_line(&c->page, s.left, c->lay->page_height - ry,
			    s.left + s.width, c->lay->page_height - ry,
			    PG_PT(0.5), 0);
		if (g->nletters == 0)
			break;
	}
	buf_free(&sl);
	page_close(c);
	return c->err;
}

/* The deposit summary of the mail section, for the post office. */
int
compose_deposit(struct compose *c, const struct batch_run *r)
{
	struct sheet	 s;
	size_t		 i;
	enum pg_font	 reg = c->lay->font_regular;
	enum pg_font	 bold = c->lay->font_bold;

	sheet_begin(c, &s, "MAIL-DEPOSIT");
	sheet_line(&s, bold, PG_PT(16), "Bordereau de dépôt — courrier aux "
	    "parents", ALIGN_LEFT);
	buf_reset(&c->b2);
	buf_adds(&c->b2, "Édité le ");
	compose_date_fr(&c->b2, c->date);
	sheet_line(&s, reg, PG_PT(10), c->b2.p, ALIGN_LEFT);
	s.y += PG_MM(6);
	sheet_line(&s, bold, PG_PT(11), "Plis par département (tri par code "
	    "postal)", ALIGN_LEFT);
	for (i = 0; i < r->ndepts; i++) {
		buf_reset(&c->b2);
		if (strcmp(r->depts[i].code, "ZZ") == 0)
			buf_printf(&c->b2, "Étranger : %u", r->depts[i].count);
		else
			buf_printf(&c->b2, "Département %s : %u",
			    r->depts[i].code, r->depts[i].count);
		sheet_line(&s, reg, PG_PT(10), c->b2.p, ALIGN_LEFT);
	}
	s.y += PG_MM(4);
	buf_reset(&c->b2);
	buf_printf(&c->b2, "Total : %u pli%s, dont %u pour l'étranger",
	    r->nposted, r->nposted > 1 ? "s" : "", r->nabroad);
	sheet_line(&s, bold, PG_PT(11), c->b2.p, ALIGN_LEFT);
	sheet_line(&s, reg, PG_PT(10), "Format : enveloppe DL à fenêtre "
	    "(110 × 220 mm), une feuille A4 pliée en trois ; poids par pli "
	    "inférieur à 20 g.", ALIGN_LEFT);
	s.y += PG_MM(4);
	if (r->nposted < 1000)
		sheet_para(&s, reg, PG_PT(10), "Moins de 1 000 plis : en "
		    "dessous du seuil habituel du courrier en nombre (400 plis "
		    "dans le département de dépôt) ; vérifier les conditions "
		    "de l'offre retenue avant le dépôt.");
	else
		sheet_para(&s, reg, PG_PT(10), "Plis triés par code postal, "
		    "donc par département : liasser par département dans "
		    "l'ordre de l'impression.");
	page_close(c);
	return c->err;
}

/* --- setup ----------------------------------------------------------- */

static void
fonts_of(const struct lay_elem *v, size_t n, unsigned int *mask)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (v[i].kind == LAY_TEXT || v[i].kind == LAY_PARA)
			*mask |= 1u << v[i].font;
		fonts_of(v[i].kids, v[i].nkids, mask);
	}
}

static int
uses_school_file(const struct lay_elem *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((v[i].text != NULL && (strstr(v[i].text, "{ent_url}") !=
		    NULL || strstr(v[i].text, "{contact}") != NULL ||
		    strstr(v[i].text, "{signature}") != NULL)) ||
		    uses_school_file(v[i].kids, v[i].nkids))
			return 1;
	return 0;
}

/*
 * Does the layout print what only the school file gives (the ENT
 * address, who to call, who signs)?  The export has none of it.
 */
int
compose_needs_school_file(const struct layout *l)
{
	return uses_school_file(l->elems, l->nelems);
}

/* The fonts a run with this layout can use (PostScript header). */
unsigned int
compose_fonts(const struct layout *l)
{
	unsigned int	 mask = 0;

	mask |= 1u << l->font_regular;
	mask |= 1u << l->font_bold;
	mask |= 1u << l->font_mono;
	if (l->window.present)
		mask |= 1u << l->window.font;
	fonts_of(l->elems, l->nelems, &mask);
	return mask;
}

/* --- forms ----------------------------------------------------------- */

/*
 * The fixed text of a layout (an element without any field: "Madame,
 * Monsieur,", the steps to activate an account, the footer) is laid out
 * once, before the first page, into a form: its lines relative to the
 * element's first baseline, aligned as flow_para or draw_elem would
 * align them.  A page then holds one item where it held a text run per
 * line and font change, and the PostScript back end writes the form
 * once, as a procedure.  The form is only used when the paragraph fits
 * where it falls: one that runs on to another page is drawn line by
 * line, as before.  Text that cannot be encoded without a warning gets
 * no form, so that the warning still comes when it is printed.
 */
static void
form_make(struct compose *c, const struct lay_elem *e, int para,
    pg_unit width)
{
	struct tcache		*t;
	struct pg_page		*f;
	const struct tline	*l;
	int32_t			 maxw = 0;
	pg_unit			 xx, w, size = e->size;
	size_t			 i;

	if (e->text != NULL && strpbrk(e->text, "{}") != NULL)
		return;
	if (para)
		maxw = (int32_t)((int64_t)width * 1000 /
		    (size > 0 ? size : 1));
	t = tc_get(c, e);
	buf_reset(&c->b);
	buf_adds(&c->b, e->text != NULL ? e->text : "");
	glyphs_reset(&c->g);
	if (text_encode_quiet(&c->g, c->b.p) != 0)
		return;
	tc_break(c, t, e, para, maxw, 0);

	c->forms.v = xreallocarray(c->forms.v, c->forms.n + 1,
	    sizeof(*c->forms.v));
	f = &c->forms.v[c->forms.n];
	pg_init(f, 0, 0);
	w = para ? width : e->width;
	for (i = 0; i < t->nlines; i++) {
		l = &t->lines[i];
		if (l->n == 0)
			continue;
		xx = 0;
		if ((para || w > 0) && e->align == ALIGN_RIGHT)
			xx = w - l->w;
		else if ((para || w > 0) && e->align == ALIGN_CENTER)
			xx = (w - l->w) / 2;
		tc_draw_line(f, t, l, e->font, size, xx,
		    -(pg_unit)i * e->leading);
	}
	if (f->nitems == 0) {
		pg_free(f);
		return;
	}
	t->form = (int)c->forms.n++;
}

/* The paragraphs of a flow, at the width flow_para gives them. */
static void
forms_flow(struct compose *c, const struct lay_elem *v, size_t n,
    pg_unit width, pg_unit inset)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		switch (v[i].kind) {
		case LAY_PARA:
			form_make(c, &v[i], 1, width - 2 * inset);
			break;
		case LAY_FRAME:
			forms_flow(c, v[i].kids, v[i].nkids, width,
			    inset + v[i].padding);
			break;
		case LAY_EACH:
			forms_flow(c, v[i].kids, v[i].nkids, width, inset);
			break;
		default:
			break;
		}
}

static void
forms_make(struct compose *c)
{
	const struct layout	*lay = c->lay;
	size_t			 i;

	for (i = 0; i < lay->nelems; i++)
		if (lay->elems[i].kind == LAY_TEXT)
			form_make(c, &lay->elems[i], 0, 0);
		else if (lay->elems[i].kind == LAY_FLOW)
			forms_flow(c, lay->elems[i].kids, lay->elems[i].nkids,
			    lay->elems[i].width, 0);
}

static void
forms_free(struct compose *c)
{
	size_t	 i;

	for (i = 0; i < c->forms.n; i++)
		pg_free(&c->forms.v[i]);
	free(c->forms.v);
	c->forms.v = NULL;
	c->forms.n = 0;
}

int
compose_init(struct compose *c, const struct layout *lay,
    const struct school_file *schools, const char *date, compose_emit_fn fn,
    void *arg)
{
	size_t	 i;

	memset(c, 0, sizeof(*c));
	c->lay = lay;
	c->schools = schools;
	c->date = date;
	c->emit = fn;
	c->emit_arg = arg;
	pg_init(&c->page, lay->page_width, lay->page_height);
	glyphs_init(&c->g);
	buf_init_secret(&c->b);
	buf_init_secret(&c->b2);
	for (i = 0; i < sizeof(c->dates) / sizeof(c->dates[0]); i++)
		buf_init(&c->dates[i].fr);
	forms_make(c);
	return 0;
}

void
compose_free(struct compose *c)
{
	size_t	 i;

	emitq_stop(c);
	pg_free(&c->page);
	/* The field buffers and glyphs last held a letter: codes. */
	if (c->g.g != NULL)
		cred_wipe(c->g.g, c->g.cap * sizeof(*c->g.g));
	glyphs_free(&c->g);
	if (c->b.p != NULL)
		cred_wipe(c->b.p, c->b.cap);
	if (c->b2.p != NULL)
		cred_wipe(c->b2.p, c->b2.cap);
	buf_free(&c->b);
	buf_free(&c->b2);
	tc_free(c);
	forms_free(c);
	for (i = 0; i < sizeof(c->dates) / sizeof(c->dates[0]); i++)
		buf_free(&c->dates[i].fr);
}
