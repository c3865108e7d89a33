/*
 * directory: applying AAF records and resolving them into a linked model.
 *
 * directory_apply() is called once per request the reader delivers, in
 * file order; it only stores field values (a modifyRequest replaces the
 * fields it names, a deleteRequest marks the object deleted).
 * directory_resolve() then runs once: it parses the $-separated values,
 * decides profiles (the entcore rule for PersEducNat), creates the
 * classes named by schools, students and teachers, and links students to
 * relatives and classes to head teachers.  Every problem found while
 * linking is a warning that names the person and says what was done.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collate.h"
#include "diag.h"
#include "directory.h"
#include "mem.h"

static const char *const profile_names[PROFILE__MAX] = {
	"none", "student", "teacher", "staff", "parent", "guest"
};

static const char *const cat_names[CAT__MAX] = {
	"none", "Eleve", "PersRelEleve", "PersEducNat", "EtabEducNat",
	"MatiereEducNat", "MefEducNat", "manual"
};

const char *
dir_profile_name(enum dir_profile p)
{
	return profile_names[p];
}

enum dir_profile
dir_profile_from_name(const char *s)
{
	int	 i;

	for (i = PROFILE_STUDENT; i < PROFILE__MAX; i++)
		if (strcmp(s, profile_names[i]) == 0)
			return (enum dir_profile)i;
	return PROFILE_NONE;
}

const char *
dir_cat_name(enum dir_cat c)
{
	return cat_names[c];
}

void
directory_init(struct directory *d)
{
	int	 i;

	memset(d, 0, sizeof(*d));
	arena_init(&d->arena);
	strtab_init(&d->strs, &d->arena);
	for (i = 0; i < CAT__MAX; i++)
		hmap_init(&d->ids[i]);
	hmap_init(&d->class_map);
}

void
directory_free(struct directory *d)
{
	size_t	 i;
	int	 c;

	for (i = 0; i < d->nclasses; i++) {
		free(d->classes[i]->students);
		free(d->classes[i]->teachers);
		free(d->classes[i]->pp);
	}
	for (i = 0; i < d->nschools; i++)
		free(d->schools[i]->classes);
	free(d->persons);
	free(d->schools);
	free(d->classes);
	for (c = 0; c < CAT__MAX; c++)
		hmap_free(&d->ids[c]);
	hmap_free(&d->class_map);
	strtab_free(&d->strs);
	arena_free(&d->arena);
	memset(d, 0, sizeof(*d));
}

const char *
directory_intern(struct directory *d, const char *s)
{
	return strtab_intern(&d->strs, s);
}

/* Append p to a malloc'd pointer vector that grows by doubling. */
static void
vec_push(void ***vec, uint32_t *n, uint32_t *cap, void *p)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		*vec = xreallocarray(*vec, *cap, sizeof(**vec));
	}
	(*vec)[(*n)++] = p;
}

static void
vec_push_sz(void ***vec, size_t *n, size_t *cap, void *p)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 64 : *cap * 2;
		*vec = xreallocarray(*vec, *cap, sizeof(**vec));
	}
	(*vec)[(*n)++] = p;
}

/* --- applying records ----------------------------------------------- */

/* The first non-empty value, copied (and interned when repetitive). */
static const char *
one_value(struct directory *d, const struct dir_attr *a, int intern)
{
	if (a->nvalues == 0 || a->values[0][0] == '\0')
		return NULL;
	return intern ? strtab_intern(&d->strs, a->values[0]) :
	    arena_strdup(&d->arena, a->values[0]);
}

/*
 * Every non-empty value.  Class, function and head-teacher values repeat
 * across persons and are interned; relative links are nearly all unique
 * and are copied.
 */
static void
many_values(struct directory *d, const struct dir_attr *a, struct strv *sv,
    int intern)
{
	uint32_t	 i, n;

	for (i = n = 0; i < a->nvalues; i++)
		if (a->values[i][0] != '\0')
			n++;
	sv->n = 0;
	sv->v = NULL;
	if (n == 0)
		return;
	sv->v = arena_alloc(&d->arena, n * sizeof(*sv->v));
	for (i = 0; i < a->nvalues; i++)
		if (a->values[i][0] != '\0')
			sv->v[sv->n++] = intern ?
			    strtab_intern(&d->strs, a->values[i]) :
			    arena_strdup(&d->arena, a->values[i]);
}

static struct dir_raw *
raw_of(struct directory *d, struct dir_person *p)
{
	if (p->raw == NULL)
		p->raw = arena_calloc(&d->arena, 1, sizeof(*p->raw));
	return p->raw;
}

/* O/N flags fit in one byte; anything else counts as absent. */
static char
flag_value(const struct dir_attr *a)
{
	char	 c;

	if (a->nvalues == 0)
		return 0;
	c = a->values[0][0];
	return c == 'O' || c == 'o' ? 'O' : c == 'N' || c == 'n' ? 'N' : 0;
}

static void
person_set(struct directory *d, struct dir_person *p, const struct dir_attr *a)
{
	switch (a->field) {
	case FIELD_LAST_NAME:
		p->last_name = one_value(d, a, 0);
		break;
	case FIELD_FIRST_NAME:
		p->first_name = one_value(d, a, 0);
		break;
	case FIELD_TITLE:
		p->title = one_value(d, a, 1);
		break;
	case FIELD_MAIL:
		p->mail = one_value(d, a, 0);
		break;
	case FIELD_SCHOOL:
		p->school_id = one_value(d, a, 1);
		break;
	case FIELD_ADDRESS:
		p->address = one_value(d, a, 0);
		break;
	case FIELD_POSTCODE:
		p->postcode = one_value(d, a, 1);
		break;
	case FIELD_CITY:
		p->city = one_value(d, a, 1);
		break;
	case FIELD_COUNTRY:
		p->country = one_value(d, a, 1);
		break;
	case FIELD_LEVEL:
		p->level = one_value(d, a, 1);
		break;
	case FIELD_MEF_LABEL:
		p->mef_label = one_value(d, a, 1);
		break;
	case FIELD_PRESENCE:
		p->presence = flag_value(a);
		break;
	case FIELD_TEACHER_CAT:
		p->teacher_cat = flag_value(a);
		break;
	case FIELD_CLASSES:
		many_values(d, a, &raw_of(d, p)->classes, 1);
		break;
	case FIELD_RELATIVES:
		many_values(d, a, &raw_of(d, p)->relatives, 0);
		break;
	case FIELD_AUTHORITY:
		many_values(d, a, &raw_of(d, p)->authority, 0);
		break;
	case FIELD_REL_STUDENTS:
		many_values(d, a, &raw_of(d, p)->rel_students, 0);
		break;
	case FIELD_FUNCTIONS:
		many_values(d, a, &raw_of(d, p)->functions, 1);
		break;
	case FIELD_TEACH_CLASSES:
		many_values(d, a, &raw_of(d, p)->teach_classes, 1);
		break;
	case FIELD_TEACH_CLASSMAT:
		many_values(d, a, &raw_of(d, p)->teach_classmat, 1);
		break;
	case FIELD_HEAD_TEACHER:
		many_values(d, a, &raw_of(d, p)->head_of, 1);
		break;
	default:
		/* Fields of other categories: not ours to keep. */
		break;
	}
}

static void
school_set(struct directory *d, struct dir_school *s, const struct dir_attr *a)
{
	switch (a->field) {
	case FIELD_UAI:
		s->uai = one_value(d, a, 1);
		break;
	case FIELD_SCHOOL_NAME:
		s->name = one_value(d, a, 0);
		break;
	case FIELD_SCHOOL_TYPE:
		s->type = one_value(d, a, 1);
		break;
	case FIELD_STREET:
		s->street = one_value(d, a, 0);
		break;
	case FIELD_POSTALCODE:
		s->postcode = one_value(d, a, 1);
		break;
	case FIELD_LOCALITY:
		s->city = one_value(d, a, 1);
		break;
	case FIELD_PHONE:
		s->phone = one_value(d, a, 0);
		break;
	case FIELD_SCHOOL_MAIL:
		s->mail = one_value(d, a, 0);
		break;
	case FIELD_SCHOOL_CLASSES:
		many_values(d, a, &s->raw_classes, 1);
		break;
	default:
		break;
	}
}

static void
nomen_set(struct directory *d, struct dir_nomen *m, const struct dir_attr *a)
{
	if (a->field == FIELD_LABEL)
		m->label = one_value(d, a, 1);
	else if (a->field == FIELD_LEVEL)
		m->level = one_value(d, a, 1);
}

static struct dir_school *
school_new(struct directory *d, const char *id)
{
	struct dir_school	*s;

	s = arena_calloc(&d->arena, 1, sizeof(*s));
	s->id = strtab_intern(&d->strs, id);
	hmap_put(&d->ids[CAT_ETAB], s->id, s);
	vec_push_sz((void ***)&d->schools, &d->nschools, &d->cap_schools, s);
	return s;
}

static struct dir_person *
person_new(struct directory *d, enum dir_cat cat, const char *id)
{
	struct dir_person	*p;

	p = arena_calloc(&d->arena, 1, sizeof(*p));
	p->id = arena_strdup(&d->arena, id);
	p->cat = cat;
	hmap_put(&d->ids[cat], p->id, p);
	vec_push_sz((void ***)&d->persons, &d->npersons, &d->cap_persons, p);
	return p;
}

/* An addRequest over a known id starts the object afresh. */
static void
person_clear(struct dir_person *p)
{
	struct dir_person	 keep = *p;

	memset(p, 0, sizeof(*p));
	p->id = keep.id;
	p->cat = keep.cat;
	p->origin = keep.origin;
}

static void
school_clear(struct dir_school *s)
{
	struct dir_school	 keep = *s;

	memset(s, 0, sizeof(*s));
	s->id = keep.id;
}

/*
 * Apply one record.  Returns 0 when it was applied, -1 when it was
 * rejected (already diagnosed).
 */
int
directory_apply(struct directory *d, const struct dir_record *r)
{
	struct diag_pos		 pos = { r->src.file, r->src.line, 0 };
	struct dir_person	*p;
	struct dir_school	*s;
	struct dir_nomen	*m;
	void			*old;
	size_t			 i;

	d->stats.records++;
	old = hmap_get(&d->ids[r->cat], r->id);

	if (r->op == OP_DELETE) {
		if (old == NULL) {
			diag(DIAG_DELETE_UNKNOWN, &pos, "%s %s",
			    dir_cat_name(r->cat), r->id);
			return 0;
		}
		if (r->cat == CAT_ETAB)
			((struct dir_school *)old)->deleted = 1;
		else if (r->cat != CAT_MATIERE && r->cat != CAT_MEF)
			((struct dir_person *)old)->deleted = 1;
		d->stats.deleted++;
		return 0;
	}

	if (old != NULL && r->op == OP_ADD && !r->delta)
		diag(DIAG_DUP_RECORD, &pos, "%s %s", dir_cat_name(r->cat),
		    r->id);
	if (old == NULL && r->op == OP_MODIFY)
		diag(DIAG_MODIFY_UNKNOWN, &pos, "%s %s", dir_cat_name(r->cat),
		    r->id);
	if (r->op == OP_ADD)
		d->stats.added++;
	else
		d->stats.modified++;

	for (i = 0; i < r->nattrs; i++) {
		if (r->attrs[i].field != FIELD_JOINTURE)
			continue;
		if (r->attrs[i].nvalues > 0 && r->attrs[i].values[0][0] != '\0' &&
		    strcmp(r->attrs[i].values[0], r->id) != 0) {
			pos.line = r->attrs[i].line;
			diag(DIAG_ID_MISMATCH, &pos, "%s %s, jointure %s",
			    dir_cat_name(r->cat), r->id, r->attrs[i].values[0]);
			pos.line = r->src.line;
		}
	}

	switch (r->cat) {
	case CAT_ETAB:
		if ((s = old) == NULL)
			s = school_new(d, r->id);
		else if (r->op == OP_ADD)
			school_clear(s);
		s->deleted = 0;
		s->in_export = 1;
		s->src = r->src;
		for (i = 0; i < r->nattrs; i++)
			school_set(d, s, &r->attrs[i]);
		break;
	case CAT_MATIERE:
	case CAT_MEF:
		if ((m = old) == NULL) {
			m = arena_calloc(&d->arena, 1, sizeof(*m));
			m->id = strtab_intern(&d->strs, r->id);
			hmap_put(&d->ids[r->cat], m->id, m);
		}
		for (i = 0; i < r->nattrs; i++)
			nomen_set(d, m, &r->attrs[i]);
		break;
	case CAT_ELEVE:
	case CAT_PERSRELELEVE:
	case CAT_PERSEDUCNAT:
		if ((p = old) == NULL)
			p = person_new(d, r->cat, r->id);
		else if (r->op == OP_ADD)
			person_clear(p);
		p->deleted = 0;
		p->src = r->src;
		for (i = 0; i < r->nattrs; i++)
			person_set(d, p, &r->attrs[i]);
		break;
	default:
		abort();
	}
	return 0;
}

struct dir_person *
directory_add_manual(struct directory *d, enum dir_profile profile,
    const char *key, const struct dir_src *src)
{
	struct dir_person	*p;

	if ((p = hmap_get(&d->ids[CAT_MANUAL], key)) == NULL)
		p = person_new(d, CAT_MANUAL, key);
	p->origin = ORIGIN_MANUAL;
	p->profile = profile;
	p->src = *src;
	return p;
}

/* --- lookups -------------------------------------------------------- */

struct dir_person *
directory_person(const struct directory *d, enum dir_cat cat, const char *id)
{
	return hmap_get(&d->ids[cat], id);
}

struct dir_school *
directory_school(const struct directory *d, const char *id)
{
	return hmap_get(&d->ids[CAT_ETAB], id);
}

struct dir_school *
directory_school_by_uai(const struct directory *d, const char *uai)
{
	size_t	 i;

	for (i = 0; i < d->nschools; i++)
		if (d->schools[i]->uai != NULL &&
		    strcasecmp(d->schools[i]->uai, uai) == 0)
			return d->schools[i];
	return NULL;
}

struct dir_class *
directory_class(const struct directory *d, const char *school_id,
    const char *code)
{
	struct buf		 key;
	struct dir_class	*c;

	buf_init(&key);
	buf_printf(&key, "%s$%s", school_id, code);
	c = hmap_get(&d->class_map, key.p);
	buf_free(&key);
	return c;
}

/* --- resolving ------------------------------------------------------ */

/* The raw fields of a person, empty ones when it had none. */
static const struct dir_raw	 no_raw;
#define R(p)	((p)->raw != NULL ? (p)->raw : &no_raw)

/*
 * Split a $-separated value into at most max fields, in place in a copy
 * held by the caller's buffer.  Returns the number of fields.
 */
static size_t
split_dollar(struct buf *b, const char *v, const char **f, size_t max)
{
	size_t	 n = 0;
	char	*p;

	buf_reset(b);
	buf_adds(b, v);
	p = b->p;
	f[n++] = p;
	for (; *p != '\0' && n < max; p++)
		if (*p == '$') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

/* The school a jointure names, created as a placeholder if unknown. */
static struct dir_school *
school_ref(struct directory *d, const char *id, const struct dir_src *src)
{
	struct dir_school	*s;
	struct diag_pos		 pos;

	if ((s = hmap_get(&d->ids[CAT_ETAB], id)) != NULL)
		return s;
	s = school_new(d, id);
	s->src = *src;
	pos.file = src->file;
	pos.line = src->line;
	pos.col = 0;
	diag(DIAG_SCHOOL_UNKNOWN, &pos, "%s", id);
	return s;
}

static struct dir_class *
class_ref(struct directory *d, struct dir_school *s, const char *code)
{
	struct buf		 key;
	struct dir_class	*c;
	char			*k;

	/* Not buf_printf: this runs for every student and teacher. */
	buf_init(&key);
	buf_adds(&key, s->id);
	buf_addc(&key, '$');
	buf_adds(&key, code);
	if ((c = hmap_get(&d->class_map, key.p)) == NULL) {
		k = arena_strndup(&d->arena, key.p, key.len);
		c = arena_calloc(&d->arena, 1, sizeof(*c));
		c->school = s;
		c->code = strtab_intern(&d->strs, code);
		hmap_put(&d->class_map, k, c);
		vec_push_sz((void ***)&d->classes, &d->nclasses,
		    &d->cap_classes, c);
		vec_push((void ***)&s->classes, &s->nclasses, &s->cap_classes,
		    c);
	}
	buf_free(&key);
	return c;
}

/*
 * "CLG$DES TROIS RIVIERES$VILLEURBANNE" (new format) or
 * "CLG-LES TILLEULS-ac-LYON" (old): a readable name for listings.
 */
static const char *
school_display_name(struct directory *d, const char *raw)
{
	struct buf	 b;
	const char	*p, *r;

	buf_init(&b);
	for (p = raw; *p != '\0'; p++) {
		if (*p == '$') {
			if (b.len > 0 && b.p[b.len - 1] != ' ')
				buf_addc(&b, ' ');
			continue;
		}
		buf_addc(&b, *p);
	}
	/* Old names end with "-ac-ACADEMY": not part of the name. */
	if (b.len > 0 && (r = strstr(b.p, "-ac-")) != NULL)
		b.len = (size_t)(r - b.p), b.p[b.len] = '\0';
	while (b.len > 0 && b.p[b.len - 1] == ' ')
		b.p[--b.len] = '\0';
	r = arena_strndup(&d->arena, b.len > 0 ? b.p : raw,
	    b.len > 0 ? b.len : strlen(raw));
	buf_free(&b);
	return r;
}

static void
resolve_schools(struct directory *d)
{
	struct buf		 tmp;
	const char		*f[4];
	struct dir_school	*s;
	struct dir_class	*c;
	size_t			 i, n, ns = d->nschools;
	uint32_t		 j;

	buf_init(&tmp);
	for (i = 0; i < ns; i++) {
		s = d->schools[i];
		if (s->deleted)
			continue;
		if (s->name != NULL)
			s->name = school_display_name(d, s->name);
		for (j = 0; j < s->raw_classes.n; j++) {
			n = split_dollar(&tmp, s->raw_classes.v[j], f, 4);
			if (f[0][0] == '\0')
				continue;
			c = class_ref(d, s, f[0]);
			if (n > 1 && f[1][0] != '\0' && c->label == NULL)
				c->label = strtab_intern(&d->strs, f[1]);
			if (n > 2 && f[2][0] != '\0' && c->mef == NULL)
				c->mef = strtab_intern(&d->strs, f[2]);
		}
	}
	buf_free(&tmp);
}

/*
 * A "struct$code..." class reference.  A value without $ (some 1D
 * files) is a class of the person's own school.
 */
static struct dir_class *
class_from_value(struct directory *d, struct dir_person *p, const char *v,
    struct buf *tmp)
{
	const char		*f[3];
	size_t			 n;
	struct dir_school	*s;
	struct diag_pos		 pos = { p->src.file, p->src.line, 0 };

	n = split_dollar(tmp, v, f, 3);
	if (n == 1) {
		if (p->school == NULL) {
			diag(DIAG_BAD_SUBFIELD, &pos, "%s %s: %s",
			    dir_cat_name(p->cat), p->id, v);
			return NULL;
		}
		return class_ref(d, p->school, f[0]);
	}
	if (f[0][0] == '\0' || f[1][0] == '\0') {
		diag(DIAG_BAD_SUBFIELD, &pos, "%s %s: %s",
		    dir_cat_name(p->cat), p->id, v);
		return NULL;
	}
	s = school_ref(d, f[0], &p->src);
	return class_ref(d, s, f[1]);
}

/*
 * Teachers' classes in structures outside the export belong to another
 * export: skipped without a word, unlike a student's own class.
 */
static int
class_school_known(struct directory *d, const char *v)
{
	const char	*dollar;

	if ((dollar = strchr(v, '$')) == NULL)
		return 1;
	return hmap_getn(&d->ids[CAT_ETAB], v, (size_t)(dollar - v)) != NULL;
}

static int
class_in(struct dir_class **v, uint32_t n, const struct dir_class *c)
{
	uint32_t	 i;

	for (i = 0; i < n; i++)
		if (v[i] == c)
			return 1;
	return 0;
}

static void
resolve_student(struct directory *d, struct dir_person *p, struct buf *tmp)
{
	struct dir_class	*c;
	struct diag_pos		 pos = { p->src.file, p->src.line, 0 };
	uint32_t		 i;

	p->profile = PROFILE_STUDENT;
	if (p->school_id != NULL)
		p->school = school_ref(d, p->school_id, &p->src);
	if (R(p)->classes.n > 0)
		p->cls = arena_calloc(&d->arena, R(p)->classes.n, sizeof(*p->cls));
	for (i = 0; i < R(p)->classes.n; i++) {
		if ((c = class_from_value(d, p, R(p)->classes.v[i], tmp)) == NULL)
			continue;
		if (class_in(p->cls, p->ncls, c))
			continue;
		p->cls[p->ncls++] = c;
		vec_push((void ***)&c->students, &c->nstudents,
		    &c->cap_students, p);
		if (p->school == NULL)
			p->school = c->school;
	}
	if (p->ncls == 0)
		diag(DIAG_NO_CLASS, &pos, "student %s", p->id);
}

/* Parse a small unsigned code; -1 if not a number. */
static int
small_code(const char *s)
{
	int	 v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > 1000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > 255 ? -1 : v;
}

static void
add_link(struct directory *d, struct dir_person *st, struct dir_person *rel,
    int lien, int legal, int fin, int contact)
{
	struct dir_link		*l;
	uint32_t		 i;

	for (i = 0; i < st->nlinks; i++) {
		if (st->links[i].rel != rel)
			continue;
		/* The same relative twice: keep the strongest legal tie. */
		l = &st->links[i];
		if (legal == 1 || (legal == 2 && l->legal == 0))
			l->legal = (uint8_t)legal;
		return;
	}
	l = &st->links[st->nlinks++];
	l->rel = rel;
	l->lien = (uint8_t)(lien < 0 ? 0 : lien);
	l->legal = (uint8_t)legal;
	l->financial = (uint8_t)(fin < 0 ? 0 : fin);
	l->contact = (uint8_t)(contact < 0 ? 0 : contact);
}

static struct dir_person *
relative_ref(struct directory *d, struct dir_person *st, const char *id)
{
	struct dir_person	*rel;
	struct diag_pos		 pos = { st->src.file, st->src.line, 0 };

	rel = hmap_get(&d->ids[CAT_PERSRELELEVE], id);
	if (rel == NULL || rel->deleted) {
		diag(DIAG_REL_DANGLING, &pos, "student %s, relative %s",
		    st->id, id);
		return NULL;
	}
	return rel;
}

static void
resolve_links(struct directory *d, struct dir_person *st, struct buf *tmp)
{
	struct diag_pos		 pos = { st->src.file, st->src.line, 0 };
	struct dir_person	*rel;
	const char		*f[6];
	size_t			 n;
	uint32_t		 i, max;
	int			 legal;

	max = R(st)->relatives.n + R(st)->authority.n;
	if (max == 0)
		return;
	/* Room for links from the relative side (1D) is added later. */
	st->links = arena_calloc(&d->arena, max, sizeof(*st->links));
	for (i = 0; i < R(st)->relatives.n; i++) {
		n = split_dollar(tmp, R(st)->relatives.v[i], f, 6);
		legal = n >= 4 ? small_code(f[3]) : -1;
		if (f[0][0] == '\0' || legal < 0 || legal > 2) {
			diag(DIAG_REL_BADFIELD, &pos, "student %s: %s", st->id,
			    R(st)->relatives.v[i]);
			continue;
		}
		if ((rel = relative_ref(d, st, f[0])) == NULL)
			continue;
		add_link(d, st, rel, small_code(f[1]), legal,
		    n >= 3 ? small_code(f[2]) : 0,
		    n >= 5 ? small_code(f[4]) : 0);
	}
	/*
	 * ENTEleveAutoriteParentale (legacy, 1D) lists guardians only; it
	 * counts when the current attribute is absent, as in Laclasse.
	 */
	if (R(st)->relatives.n == 0)
		for (i = 0; i < R(st)->authority.n; i++)
			if ((rel = relative_ref(d, st, R(st)->authority.v[i])) !=
			    NULL)
				add_link(d, st, rel, 0, 1, 0, 0);
}

/* 1D files link from the relative side (ENTPersRelEleveEleve). */
static void
resolve_relative_side(struct directory *d, struct dir_person *rel)
{
	struct dir_person	*st;
	struct dir_link		*nl;
	struct diag_pos		 pos = { rel->src.file, rel->src.line, 0 };
	uint32_t		 i, j;
	int			 found;

	for (i = 0; i < R(rel)->rel_students.n; i++) {
		st = hmap_get(&d->ids[CAT_ELEVE], R(rel)->rel_students.v[i]);
		if (st == NULL || st->deleted) {
			diag(DIAG_REL_DANGLING, &pos,
			    "relative %s, student %s", rel->id,
			    R(rel)->rel_students.v[i]);
			continue;
		}
		for (found = 0, j = 0; j < st->nlinks; j++)
			if (st->links[j].rel == rel)
				found = 1;
		if (found)
			continue;
		nl = arena_calloc(&d->arena, st->nlinks + 1, sizeof(*nl));
		if (st->nlinks > 0)
			memcpy(nl, st->links, st->nlinks * sizeof(*nl));
		st->links = nl;
		add_link(d, st, rel, 0, 1, 0, 0);
	}
}

/* Fill each relative's children from the students' links. */
static void
resolve_children(struct directory *d)
{
	struct dir_person	*p, *rel;
	size_t			 i;
	uint32_t		 j;

	for (i = 0; i < d->npersons; i++) {
		p = d->persons[i];
		if (p->cat != CAT_ELEVE || p->deleted)
			continue;
		for (j = 0; j < p->nlinks; j++)
			p->links[j].rel->nchildren++;
	}
	for (i = 0; i < d->npersons; i++) {
		p = d->persons[i];
		if (p->cat == CAT_PERSRELELEVE && p->nchildren > 0) {
			p->children = arena_calloc(&d->arena, p->nchildren,
			    sizeof(*p->children));
			p->nchildren = 0;
		}
	}
	for (i = 0; i < d->npersons; i++) {
		p = d->persons[i];
		if (p->cat != CAT_ELEVE || p->deleted)
			continue;
		for (j = 0; j < p->nlinks; j++) {
			rel = p->links[j].rel;
			rel->children[rel->nchildren].student = p;
			rel->children[rel->nchildren].legal = p->links[j].legal;
			rel->nchildren++;
		}
	}
}

/*
 * The entcore rule: ENTPersonCategorieEnseignant decides when present;
 * otherwise a teacher teaches in front of students or holds an ENS or
 * DOC function; everyone else is staff.
 */
static enum dir_profile
educnat_profile(const struct dir_person *p)
{
	uint32_t	 i;

	if (p->teacher_cat != 0)
		return p->teacher_cat == 'O' ? PROFILE_TEACHER : PROFILE_STAFF;
	if (p->presence == 'O')
		return PROFILE_TEACHER;
	for (i = 0; i < R(p)->functions.n; i++)
		if (strstr(R(p)->functions.v[i], "$ENS$") != NULL ||
		    strstr(R(p)->functions.v[i], "$DOC$") != NULL)
			return PROFILE_TEACHER;
	return PROFILE_STAFF;
}

static void
resolve_educnat(struct directory *d, struct dir_person *p, struct buf *tmp)
{
	struct diag_pos		 pos = { p->src.file, p->src.line, 0 };
	struct dir_class	*c;
	struct dir_school	*s;
	const char		*f[5];
	size_t			 n;
	uint32_t		 i, j, max;

	p->profile = educnat_profile(p);
	if (p->school_id != NULL)
		p->school = school_ref(d, p->school_id, &p->src);

	/* Schools and function label from ENTPersonFonctions. */
	if (R(p)->functions.n > 0)
		p->schools = arena_calloc(&d->arena, R(p)->functions.n + 1,
		    sizeof(*p->schools));
	for (i = 0; i < R(p)->functions.n; i++) {
		n = split_dollar(tmp, R(p)->functions.v[i], f, 5);
		if (n < 2 || f[0][0] == '\0') {
			diag(DIAG_BAD_SUBFIELD, &pos, "%s %s: %s",
			    dir_cat_name(p->cat), p->id, R(p)->functions.v[i]);
			continue;
		}
		/*
		 * Staff often hold functions in structures of other exports
		 * (several schools, an inspection): those are not ours.
		 */
		if ((s = hmap_get(&d->ids[CAT_ETAB], f[0])) == NULL)
			continue;
		for (j = 0; j < p->nschools; j++)
			if (p->schools[j] == s)
				break;
		if (j == p->nschools)
			p->schools[p->nschools++] = s;
		if (p->function == NULL && n >= 3 && f[2][0] != '\0' &&
		    strcmp(f[1], "-") != 0)
			p->function = strtab_intern(&d->strs, f[2]);
		if (p->school == NULL)
			p->school = s;
	}
	if (p->school != NULL && p->nschools == 0) {
		p->schools = arena_calloc(&d->arena, 1, sizeof(*p->schools));
		p->schools[p->nschools++] = p->school;
	}

	/* Classes taught: old and new attributes, once each. */
	max = R(p)->teach_classes.n + R(p)->teach_classmat.n;
	if (max > 0)
		p->cls = arena_calloc(&d->arena, max, sizeof(*p->cls));
	for (i = 0; i < max; i++) {
		const char *v = i < R(p)->teach_classes.n ? R(p)->teach_classes.v[i] :
		    R(p)->teach_classmat.v[i - R(p)->teach_classes.n];
		if (!class_school_known(d, v))
			continue;
		if ((c = class_from_value(d, p, v, tmp)) == NULL)
			continue;
		if (class_in(p->cls, p->ncls, c))
			continue;
		p->cls[p->ncls++] = c;
		vec_push((void ***)&c->teachers, &c->nteachers,
		    &c->cap_teachers, p);
	}

	/* Head teacher (PP): duplicates occur in real exports. */
	if (R(p)->head_of.n > 0)
		p->pp_of = arena_calloc(&d->arena, R(p)->head_of.n,
		    sizeof(*p->pp_of));
	for (i = 0; i < R(p)->head_of.n; i++) {
		if (!class_school_known(d, R(p)->head_of.v[i]))
			continue;
		if ((c = class_from_value(d, p, R(p)->head_of.v[i], tmp)) == NULL)
			continue;
		if (class_in(p->pp_of, p->npp_of, c)) {
			diag(DIAG_DUP_PP, &pos, "%s %s, class %s",
			    dir_cat_name(p->cat), p->id, c->code);
			continue;
		}
		p->pp_of[p->npp_of++] = c;
		vec_push((void ***)&c->pp, &c->npp, &c->cap_pp, p);
	}
}

static int
school_cmp(const void *a, const void *b)
{
	const struct dir_school	*s = *(struct dir_school *const *)a;
	const struct dir_school	*t = *(struct dir_school *const *)b;
	int			 c;

	/* Schools without UAI (placeholders) go last, by jointure. */
	if (s->uai == NULL || t->uai == NULL) {
		if (s->uai != t->uai)
			return s->uai == NULL ? 1 : -1;
		return strcmp(s->id, t->id);
	}
	if ((c = strcmp(s->uai, t->uai)) != 0)
		return c;
	return strcmp(s->id, t->id);
}

static int
class_cmp(const void *a, const void *b)
{
	const struct dir_class	*c = *(struct dir_class *const *)a;
	const struct dir_class	*e = *(struct dir_class *const *)b;

	return collate_natcmp(c->code, e->code);
}

static int
class_global_cmp(const void *a, const void *b)
{
	const struct dir_class	*c = *(struct dir_class *const *)a;
	const struct dir_class	*e = *(struct dir_class *const *)b;
	int			 r;

	if (c->school != e->school) {
		r = school_cmp(&c->school, &e->school);
		if (r != 0)
			return r;
	}
	return collate_natcmp(c->code, e->code);
}

static void
check_names(const struct dir_person *p)
{
	struct diag_pos	 pos = { p->src.file, p->src.line, 0 };

	if (p->last_name == NULL || p->first_name == NULL)
		diag(DIAG_EMPTY_NAME, &pos, "%s %s", dir_cat_name(p->cat),
		    p->id);
}

void
directory_resolve(struct directory *d)
{
	struct buf		 tmp;
	struct dir_person	*p;
	size_t			 i;

	if (d->resolved)
		return;
	d->resolved = 1;
	buf_init(&tmp);
	resolve_schools(d);
	for (i = 0; i < d->npersons; i++) {
		p = d->persons[i];
		if (p->deleted || p->origin == ORIGIN_MANUAL)
			continue;
		check_names(p);
		switch (p->cat) {
		case CAT_ELEVE:
			resolve_student(d, p, &tmp);
			break;
		case CAT_PERSRELELEVE:
			p->profile = PROFILE_PARENT;
			break;
		case CAT_PERSEDUCNAT:
			resolve_educnat(d, p, &tmp);
			break;
		default:
			break;
		}
	}
	for (i = 0; i < d->npersons; i++) {
		p = d->persons[i];
		if (!p->deleted && p->cat == CAT_ELEVE)
			resolve_links(d, p, &tmp);
	}
	for (i = 0; i < d->npersons; i++) {
		p = d->persons[i];
		if (!p->deleted && p->cat == CAT_PERSRELELEVE)
			resolve_relative_side(d, p);
	}
	resolve_children(d);

	if (d->nschools > 1)
		qsort(d->schools, d->nschools, sizeof(*d->schools),
		    school_cmp);
	for (i = 0; i < d->nschools; i++)
		d->schools[i]->rank = (uint32_t)i;
	for (i = 0; i < d->nschools; i++)
		if (d->schools[i]->nclasses > 1)
			qsort(d->schools[i]->classes, d->schools[i]->nclasses,
			    sizeof(*d->schools[i]->classes), class_cmp);
	if (d->nclasses > 1)
		qsort(d->classes, d->nclasses, sizeof(*d->classes),
		    class_global_cmp);
	/* Later stages sort by this rank instead of comparing codes again. */
	for (i = 0; i < d->nclasses; i++)
		d->classes[i]->rank = (uint32_t)i;
	buf_free(&tmp);
}

/* Is this link one that makes the relative a parent under rule r? */
int
dir_link_is_parent(const struct dir_link *l, enum dir_relatives r)
{
	switch (r) {
	case RELATIVES_LEGAL1:
		return l->legal == 1;
	case RELATIVES_LEGAL12:
		return l->legal == 1 || l->legal == 2;
	case RELATIVES_ALL:
		return 1;
	}
	return 0;
}
