/*
 * select: the SELECTION criteria over the resolved directory.  See
 * select.h for the rules; the order of the result is the listing order:
 * by profile (students, teachers, staff, parents, guests), school, first
 * class in natural order, then accent-folded last and first name.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collate.h"
#include "directory.h"
#include "mem.h"
#include "par.h"
#include "select.h"

static const char *const state_names[] = {
	"inactive", "active", "deleted", "expired"
};

const char *
acct_state_name(enum acct_state s)
{
	return state_names[s];
}

void
sel_opts_init(struct sel_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->state = SEL_STATE_INACTIVE;
	o->origin = SEL_ORIGIN_ALL;
	o->relatives = RELATIVES_LEGAL1;
}

static void
free_list(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
sel_opts_free(struct sel_opts *o)
{
	free_list(o->levels, o->nlevels);
	free_list(o->classes, o->nclasses);
	free_list(o->schools, o->nschools);
	sel_opts_init(o);
}

/* Add a comma-separated option value; empty items are refused. */
int
sel_opts_add(char ***v, size_t *n, const char *arg)
{
	const char	*p, *e;

	for (p = arg;; p = e + 1) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if (e == p)
			return -1;
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		(*v)[(*n)++] = xstrndup(p, (size_t)(e - p));
		if (*e == '\0')
			return 0;
	}
}

static int
in_list(char **v, size_t n, const char *s)
{
	size_t	 i;

	if (s == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int
school_matches(const struct sel_opts *o, const struct dir_school *s)
{
	if (o->nschools == 0)
		return 1;
	return s != NULL &&
	    (in_list(o->schools, o->nschools, s->uai) ||
	     in_list(o->schools, o->nschools, s->id));
}

/* Does a student match the class, level and school criteria? */
int
select_student_matches(const struct sel_opts *o, const struct dir_person *p)
{
	uint32_t	 i;
	int		 ok;

	if (p->deleted)
		return 0;
	if (o->nlevels > 0 && !in_list(o->levels, o->nlevels, p->level) &&
	    !in_list(o->levels, o->nlevels, p->mef_label))
		return 0;
	if (o->nclasses == 0)
		return school_matches(o, p->school);
	for (i = 0, ok = 0; i < p->ncls && !ok; i++)
		ok = in_list(o->classes, o->nclasses, p->cls[i]->code) &&
		    school_matches(o, p->cls[i]->school);
	return ok;
}

/* Does a class match?  Its level is any of its students' levels. */
int
select_class_matches(const struct sel_opts *o, const struct dir_class *c)
{
	uint32_t	 i;
	int		 ok;

	if (!school_matches(o, c->school))
		return 0;
	if (o->nclasses > 0 && !in_list(o->classes, o->nclasses, c->code))
		return 0;
	if (o->nlevels == 0)
		return 1;
	for (i = 0, ok = 0; i < c->nstudents && !ok; i++)
		ok = !c->students[i]->deleted &&
		    (in_list(o->levels, o->nlevels, c->students[i]->level) ||
		     in_list(o->levels, o->nlevels, c->students[i]->mef_label));
	return ok;
}

static int
parent_matches(const struct sel_opts *o, const struct dir_person *p)
{
	const struct dir_person	*st;
	uint32_t		 i, j;

	for (i = 0; i < p->nchildren; i++) {
		st = p->children[i].student;
		if (!select_student_matches(o, st))
			continue;
		/* The link must make p a parent under --relatives. */
		for (j = 0; j < st->nlinks; j++)
			if (st->links[j].rel == p &&
			    dir_link_is_parent(&st->links[j], o->relatives))
				return 1;
	}
	return 0;
}

static int
educnat_matches(const struct sel_opts *o, const struct dir_person *p)
{
	uint32_t	 i;

	if (o->nclasses == 0 && o->nlevels == 0) {
		if (o->nschools == 0)
			return 1;
		for (i = 0; i < p->nschools; i++)
			if (school_matches(o, p->schools[i]))
				return 1;
		return school_matches(o, p->school);
	}
	for (i = 0; i < p->ncls; i++)
		if (select_class_matches(o, p->cls[i]))
			return 1;
	for (i = 0; i < p->npp_of; i++)
		if (select_class_matches(o, p->pp_of[i]))
			return 1;
	return 0;
}

static int
manual_matches(const struct sel_opts *o, const struct dir_person *p)
{
	uint32_t	 i;

	if (o->nlevels > 0)
		return 0;
	if (o->nclasses > 0) {
		for (i = 0; i < p->ncls; i++)
			if (select_class_matches(o, p->cls[i]))
				return 1;
		return 0;
	}
	return o->nschools == 0 || school_matches(o, p->school);
}

static int
state_matches(const struct sel_opts *o, const struct dir_person *p)
{
	enum acct_state	 s;

	s = o->state_of != NULL ? o->state_of(o->state_arg, p) :
	    STATE_INACTIVE;
	switch (o->state) {
	case SEL_STATE_INACTIVE:
		return s == STATE_INACTIVE || s == STATE_EXPIRED;
	case SEL_STATE_ACTIVE:
		return s == STATE_ACTIVE;
	case SEL_STATE_EXPIRED:
		return s == STATE_EXPIRED;
	case SEL_STATE_ALL:
		return s != STATE_DELETED;
	}
	return 0;
}

static int
person_matches(const struct sel_opts *o, const struct dir_person *p)
{
	if (p->deleted || p->profile == PROFILE_NONE)
		return 0;
	if (o->profiles != 0 && (o->profiles & (1u << p->profile)) == 0)
		return 0;
	if (o->origin == SEL_ORIGIN_AAF && p->origin != ORIGIN_AAF)
		return 0;
	if (o->origin == SEL_ORIGIN_MANUAL && p->origin != ORIGIN_MANUAL)
		return 0;
	if (p->origin == ORIGIN_MANUAL) {
		if (!manual_matches(o, p))
			return 0;
	} else {
		switch (p->profile) {
		case PROFILE_STUDENT:
			if (!select_student_matches(o, p))
				return 0;
			break;
		case PROFILE_PARENT:
			if (!parent_matches(o, p))
				return 0;
			break;
		case PROFILE_TEACHER:
		case PROFILE_STAFF:
			if (!educnat_matches(o, p))
				return 0;
			break;
		default:
			return 0;
		}
	}
	return state_matches(o, p);
}

/* Sort key material, computed once per selected person. */
/*
 * What the selection sorts on, copied out of the person: the sort then
 * reads this array alone, not tens of thousands of persons scattered
 * through the model, until two keys tie on the names.
 */
struct sel_key {
	struct dir_person	*p;
	uint32_t		 profile;
	uint32_t		 school;	/* rank of its UAI, see below */
	uint32_t		 cls;		/* class rank, 0 none */
	char			*last;
	char			*first;
};

/* The string a person's school sorts on: UAI, else jointure, else "". */
static const char *
school_key(const struct dir_school *s)
{
	if (s == NULL)
		return "";
	return s->uai != NULL ? s->uai : s->id;
}

static int
school_key_cmp(const void *a, const void *b)
{
	return strcmp(school_key(*(const struct dir_school *const *)a),
	    school_key(*(const struct dir_school *const *)b));
}

/*
 * The order of school keys as numbers, indexed by the schools' rank in
 * the directory, with the rank of "" (no school) at [nschools]: equal
 * keys get equal numbers, so comparing the numbers is comparing the
 * strings, which the sort would otherwise do for each of its n log n
 * comparisons.
 */
static uint32_t *
school_order(const struct directory *d)
{
	const struct dir_school	**v;
	uint32_t		 *rk, r = 0;
	size_t			  i, n = d->nschools;

	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = d->schools[i];
	v[n] = NULL;
	qsort(v, n + 1, sizeof(*v), school_key_cmp);
	rk = xcalloc(n + 1, sizeof(*rk));
	for (i = 0; i <= n; i++) {
		if (i > 0 &&
		    strcmp(school_key(v[i - 1]), school_key(v[i])) != 0)
			r++;
		rk[v[i] != NULL ? v[i]->rank : n] = r;
	}
	free(v);
	return rk;
}

static const struct dir_school *
home_school(const struct dir_person *p)
{
	if (p->school != NULL)
		return p->school;
	if (p->ncls > 0)
		return p->cls[0]->school;
	if (p->nchildren > 0)
		return home_school(p->children[0].student);
	return NULL;
}

/*
 * The sort moves pointers to the keys: qsort copies what it sorts, and
 * a pointer moves cheaper than the key.
 */
static int
key_cmp(const void *a, const void *b)
{
	const struct sel_key	*k = *(const struct sel_key *const *)a;
	const struct sel_key	*l = *(const struct sel_key *const *)b;
	int			 c;

	if (k->profile != l->profile)
		return k->profile < l->profile ? -1 : 1;
	if (k->school != l->school)
		return k->school < l->school ? -1 : 1;
	if (k->cls != l->cls)
		return k->cls < l->cls ? -1 : 1;
	if ((c = strcmp(k->last, l->last)) != 0)
		return c;
	if ((c = strcmp(k->first, l->first)) != 0)
		return c;
	return strcmp(k->p->id, l->p->id);
}

/* The collation keys of the selected, per par_for() part. */
struct sel_keying {
	struct sel_key	*keys;
	struct arena	 a[PAR_MAX];
};

/* Below this many selected, one thread: a class, a reissue. */
#define SEL_PAR_MIN	512

static void
name_keys(void *v, int part, size_t lo, size_t hi)
{
	struct sel_keying	*w = v;
	const struct dir_person	*p;
	size_t			 i;

	for (i = lo; i < hi; i++) {
		p = w->keys[i].p;
		w->keys[i].last = collate_key_arena(&w->a[part],
		    p->last_name != NULL ? p->last_name : "");
		w->keys[i].first = collate_key_arena(&w->a[part],
		    p->first_name != NULL ? p->first_name : "");
	}
}

int
select_run(const struct directory *d, const struct sel_opts *o,
    struct selection *out)
{
	struct sel_key		*keys, **kv;
	struct sel_keying	 w;
	const struct dir_school	*s;
	uint32_t		*sorder;
	size_t			 i, n = 0;
	struct dir_person	*p;

	sorder = school_order(d);
	keys = xcalloc(d->npersons == 0 ? 1 : d->npersons, sizeof(*keys));
	for (i = 0; i < d->npersons; i++) {
		p = d->persons[i];
		if (!person_matches(o, p))
			continue;
		keys[n].p = p;
		keys[n].profile = (uint32_t)p->profile;
		s = home_school(p);
		keys[n].school = sorder[s != NULL ? s->rank : d->nschools];
		keys[n].cls = p->profile == PROFILE_STUDENT && p->ncls > 0 ?
		    p->cls[0]->rank + 1 : 0;
		n++;
	}
	/* The names' keys and the sort, on every processor (par.h). */
	w.keys = keys;
	for (i = 0; i < PAR_MAX; i++)
		arena_init(&w.a[i]);
	par_for(n, SEL_PAR_MIN, name_keys, &w);
	kv = xcalloc(n == 0 ? 1 : n, sizeof(*kv));
	for (i = 0; i < n; i++)
		kv[i] = &keys[i];
	par_sort(kv, n, sizeof(*kv), SEL_PAR_MIN, key_cmp);
	out->v = xcalloc(n == 0 ? 1 : n, sizeof(*out->v));
	out->n = n;
	for (i = 0; i < n; i++)
		out->v[i] = kv[i]->p;
	free(kv);
	free(keys);
	free(sorder);
	for (i = 0; i < PAR_MAX; i++)
		arena_free(&w.a[i]);
	return 0;
}

void
selection_free(struct selection *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
