/*
 * batch: the decisions of a run.  Which letter each selected account
 * gets, in which group and order, which guardians share one letter, and
 * which parents' letters can be posted.  See batch.h for the rules.
 *
 * The work is a few linear passes and one qsort.  Sort material (accent-
 * folded names, the natural rank of a class) is computed once per person
 * and kept beside the read-only model in pointer-keyed maps, so that no
 * comparator allocates: collate_cmp() and collate_natcmp() build keys on
 * every call, which an academy of several hundred thousand accounts
 * cannot afford inside qsort.  Households come from a union-find over the
 * selected guardians, joined through the students who link two of them
 * at the same normalised address.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "collate.h"
#include "diag.h"
#include "directory.h"
#include "mem.h"
#include "par.h"
#include "select.h"
#include "text.h"
#include "utf8.h"

#define NORANK		UINT32_MAX	/* no class: after every class */
#define NKEYS		7		/* string sort keys of an item */
#define PAR_MIN		512		/* below, one thread (par_for) */

/* Order inside a group (struct item sub). */
enum {
	SUB_STUDENT = 0,	/* class groups */
	SUB_GUEST_CLASS,
	SUB_PARENT,
	SUB_TEACHER = 0,	/* staff groups */
	SUB_STAFF,
	SUB_GUEST_STAFF
};

static const char *const section_names[SECTION__MAX] = {
	"class", "staff", "mail"
};

const char *
batch_section_name(enum batch_section s)
{
	return s < SECTION__MAX ? section_names[s] : "?";
}

/* --- pointer maps ----------------------------------------------------- */

/*
 * The model is read-only after directory_resolve(), so what this stage
 * learns about a person or a class lives beside it, found by address.
 * Open addressing, values are never 0 (0 means absent).
 */
struct pmap {
	const void	**k;
	uintptr_t	 *v;
	size_t		  cap;		/* power of two, or 0 */
	size_t		  len;
};

static size_t
pm_slot(const struct pmap *m, const void *p)
{
	uint64_t	 x = (uint64_t)(uintptr_t)p;
	size_t		 i;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	for (i = (size_t)x & (m->cap - 1); m->k[i] != NULL && m->k[i] != p;
	    i = (i + 1) & (m->cap - 1))
		continue;
	return i;
}

static uintptr_t
pm_get(const struct pmap *m, const void *p)
{
	size_t	 i;

	if (m->cap == 0 || p == NULL)
		return 0;
	i = pm_slot(m, p);
	return m->k[i] == NULL ? 0 : m->v[i];
}

static void
pm_put(struct pmap *m, const void *p, uintptr_t v)
{
	struct pmap	 n;
	size_t		 i, j;

	if ((m->len + 1) * 2 > m->cap) {
		n.cap = m->cap == 0 ? 64 : m->cap * 2;
		n.len = m->len;
		n.k = xcalloc(n.cap, sizeof(*n.k));
		n.v = xcalloc(n.cap, sizeof(*n.v));
		for (i = 0; i < m->cap; i++) {
			if (m->k[i] == NULL)
				continue;
			j = pm_slot(&n, m->k[i]);
			n.k[j] = m->k[i];
			n.v[j] = m->v[i];
		}
		free(m->k);
		free(m->v);
		*m = n;
	}
	i = pm_slot(m, p);
	if (m->k[i] == NULL) {
		m->k[i] = p;
		m->len++;
	}
	m->v[i] = v;
}

/* Room for n entries without growing: the sizes are known up front. */
static void
pm_reserve(struct pmap *m, size_t n)
{
	size_t	 cap = 64;

	while (cap < n * 2 + 2)
		cap *= 2;
	m->cap = cap;
	m->len = 0;
	m->k = xcalloc(cap, sizeof(*m->k));
	m->v = xcalloc(cap, sizeof(*m->v));
}

static void
pm_free(struct pmap *m)
{
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* --- the build context ---------------------------------------------- */

/* Sort material of one person, computed once. */
struct pkey {
	struct dir_person	*p;
	const char		*last;		/* collate keys */
	const char		*first;
	struct dir_class	*cls;		/* first class, natural order */
	uint32_t		 crank;		/* its rank, NORANK without */
};

/* One letter and what it sorts on. */
struct item {
	struct letter	 l;
	uint32_t	 srank;		/* school, d->schools order */
	uint32_t	 crank;		/* class, NORANK: SANS-CLASSE */
	uint32_t	 sub;		/* kind inside the group, SUB_* */
	uint32_t	 abroad;	/* mail: France first */
	const char	*k[NKEYS];	/* then these, bytewise; NULL = "" */
	size_t		 acc;		/* offsets into the person pool */
	size_t		 ch;
	size_t		 ord;		/* creation order: a total order */
};

struct ctx {
	const struct directory	*d;
	const struct batch_opts	*o;
	struct batch_run	*run;
	unsigned int		 sections;	/* BATCH_*, never 0 */
	struct arena		 a;		/* keys and names */
	struct arena		 pa[PAR_MAX];	/* the same, per par_for part */
	struct buf		 pb[PAR_MAX];	/* address keys, recipients */
	struct buf		 tmp2;		/* messages */
	struct pmap		 keyof;		/* person -> struct pkey * */
	struct item		*items;
	size_t			 nitems, capitems;
	struct dir_person	**pool;		/* accounts and children */
	size_t			 npool, cappool;
	struct dir_person	**parents;	/* the selected guardians */
	size_t			 nparents;
	uint32_t		 nwindowless;	/* households lost for want
						   of a window and a class */
};

/*
 * directory_resolve() numbered the schools and the classes in their
 * sorted order (manual accounts only join those): the rank is there.
 */
static uint32_t
school_rank(const struct ctx *c, const struct dir_school *s)
{
	return s == NULL ? (uint32_t)c->d->nschools : s->rank;
}

static uint32_t
class_rank(const struct dir_class *cl)
{
	return cl == NULL ? NORANK : cl->rank;
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static int
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* Students and guests: the first of their classes, natural order. */
static struct dir_class *
first_class(const struct dir_person *p)
{
	struct dir_class	*cl = NULL;
	uint32_t		 i;

	if (p->profile == PROFILE_STUDENT || p->profile == PROFILE_GUEST)
		for (i = 0; i < p->ncls; i++)
			if (cl == NULL || p->cls[i]->rank < cl->rank)
				cl = p->cls[i];
	return cl;
}

/* Fill k, the sort material of p, from arena a. */
static void
key_fill(struct pkey *k, struct arena *a, struct dir_person *p)
{
	k->p = p;
	k->last = collate_key_arena(a, nz(p->last_name));
	k->first = collate_key_arena(a, nz(p->first_name));
	k->cls = first_class(p);
	k->crank = class_rank(k->cls);
}

/* The key of a person, computed at the first request. */
static const struct pkey *
key_of(struct ctx *c, struct dir_person *p)
{
	struct pkey	*k;

	if ((k = (struct pkey *)pm_get(&c->keyof, p)) != NULL)
		return k;
	k = arena_calloc(&c->a, 1, sizeof(*k));
	key_fill(k, &c->a, p);
	pm_put(&c->keyof, p, (uintptr_t)k);
	return k;
}

static size_t
pool_add(struct ctx *c, struct dir_person *p)
{
	if (c->npool == c->cappool) {
		c->cappool = c->cappool == 0 ? 1024 : c->cappool * 2;
		c->pool = xreallocarray(c->pool, c->cappool,
		    sizeof(*c->pool));
	}
	c->pool[c->npool] = p;
	return c->npool++;
}

static struct item *
item_new(struct ctx *c, enum batch_section s)
{
	struct item	*it;

	if (c->nitems == c->capitems) {
		c->capitems = c->capitems == 0 ? 256 : c->capitems * 2;
		c->items = xreallocarray(c->items, c->capitems,
		    sizeof(*c->items));
	}
	it = &c->items[c->nitems];
	memset(it, 0, sizeof(*it));
	it->l.section = s;
	it->ord = c->nitems++;
	it->acc = c->npool;
	return it;
}

/* --- address keys --------------------------------------------------- */

/*
 * Append the folded form of s[0..len): upper-case ASCII letters and
 * digits, any run of anything else one space (or nothing when !spaces),
 * no space at either end.  Returns whether anything was appended.
 */
static int
fold_part(struct buf *out, const char *s, size_t len, int spaces)
{
	return utf8_fold_key(out, s, strnlen(s, len), FOLD_UPPER, spaces) > 0;
}

/* The address lines of the key, $-joined; used for sorting too. */
static void
street_key(struct buf *out, const char *addr)
{
	const char	*p, *e;
	size_t		 mark;

	if (addr == NULL)
		return;
	for (p = addr;; p = e + 1) {
		if ((e = strchr(p, '$')) == NULL)
			e = p + strlen(p);
		mark = out->len;
		if (mark > 0)
			buf_addc(out, '$');
		if (!fold_part(out, p, (size_t)(e - p), 1)) {
			/* An empty line: drop it and its separator. */
			out->len = mark;
			out->p[mark] = '\0';
		}
		if (*e == '\0')
			break;
	}
}

static void
address_key(struct buf *out, const struct dir_person *p)
{
	size_t	 mark;
	int	 any;

	buf_reset(out);
	street_key(out, p->address);
	any = out->len > 0;
	buf_addc(out, '|');
	if (!empty(p->postcode))
		any |= fold_part(out, p->postcode, strlen(p->postcode), 0);
	buf_addc(out, '|');
	if (!empty(p->city))
		any |= fold_part(out, p->city, strlen(p->city), 1);
	if (!any) {
		buf_reset(out);
		return;
	}
	/*
	 * A country alone is no address; France, said or not, is no
	 * country in the key: it is folded in place and taken back.
	 */
	if (!empty(p->country)) {
		mark = out->len;
		buf_addc(out, '|');
		if (!fold_part(out, p->country, strlen(p->country), 1) ||
		    strcmp(out->p + mark + 1, "FRANCE") == 0) {
			out->len = mark;
			out->p[mark] = '\0';
		}
	}
}

void
batch_address_key(struct buf *out, const struct dir_person *p)
{
	address_key(out, p);
}

/* --- households ----------------------------------------------------- */

static uint32_t
uf_find(uint32_t *up, uint32_t i)
{
	uint32_t	 r, n;

	for (r = i; up[r] != r; r = up[r])
		continue;
	while (up[i] != r) {
		n = up[i];
		up[i] = r;
		i = n;
	}
	return r;
}

static void
uf_union(uint32_t *up, uint32_t i, uint32_t j)
{
	i = uf_find(up, i);
	j = uf_find(up, j);
	/* The smaller index is the root: the result does not depend on
	   the order pairs are found in. */
	if (i < j)
		up[j] = i;
	else if (j < i)
		up[i] = j;
}

/* Does student st link g as a parent under the run's rule? */
static int
links_as_parent(const struct ctx *c, const struct dir_person *st,
    const struct dir_person *g)
{
	uint32_t	 i;

	for (i = 0; i < st->nlinks; i++)
		if (st->links[i].rel == g &&
		    dir_link_is_parent(&st->links[i], c->o->relatives))
			return 1;
	return 0;
}

static int
child_cmp(const void *a, const void *b)
{
	const struct pkey	*x = *(const struct pkey *const *)a;
	const struct pkey	*y = *(const struct pkey *const *)b;
	int			 r;

	if (x->crank != y->crank)
		return x->crank < y->crank ? -1 : 1;
	if ((r = strcmp(x->last, y->last)) != 0)
		return r;
	if ((r = strcmp(x->first, y->first)) != 0)
		return r;
	return strcmp(x->p->id, y->p->id);
}

/* A guardian and its place in the household's order. */
struct gord {
	const struct pkey	*k;
	uint32_t		 rank;		/* link position, or after */
};

static int
gord_cmp(const void *a, const void *b)
{
	const struct gord	*x = a, *y = b;
	int			 r;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if ((r = strcmp(x->k->last, y->k->last)) != 0)
		return r;
	if ((r = strcmp(x->k->first, y->k->first)) != 0)
		return r;
	return strcmp(x->k->p->id, y->k->p->id);
}

/* --- the window block ----------------------------------------------- */

static int
is_mister(const char *t)
{
	return t != NULL && (strcasecmp(t, "M.") == 0 ||
	    strcasecmp(t, "M") == 0);
}

/*
 * One guardian's name at a level of detail: 0 "Mme Anne MARTIN",
 * 1 "Mme MARTIN", 2 "MARTIN".  The last name is printed as the export
 * spells it (the AAF gives relatives in capitals already).
 */
static void
name_add(struct buf *b, const struct dir_person *p, int level)
{
	size_t	 start = b->len;

	if (level < 2 && !empty(p->title))
		buf_adds(b, p->title);
	if (level < 1 && !empty(p->first_name)) {
		if (b->len > start)
			buf_addc(b, ' ');
		buf_adds(b, p->first_name);
	}
	if (!empty(p->last_name)) {
		if (b->len > start)
			buf_addc(b, ' ');
		buf_adds(b, p->last_name);
	}
}

/* Two guardians with one last name, both titled: one line will do. */
static int
is_couple(const struct pkey *x, const struct pkey *y)
{
	return strcmp(x->last, y->last) == 0 &&
	    !empty(x->p->title) && !empty(y->p->title);
}

/*
 * The recipient line for n guardians at one level.  Two guardians with
 * one last name and both titled are a couple, "M. et Mme MARTIN", the
 * man first as custom has it; otherwise the names are joined by "et".
 */
static void
line_build(struct buf *b, const struct pkey *const *g, size_t n, int level)
{
	const struct dir_person	*x, *y;
	size_t			 i;

	buf_reset(b);
	buf_adds(b, "");
	if (n == 2 && is_couple(g[0], g[1])) {
		x = g[0]->p;
		y = g[1]->p;
		if (is_mister(y->title) && !is_mister(x->title)) {
			x = g[1]->p;
			y = g[0]->p;
		}
		if (level < 2) {
			buf_adds(b, x->title);
			buf_adds(b, " et ");
			buf_adds(b, y->title);
			buf_addc(b, ' ');
		}
		buf_adds(b, nz(g[0]->p->last_name));
		return;
	}
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(b, " et ");
		name_add(b, g[i]->p, level);
	}
}

/* The line at the most detailed level that fits, else the shortest. */
static char *
line_fit(struct buf *b, const struct pkey *const *g, size_t n)
{
	int	 level;

	for (level = 0; level < 2; level++) {
		line_build(b, g, n, level);
		if (text_utf8_chars(b->p) <= ADDR_LINELEN)
			break;
	}
	if (level == 2)
		line_build(b, g, n, level);
	return xstrdup(b->p);
}

/*
 * The recipient lines: one guardian, or a couple, on one line; two other
 * guardians one per line; three or more, the first two on line 1 and the
 * others on line 2.  Names shrink (first names, then titles) until each
 * line fits; what still does not fit is text_address's to report.
 */
static void
recipient(struct buf *b, const struct pkey *const *g, size_t n,
    char **l1, char **l2)
{
	*l1 = *l2 = NULL;
	if (n == 1 || (n == 2 && is_couple(g[0], g[1])))
		*l1 = line_fit(b, g, n);
	else if (n == 2) {
		*l1 = line_fit(b, g, 1);
		*l2 = line_fit(b, g + 1, 1);
	} else {
		*l1 = line_fit(b, g, 2);
		*l2 = line_fit(b, g + 2, n - 2);
	}
}

/* --- departments ---------------------------------------------------- */

/*
 * The département of a French postcode: two digits, three for the
 * overseas 97x and 98x, 2A/2B for Corsica (20000-20199, 20200-20999);
 * XX when the postcode is not five digits.
 */
static void
dept_of(char code[4], const char *postcode)
{
	char	 d[7];
	size_t	 n = 0;

	for (; postcode != NULL && *postcode != '\0' && n < 6; postcode++)
		if (*postcode != ' ')
			d[n++] = *postcode;
	d[n] = '\0';
	if (n != 5 || strspn(d, "0123456789") < 5) {
		strcpy(code, "XX");
		return;
	}
	if (d[0] == '2' && d[1] == '0') {
		strcpy(code, d[2] < '2' ? "2A" : "2B");
		return;
	}
	code[0] = d[0];
	code[1] = d[1];
	code[2] = d[0] == '9' && (d[1] == '7' || d[1] == '8') ? d[2] : '\0';
	code[3] = '\0';
}

/* Order of codes: 01 ... 19, 2A, 2B, 21 ... 95, 971 ... 988, XX, ZZ. */
static int
dept_rank(const char *code)
{
	if (strcmp(code, "2A") == 0)
		return 201;
	if (strcmp(code, "2B") == 0)
		return 202;
	if (strcmp(code, "XX") == 0)
		return 9998;
	if (strcmp(code, "ZZ") == 0)
		return 9999;
	if (code[2] != '\0')
		return (code[0] - '0') * 100 + (code[1] - '0') * 10 +
		    (code[2] - '0');
	return (code[0] - '0') * 100 + (code[1] - '0') * 10;
}

static int
dept_cmp(const void *a, const void *b)
{
	const struct batch_dept	*x = a, *y = b;

	return dept_rank(x->code) - dept_rank(y->code);
}

static void
dept_count(struct batch_run *run, const char *code)
{
	size_t	 i;

	for (i = 0; i < run->ndepts; i++)
		if (strcmp(run->depts[i].code, code) == 0) {
			run->depts[i].count++;
			return;
		}
	run->depts = xreallocarray(run->depts, run->ndepts + 1,
	    sizeof(*run->depts));
	memset(&run->depts[run->ndepts], 0, sizeof(*run->depts));
	strcpy(run->depts[run->ndepts].code, code);
	run->depts[run->ndepts++].count = 1;
}

/* --- routing -------------------------------------------------------- */

static int
printed(const struct ctx *c, enum batch_section s)
{
	return (c->sections & (1u << s)) != 0;
}

/*
 * A letter for one account in a class group (students, guests).  The
 * key is only made for a letter: a run of another section leaves most
 * of the academy out, and a key costs a fold of two names.
 */
static void
route_class(struct ctx *c, struct dir_person *p, uint32_t sub)
{
	const struct pkey	*k;
	struct item		*it;

	if (!printed(c, SECTION_CLASS)) {
		c->run->nleft_out++;
		return;
	}
	k = key_of(c, p);
	it = item_new(c, SECTION_CLASS);
	it->l.cls = k->cls;
	it->l.school = k->cls != NULL ? k->cls->school : p->school;
	it->srank = school_rank(c, it->l.school);
	it->crank = k->crank;
	it->sub = sub;
	it->k[0] = k->last;
	it->k[1] = k->first;
	it->k[2] = p->id;
	pool_add(c, p);
	it->l.naccounts = 1;
}

/* A letter for one account in its school's staff group. */
static void
route_staff(struct ctx *c, struct dir_person *p, uint32_t sub)
{
	const struct pkey	*k;
	struct item		*it;

	if (!printed(c, SECTION_STAFF)) {
		c->run->nleft_out++;
		return;
	}
	k = key_of(c, p);
	it = item_new(c, SECTION_STAFF);
	/* Staff attached only by their functions (empty StructRattach). */
	it->l.school = p->school != NULL ? p->school :
	    p->nschools > 0 ? p->schools[0] : NULL;
	it->srank = school_rank(c, it->l.school);
	it->sub = sub;
	it->k[0] = k->last;
	it->k[1] = k->first;
	it->k[2] = p->id;
	pool_add(c, p);
	it->l.naccounts = 1;
}

/* The ids of a household's guardians, for messages. */
static void
ids_detail(struct buf *b, const struct pkey *const *g, size_t n)
{
	size_t	 i;

	buf_reset(b);
	buf_adds(b, n > 1 ? "parents " : "parent ");
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i > 0 ? ", " : "", g[i]->p->id);
}

/* Can this run post a letter at all (a mail section, a window)? */
static int
can_post(const struct ctx *c)
{
	return printed(c, SECTION_MAIL) && c->o->can_post;
}

/*
 * The address block of a household's letter: the recipient lines from
 * its sorted guardians g, then the first one's address.  Only reads the
 * model and the keys, and writes b and out: households() has the
 * blocks of a run made on several threads.
 */
static void
household_address(struct buf *b, const struct pkey *const *g, size_t ng,
    struct addr_out *out)
{
	const struct dir_person	*first = g[0]->p;
	struct addr_in		 in;
	char			*r1, *r2;

	memset(&in, 0, sizeof(in));
	recipient(b, g, ng, &r1, &r2);
	in.recipient[0] = r1;
	in.recipient[1] = r2;
	in.address = first->address;
	in.postcode = first->postcode;
	in.city = first->city;
	in.country = first->country;
	text_address(&in, out);
	free(r1);
	free(r2);
}

/*
 * Decide one household's letter: posted, via the class of its first
 * child, or left out.  g are the guardians, ch the children, both sorted;
 * pre is its address block when the run can post (household_address),
 * which this takes over.
 */
static void
route_household(struct ctx *c, const struct pkey *const *g, size_t ng,
    const struct pkey *const *ch, size_t nch, const char *akey,
    struct addr_out *pre)
{
	const struct dir_person	*first = g[0]->p;
	const struct pkey	*fc = nch > 0 ? ch[0] : NULL;
	struct diag_pos		 pos;
	struct addr_out		 addr;
	struct item		*it;
	enum diag_code		 why = DIAG_OK;
	char			*f, *e, code[4];
	size_t			 i;
	int			 post = 0, via;

	c->run->nhouseholds++;
	memset(&addr, 0, sizeof(addr));
	pos.file = first->src.file;
	pos.line = first->src.line;
	pos.col = 0;

	if (can_post(c)) {
		addr = *pre;
		memset(pre, 0, sizeof(*pre));
		if (addr.status == ADDR_OK)
			post = 1;
		else {
			why = addr.status == ADDR_MISSING ?
			    DIAG_ADDR_MISSING : DIAG_ADDR_TOO_LONG;
			ids_detail(&c->tmp2, g, ng);
			if (addr.status == ADDR_TOO_LONG &&
			    addr.bad_line < addr.nlines)
				buf_printf(&c->tmp2, ": line %zu has %zu "
				    "characters", addr.bad_line + 1,
				    text_utf8_chars(addr.line[addr.bad_line]));
			else if (addr.status == ADDR_TOO_MANY_LINES)
				buf_printf(&c->tmp2, ": more than %d lines",
				    addr.abroad ? ADDR_MAXLINES :
				    ADDR_MAXLINES - 1);
			addr_out_free(&addr);
			memset(&addr, 0, sizeof(addr));
		}
	}

	via = !post && printed(c, SECTION_CLASS);
	if (why != DIAG_OK) {
		if (!via)
			buf_adds(&c->tmp2, "; no class batch printed, "
			    "letter left out of this run");
		else if (fc == NULL)
			buf_adds(&c->tmp2, "; no child in a class batch, "
			    "letter left out of this run");
		diag(why, &pos, "%s", c->tmp2.p);
	} else if (via && fc == NULL) {
		/* No child at all (a manual account): nowhere to go. */
		ids_detail(&c->tmp2, g, ng);
		diag(DIAG_HOUSEHOLD_VIA_CLASS, &pos, "%s", c->tmp2.p);
	} else if (!post && !via && printed(c, SECTION_MAIL))
		c->nwindowless++;

	if (!post && (!via || fc == NULL)) {
		c->run->nleft_out += (uint32_t)ng;
		return;
	}

	it = item_new(c, post ? SECTION_MAIL : SECTION_CLASS);
	for (i = 0; i < ng; i++)
		pool_add(c, g[i]->p);
	it->ch = c->npool;
	for (i = 0; i < nch; i++)
		pool_add(c, ch[i]->p);
	it->l.naccounts = (uint32_t)ng;
	it->l.nchildren = (uint32_t)nch;
	if (fc != NULL)
		it->l.school = fc->cls != NULL ? fc->cls->school :
		    fc->p->school;
	else
		it->l.school = first->school;

	if (!post) {
		it->l.via_class = 1;
		it->l.cls = fc->cls;
		it->l.school = fc->cls != NULL ? fc->cls->school :
		    fc->p->school;
		it->srank = school_rank(c, it->l.school);
		it->crank = fc->crank;
		it->sub = SUB_PARENT;
		it->k[0] = g[0]->last;
		it->k[1] = g[0]->first;
		it->k[2] = first->id;
		return;
	}

	it->l.posted = 1;
	it->l.addr = addr;
	it->abroad = (uint32_t)addr.abroad;
	/* The deposit summary, while the guardian is at hand. */
	if (addr.abroad)
		strcpy(code, "ZZ");
	else
		dept_of(code, first->postcode);
	dept_count(c->run, code);
	/*
	 * Mail order: country (France first), postcode, city, street.  The
	 * address key holds them folded already: street|postcode|city, and
	 * |country abroad.  A posted household has all three.
	 */
	f = arena_strdup(&c->a, akey);
	it->k[3] = f;
	for (i = 1; i <= 3 && (e = strchr(f, '|')) != NULL; i++) {
		*e = '\0';
		f = e + 1;
		it->k[i == 3 ? 0 : i] = f;
	}
	it->k[4] = g[0]->last;
	it->k[5] = g[0]->first;
	it->k[6] = first->id;
}

/*
 * Join the guardians student st links as parents whose address keys are
 * equal and not empty.  st is reached through each selected guardian it
 * links (via, an index into par): it is taken from the first of them in
 * its link order only, so that its pairs are compared once.  A student
 * links a handful of relatives, so the pairs are compared directly;
 * past 16 parents (never seen) the others would get letters of their
 * own.
 */
static void
join_by_student(const struct ctx *c, const struct pmap *idx,
    char *const *akey, uint32_t *up, const struct dir_person *st,
    uint32_t via)
{
	uint32_t	 l, m, h, seen[16], ns;
	int		 first = 1;

	for (ns = 0, l = 0; l < st->nlinks && ns < 16; l++) {
		if (!dir_link_is_parent(&st->links[l], c->o->relatives))
			continue;
		if ((h = (uint32_t)pm_get(idx, st->links[l].rel)) == 0)
			continue;
		h--;
		if (first && h != via)
			return;
		first = 0;
		if (akey[h][0] == '\0')
			continue;
		for (m = 0; m < ns; m++)
			if (strcmp(akey[seen[m]], akey[h]) == 0)
				uf_union(up, seen[m], h);
		seen[ns++] = h;
	}
}

/*
 * What households() shares out between processors (par_for): keys of
 * who[i] into keys[i] and, for guardians, address keys into akey[i]; the
 * address block of household h, whose guardians are gv[gst[h]..gst[h +
 * 1]), into addr[h].  Each part allocates from its own arena and buffer.
 */
struct hh_work {
	struct ctx		 *c;
	struct dir_person	**who;
	struct pkey		 *keys;
	char			**akey;
	const struct pkey	**gv;
	const uint32_t		 *gst;
	struct addr_out		 *addr;
};

static void
hh_keys(void *v, int part, size_t lo, size_t hi)
{
	struct hh_work	*w = v;
	struct ctx	*c = w->c;
	struct buf	*b = &c->pb[part];
	size_t		 i;

	for (i = lo; i < hi; i++) {
		key_fill(&w->keys[i], &c->pa[part], w->who[i]);
		if (w->akey == NULL)
			continue;
		address_key(b, w->who[i]);
		w->akey[i] = arena_strdup(&c->pa[part],
		    b->len > 0 ? b->p : "");
	}
}

static void
hh_addresses(void *v, int part, size_t lo, size_t hi)
{
	struct hh_work	*w = v;
	size_t		 h;

	for (h = lo; h < hi; h++)
		household_address(&w->c->pb[part], w->gv + w->gst[h],
		    w->gst[h + 1] - w->gst[h], &w->addr[h]);
}

/*
 * Households of the selected guardians.  Two of them are one household
 * when a student links both as parents and their address keys are equal
 * and not empty; the union-find joins such pairs transitively (a
 * step-father at the mother's address joins her, the father elsewhere
 * stays apart).
 */
static void
households(struct ctx *c)
{
	struct dir_person	*st, *p, **cvp, **todo;
	struct pmap		 idx, pend;
	struct hh_work		 w;
	struct pkey		*pk, *ck;
	const struct pkey	**par, **cv, **gv, **chv, **ch, *k;
	struct gord		*go;
	struct addr_out		*addr = NULL;
	char			**akey;
	uint32_t		*up, *hh, *cnt, *start, *memb;
	uint32_t		 np, nh = 0, j, l, m, h;
	size_t			 i, nch, ng, *cstart, ncv = 0, capcv, ntodo;
	size_t			*hst;

	/*
	 * No section that prints parents' letters: no household to find,
	 * every guardian is left out.
	 */
	if (!printed(c, SECTION_CLASS) && !printed(c, SECTION_MAIL)) {
		c->run->nleft_out += (uint32_t)c->nparents;
		return;
	}
	if ((np = (uint32_t)c->nparents) == 0)
		return;
	par = xcalloc(np, sizeof(*par));
	pm_reserve(&idx, np);
	akey = xcalloc(np, sizeof(*akey));
	up = xcalloc(np, sizeof(*up));

	/*
	 * The guardians' keys and address keys, shared out between the
	 * processors (par_for): the rest of the run waits for this stage.
	 * A guardian keyed already keeps that key.
	 */
	pk = arena_calloc(&c->a, np, sizeof(*pk));
	memset(&w, 0, sizeof(w));
	w.c = c;
	w.who = c->parents;
	w.keys = pk;
	w.akey = akey;
	par_for(np, PAR_MIN, hh_keys, &w);
	for (j = 0; j < np; j++) {
		p = c->parents[j];
		if ((k = (const struct pkey *)pm_get(&c->keyof, p)) == NULL) {
			k = &pk[j];
			pm_put(&c->keyof, p, (uintptr_t)k);
		}
		par[j] = k;
		pm_put(&idx, p, (uintptr_t)j + 1);
		up[j] = j;
	}

	/*
	 * Every student of a selected guardian, selected or not: a
	 * household is about who lives together, not about who is
	 * printed.  Only those can join two selected guardians, and they
	 * are found through the guardians' children: a run of a few
	 * letters (reissue, one class) does not walk the whole academy.
	 * The partition does not depend on the order of the joins.
	 *
	 * The same walk keeps each guardian's children (those who link
	 * it as a parent), cv[cstart[j]..cstart[j + 1]), for the letters:
	 * the persons are read once, while they are in the cache.  Their
	 * keys are made afterwards, once each, on every processor.
	 */
	capcv = (size_t)np * 2 + 16;
	cvp = xcalloc(capcv, sizeof(*cvp));
	cstart = xcalloc((size_t)np + 1, sizeof(*cstart));
	for (j = 0; j < np; j++) {
		p = par[j]->p;
		cstart[j] = ncv;
		for (l = 0; l < p->nchildren; l++) {
			st = p->children[l].student;
			if (st->deleted)
				continue;
			if (st->profile == PROFILE_STUDENT && st->nlinks >= 2)
				join_by_student(c, &idx, akey, up, st, j);
			if (!links_as_parent(c, st, p))
				continue;
			if (ncv == capcv) {
				capcv *= 2;
				cvp = xreallocarray(cvp, capcv, sizeof(*cvp));
			}
			cvp[ncv++] = st;
		}
	}
	cstart[np] = ncv;
	todo = xcalloc(ncv + 1, sizeof(*todo));
	pm_reserve(&pend, ncv);
	for (i = ntodo = 0; i < ncv; i++)
		if (pm_get(&c->keyof, cvp[i]) == 0 &&
		    pm_get(&pend, cvp[i]) == 0) {
			pm_put(&pend, cvp[i], 1);
			todo[ntodo++] = cvp[i];
		}
	ck = arena_calloc(&c->a, ntodo + 1, sizeof(*ck));
	w.who = todo;
	w.keys = ck;
	w.akey = NULL;
	par_for(ntodo, PAR_MIN, hh_keys, &w);
	for (i = 0; i < ntodo; i++)
		pm_put(&c->keyof, todo[i], (uintptr_t)&ck[i]);
	cv = xcalloc(ncv + 1, sizeof(*cv));
	for (i = 0; i < ncv; i++)
		cv[i] = (const struct pkey *)pm_get(&c->keyof, cvp[i]);
	pm_free(&pend);
	free(todo);
	free(cvp);

	/*
	 * Number the households in selection order, gather members.  A
	 * root is its set's smallest index, so it is numbered before any
	 * other member and hh[] can serve roots and members alike.
	 */
	hh = xcalloc(np, sizeof(*hh));
	cnt = xcalloc(np + 1, sizeof(*cnt));
	for (j = 0; j < np; j++)
		hh[j] = NORANK;
	for (j = 0; j < np; j++) {
		h = uf_find(up, j);
		if (hh[h] == NORANK)
			hh[h] = nh++;
		hh[j] = hh[h];
		cnt[hh[j]]++;
	}
	start = xcalloc(nh + 1, sizeof(*start));
	for (h = 0; h < nh; h++)
		start[h + 1] = start[h] + cnt[h];
	memb = xcalloc(np, sizeof(*memb));
	memset(cnt, 0, (np + 1) * sizeof(*cnt));
	for (j = 0; j < np; j++)
		memb[start[hh[j]] + cnt[hh[j]]++] = j;

	/*
	 * Each household's guardians, gv[start[h]..start[h + 1]), and
	 * children, chv[hst[h]..hst[h + 1]), both in letter order.  The
	 * children of a household are at most its members' entries of
	 * cv, so ncv bounds them all.
	 */
	gv = xcalloc(np, sizeof(*gv));
	go = xcalloc(np, sizeof(*go));
	chv = xcalloc(ncv + 1, sizeof(*chv));
	hst = xcalloc((size_t)nh + 1, sizeof(*hst));
	for (h = 0; h < nh; h++) {
		/* Every child of any guardian, whatever the classes. */
		ch = chv + hst[h];
		nch = 0;
		for (m = start[h]; m < start[h + 1]; m++) {
			j = memb[m];
			for (l = 0; l < cstart[j + 1] - cstart[j]; l++) {
				k = cv[cstart[j] + l];
				for (i = 0; i < nch; i++)
					if (ch[i] == k)
						break;
				if (i == nch)
					ch[nch++] = k;
			}
		}
		/* A guardian may have no child left (a manual parent). */
		if (nch > 1)
			qsort(ch, nch, sizeof(*ch), child_cmp);
		hst[h + 1] = hst[h] + nch;

		/* Guardians in the order of the first child's links. */
		ng = start[h + 1] - start[h];
		for (i = 0; i < ng; i++) {
			go[i].k = par[memb[start[h] + i]];
			go[i].rank = NORANK;
			if (nch == 0)
				continue;
			st = ch[0]->p;
			for (l = 0; l < st->nlinks; l++) {
				if (st->links[l].rel == go[i].k->p) {
					go[i].rank = l;
					break;
				}
			}
		}
		if (ng > 1)
			qsort(go, ng, sizeof(*go), gord_cmp);
		for (i = 0; i < ng; i++)
			gv[start[h] + i] = go[i].k;
	}

	/* The address blocks, on every processor; then the letters. */
	if (can_post(c)) {
		addr = xcalloc((size_t)nh + 1, sizeof(*addr));
		w.gv = gv;
		w.gst = start;
		w.addr = addr;
		par_for(nh, PAR_MIN, hh_addresses, &w);
	}
	for (h = 0; h < nh; h++)
		route_household(c, gv + start[h], start[h + 1] - start[h],
		    chv + hst[h], hst[h + 1] - hst[h], akey[memb[start[h]]],
		    addr != NULL ? &addr[h] : NULL);

	free(addr);
	free(hst);
	free(chv);
	free(cv);
	free(cstart);
	free(go);
	free(gv);
	free(memb);
	free(start);
	free(cnt);
	free(hh);
	free(up);
	free(akey);
	pm_free(&idx);
	free(par);
}

/* --- sorting and grouping ------------------------------------------- */

static int
item_cmp(const void *a, const void *b)
{
	const struct item	*x = *(const struct item *const *)a;
	const struct item	*y = *(const struct item *const *)b;
	size_t			 i;
	int			 r;

	if (x->l.section != y->l.section)
		return x->l.section < y->l.section ? -1 : 1;
	if (x->srank != y->srank)
		return x->srank < y->srank ? -1 : 1;
	if (x->crank != y->crank)
		return x->crank < y->crank ? -1 : 1;
	if (x->sub != y->sub)
		return x->sub < y->sub ? -1 : 1;
	if (x->abroad != y->abroad)
		return x->abroad < y->abroad ? -1 : 1;
	for (i = 0; i < NKEYS; i++)
		if ((r = strcmp(nz(x->k[i]), nz(y->k[i]))) != 0)
			return r;
	if (x->ord != y->ord)
		return x->ord < y->ord ? -1 : 1;
	return 0;
}

static int
same_group(const struct item *x, const struct item *y)
{
	if (x->l.section != y->l.section)
		return 0;
	switch (x->l.section) {
	case SECTION_CLASS:
		return x->srank == y->srank && x->crank == y->crank &&
		    x->l.school == y->l.school;
	case SECTION_STAFF:
		return x->srank == y->srank && x->l.school == y->l.school;
	default:
		return 1;
	}
}

/*
 * Append s to a label: [A-Za-z0-9_-] kept, anything else one _ (one per
 * character, not per byte), cut to fit.
 */
static void
label_add(char *label, size_t size, const char *s)
{
	size_t		 n = strlen(label);
	unsigned char	 ch;

	for (; *s != '\0' && n + 1 < size; s++) {
		ch = (unsigned char)*s;
		if ((ch & 0xC0) == 0x80)
			continue;
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			ch = '_';
		label[n++] = (char)ch;
	}
	label[n] = '\0';
}

static void
group_label(struct batch_group *g, int prefix)
{
	g->label[0] = '\0';
	if (g->section == SECTION_MAIL) {
		label_add(g->label, sizeof(g->label), "MAIL");
		return;
	}
	if (prefix) {
		label_add(g->label, sizeof(g->label), g->school == NULL ?
		    "-" : g->school->uai != NULL ? g->school->uai :
		    g->school->id);
		label_add(g->label, sizeof(g->label), "-");
	}
	if (g->section == SECTION_STAFF)
		label_add(g->label, sizeof(g->label), "STAFF");
	else if (g->cls == NULL)
		label_add(g->label, sizeof(g->label), "SANS-CLASSE");
	else
		label_add(g->label, sizeof(g->label), g->cls->code);
}

static void
assemble(struct ctx *c)
{
	struct batch_run	*run = c->run;
	struct batch_group	*g = NULL;
	struct item		**v;
	struct letter		*l;
	const struct dir_school	*sch = NULL;
	size_t			 i, ng = 0;
	int			 several = 0, any = 0;

	v = xcalloc(c->nitems + 1, sizeof(*v));
	for (i = 0; i < c->nitems; i++)
		v[i] = &c->items[i];
	par_sort(v, c->nitems, sizeof(*v), PAR_MIN, item_cmp);

	/* The pool is complete: slices can now be pointed at. */
	run->personv = c->pool;
	c->pool = NULL;
	run->letterv = xcalloc(c->nitems + 1, sizeof(*run->letterv));
	run->nletterv = c->nitems;
	run->groups = xcalloc(c->nitems + 1, sizeof(*run->groups));
	for (i = 0; i < c->nitems; i++) {
		l = &run->letterv[i];
		*l = v[i]->l;
		l->accounts = l->naccounts > 0 ? run->personv + v[i]->acc :
		    NULL;
		l->children = l->nchildren > 0 ? run->personv + v[i]->ch :
		    NULL;
		if (i == 0 || !same_group(v[i - 1], v[i])) {
			g = &run->groups[ng++];
			g->section = l->section;
			g->school = l->section == SECTION_MAIL ? NULL :
			    l->school;
			g->cls = l->section == SECTION_CLASS ? l->cls : NULL;
			g->letters = l;
		}
		g->nletters++;
		l->seq = (uint32_t)g->nletters;
		if (l->section == SECTION_CLASS) {
			if (l->via_class)
				g->nparents++;
			else if (l->accounts[0]->profile == PROFILE_GUEST)
				g->nguests++;
			else
				g->nstudents++;
		}
		run->nletters[l->section]++;
		run->naccounts += l->naccounts;
		if (l->posted) {
			run->nposted++;
			if (l->addr.abroad)
				run->nabroad++;
		}
	}
	run->ngroups = ng;
	free(v);

	/* A school prefix in labels only when several schools print. */
	for (i = 0; i < ng; i++) {
		if (run->groups[i].section == SECTION_MAIL)
			continue;
		if (!any) {
			sch = run->groups[i].school;
			any = 1;
		} else if (run->groups[i].school != sch)
			several = 1;
	}
	for (i = 0; i < ng; i++)
		group_label(&run->groups[i], several);
}

/*
 * The deposit summary: posted letters per département, abroad as ZZ,
 * counted as the households were routed; the codes have distinct
 * ranks, so the order does not depend on the counting's.
 */
static void
departments(struct batch_run *run)
{
	if (run->ndepts > 1)
		qsort(run->depts, run->ndepts, sizeof(*run->depts), dept_cmp);
}

int
batch_build(const struct directory *d, const struct selection *sel,
    const struct batch_opts *o, struct batch_run *run)
{
	struct ctx		 c;
	struct dir_person	*p;
	size_t			 i;

	memset(run, 0, sizeof(*run));
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.o = o;
	c.run = run;
	c.sections = o->sections != 0 ? o->sections : BATCH_ALL;
	arena_init(&c.a);
	for (i = 0; i < PAR_MAX; i++) {
		arena_init(&c.pa[i]);
		buf_init(&c.pb[i]);
	}
	buf_init(&c.tmp2);
	/* A class or mail run keys nearly everyone it selected. */
	if ((c.sections & (BATCH_CLASS | BATCH_MAIL)) != 0)
		pm_reserve(&c.keyof, sel->n);

	c.parents = xcalloc(sel->n + 1, sizeof(*c.parents));
	for (i = 0; i < sel->n; i++) {
		p = sel->v[i];
		/* Guardians go by household, below: gathered on the way. */
		if (p->profile == PROFILE_PARENT)
			c.parents[c.nparents++] = p;
		if (p->deleted)
			continue;
		switch (p->profile) {
		case PROFILE_STUDENT:
			route_class(&c, p, SUB_STUDENT);
			break;
		case PROFILE_TEACHER:
			route_staff(&c, p, SUB_TEACHER);
			break;
		case PROFILE_STAFF:
			route_staff(&c, p, SUB_STAFF);
			break;
		case PROFILE_GUEST:
			if (first_class(p) != NULL)
				route_class(&c, p, SUB_GUEST_CLASS);
			else
				route_staff(&c, p, SUB_GUEST_STAFF);
			break;
		default:
			/* Parents: by household, below. */
			break;
		}
	}
	households(&c);
	if (c.nwindowless > 0)
		diag(DIAG_HOUSEHOLD_VIA_CLASS, NULL, "%u households: the "
		    "layout has no address window and the class batch is "
		    "not printed, their letters are left out of this run",
		    c.nwindowless);

	assemble(&c);
	departments(run);

	free(c.items);
	free(c.pool);
	free(c.parents);
	pm_free(&c.keyof);
	buf_free(&c.tmp2);
	for (i = 0; i < PAR_MAX; i++) {
		arena_free(&c.pa[i]);
		buf_free(&c.pb[i]);
	}
	arena_free(&c.a);
	return 0;
}

void
batch_free(struct batch_run *run)
{
	size_t	 i;

	for (i = 0; i < run->nletterv; i++)
		addr_out_free(&run->letterv[i].addr);
	free(run->letterv);
	free(run->personv);
	free(run->groups);
	free(run->depts);
	memset(run, 0, sizeof(*run));
}
