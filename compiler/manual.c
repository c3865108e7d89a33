/*
 * manual: reading the manual-accounts CSV into the directory, attaching
 * those accounts to schools and classes once the directory is resolved,
 * and reading the ENT's account export for `accounts import`.  See
 * manual.h for the file formats and the key of a manual account.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collate.h"
#include "csv.h"
#include "diag.h"
#include "directory.h"
#include "manual.h"
#include "mem.h"

/* Column names, the pinned one first; compared folded (csv_key). */
static const char *const col_profile[] = { "profile", "profil", NULL };
static const char *const col_last[] = { "last_name", "nom", "sn", NULL };
static const char *const col_first[] = { "first_name", "prénom",
    "givenName", NULL };
static const char *const col_class[] = { "class", "classe", "classes",
    NULL };
static const char *const col_email[] = { "email", "mail", "courriel",
    NULL };
static const char *const col_address[] = { "address", "adresse", NULL };
static const char *const col_postcode[] = { "postcode", "code postal",
    "postal_code", "cp", NULL };
static const char *const col_city[] = { "city", "ville", "commune", NULL };
static const char *const col_country[] = { "country", "pays", NULL };
static const char *const col_school[] = { "school", "uai",
    "établissement", NULL };

/* Profile words of the file, in csv_key form. */
static const struct {
	const char		*word;
	enum dir_profile	 profile;
} profile_words[] = {
	{ "student",	PROFILE_STUDENT },
	{ "eleve",	PROFILE_STUDENT },
	{ "teacher",	PROFILE_TEACHER },
	{ "enseignant",	PROFILE_TEACHER },
	{ "staff",	PROFILE_STAFF },
	{ "personnel",	PROFILE_STAFF },
	{ "parent",	PROFILE_PARENT },
	{ "guest",	PROFILE_GUEST },
	{ "invite",	PROFILE_GUEST },
};

#define FNV64_OFFSET	0xcbf29ce484222325ULL
#define FNV64_PRIME	0x100000001b3ULL

static uint64_t	 fnv1a(uint64_t, const char *, size_t);
static int	 email_ok(const char *);
static const char *address_join(struct directory *, const char *);
static void	 classes_split(struct directory *, struct dir_person *,
		    const char *);
static struct dir_class *class_find(const struct directory *,
		    const struct dir_school *, const char *, int *);
static void	 class_attach(struct dir_person *, struct dir_class *);
static void	 resolve_one(struct directory *, struct dir_person *,
		    struct dir_school *);

/* The profile a word of the file names, PROFILE_NONE if none. */
enum dir_profile
manual_profile(const char *s)
{
	struct buf		 k;
	enum dir_profile	 p = PROFILE_NONE;
	size_t			 i;

	buf_init(&k);
	csv_key(&k, s);
	for (i = 0; i < sizeof(profile_words) / sizeof(profile_words[0]); i++)
		if (strcmp(k.p, profile_words[i].word) == 0) {
			p = profile_words[i].profile;
			break;
		}
	buf_free(&k);
	return p;
}

static uint64_t
fnv1a(uint64_t h, const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV64_PRIME;
	}
	return h;
}

/*
 * The key of a manual account (manual.h): stable across runs and files
 * for the same profile, names and email, whatever their case, accents
 * and spacing.
 */
void
manual_key(struct buf *out, enum dir_profile profile, const char *last,
    const char *first, const char *email)
{
	struct buf	 k;
	const char	*pn = dir_profile_name(profile);
	uint64_t	 h = FNV64_OFFSET;
	size_t		 i;

	buf_init(&k);
	h = fnv1a(h, pn, strlen(pn) + 1);
	collate_key(&k, last != NULL ? last : "");
	h = fnv1a(h, k.p, k.len + 1);
	collate_key(&k, first != NULL ? first : "");
	h = fnv1a(h, k.p, k.len + 1);
	buf_reset(&k);
	for (i = 0; email != NULL && email[i] != '\0'; i++)
		buf_addc(&k, email[i] >= 'A' && email[i] <= 'Z' ?
		    email[i] - 'A' + 'a' : email[i]);
	h = fnv1a(h, k.p != NULL ? k.p : "", k.len);
	buf_free(&k);
	buf_reset(out);
	buf_printf(out, "%s%016llx", MANUAL_KEY_PREFIX, (unsigned long long)h);
}

/* Good enough to mail: one @ with text on both sides, no space. */
static int
email_ok(const char *s)
{
	const char	*at = strchr(s, '@');

	return at != NULL && at != s && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL && strpbrk(s, " \t\n;,<>") == NULL;
}

/*
 * A multi-line address cell (quoted, with line breaks) in the AAF form
 * the text module expects: lines joined by $, each trimmed, empty lines
 * dropped.
 */
static const char *
address_join(struct directory *d, const char *s)
{
	struct buf	 b;
	const char	*e, *r;
	size_t		 len;

	buf_init(&b);
	for (; *s != '\0'; s = *e == '\0' ? e : e + 1) {
		e = s + strcspn(s, "\n");
		len = (size_t)(e - s);
		while (len > 0 && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len == 0)
			continue;
		if (b.len > 0)
			buf_addc(&b, '$');
		buf_add(&b, s, len);
	}
	r = b.len > 0 ? arena_strndup(&d->arena, b.p, b.len) : NULL;
	buf_free(&b);
	return r;
}

/*
 * "4A, 4B": the class codes, kept raw for manual_resolve() in the
 * person's dir_raw, where directory.c keeps an AAF student's classes.
 */
static void
classes_split(struct directory *d, struct dir_person *p, const char *s)
{
	struct strv	*sv;
	const char	*e;
	size_t		 len, n = 1;

	for (e = s; *e != '\0'; e++)
		n += *e == ',';
	if (p->raw == NULL)
		p->raw = arena_calloc(&d->arena, 1, sizeof(*p->raw));
	sv = &p->raw->classes;
	sv->v = arena_calloc(&d->arena, n, sizeof(*sv->v));
	sv->n = 0;
	for (; *s != '\0'; s = *e == '\0' ? e : e + 1) {
		e = s + strcspn(s, ",");
		len = (size_t)(e - s);
		while (len > 0 && *s == ' ')
			s++, len--;
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (len > 0)
			sv->v[sv->n++] = strtab_internn(&d->strs, s, len);
	}
}

/*
 * Read one manual-accounts CSV into d (not yet resolved).  Returns 0, or
 * -1 when the file could not be used at all (diagnosed); bad lines are
 * diagnosed and skipped, and counted in d->stats.
 */
int
manual_read_fp(struct directory *d, FILE *fp, const char *name)
{
	struct csv		 c;
	struct buf		 key;
	struct diag_pos		 pos;
	struct dir_src		 src;
	struct dir_person	*p;
	enum dir_profile	 prof;
	const char		*v, *last, *first, *email, *country, *file;
	char			*pc;
	int			 cp, cl, cf, cc, ce, ca, cz, ct, cn, cs, r;

	csv_open_fp(&c, fp, name);
	cp = csv_column(&c, col_profile);
	cl = csv_column(&c, col_last);
	if (cp < 0 || cl < 0) {
		pos.file = name;
		pos.line = 1;
		pos.col = 0;
		diag(DIAG_BAD_CSV, &pos, "no %s column in the header line, "
		    "file skipped; expected profile;last_name;first_name;"
		    "class;email;address;postcode;city;country",
		    cp < 0 ? "profile" : "last_name");
		csv_close(&c);
		return -1;
	}
	cf = csv_column(&c, col_first);
	cc = csv_column(&c, col_class);
	ce = csv_column(&c, col_email);
	ca = csv_column(&c, col_address);
	cz = csv_column(&c, col_postcode);
	ct = csv_column(&c, col_city);
	cn = csv_column(&c, col_country);
	cs = csv_column(&c, col_school);

	file = directory_intern(d, name);
	d->stats.files++;
	buf_init(&key);
	while ((r = csv_next(&c)) == 1) {
		d->stats.records++;
		v = csv_value(&c, cp);
		if ((prof = manual_profile(v)) == PROFILE_NONE) {
			csv_pos(&c, cp, &pos);
			diag(DIAG_BAD_CSV, &pos, "profile \"%s\" is none of "
			    "student, teacher, staff, parent, guest", v);
			d->stats.skipped++;
			continue;
		}
		if (*(last = csv_value(&c, cl)) == '\0') {
			csv_pos(&c, cl, &pos);
			diag(DIAG_BAD_CSV, &pos, "%s", "no last name");
			d->stats.skipped++;
			continue;
		}
		first = csv_value(&c, cf);
		email = csv_value(&c, ce);
		if (*email != '\0' && !email_ok(email)) {
			csv_pos(&c, ce, &pos);
			diag(DIAG_MANUAL_FIELD, &pos, "email \"%s\" is not an "
			    "address, left out", email);
			email = "";
		}

		manual_key(&key, prof, last, first, email);
		csv_pos(&c, -1, &pos);
		if (directory_person(d, CAT_MANUAL, key.p) != NULL) {
			diag(DIAG_MANUAL_FIELD, &pos, "%s %s %s: same profile, "
			    "names and email as an earlier line, kept once",
			    dir_profile_name(prof), first, last);
			continue;
		}
		src.file = file;
		src.line = pos.line;
		p = directory_add_manual(d, prof, key.p, &src);
		d->stats.added++;

		p->last_name = arena_strdup(&d->arena, last);
		p->first_name = *first != '\0' ?
		    arena_strdup(&d->arena, first) : NULL;
		if (*email != '\0') {
			p->mail = pc = arena_strdup(&d->arena, email);
			for (; *pc != '\0'; pc++)
				if (*pc >= 'A' && *pc <= 'Z')
					*pc = (char)(*pc - 'A' + 'a');
		}
		if (*(v = csv_value(&c, ca)) != '\0')
			p->address = address_join(d, v);
		country = csv_value(&c, cn);
		if (*country != '\0')
			p->country = directory_intern(d, country);
		if (*(v = csv_value(&c, ct)) != '\0')
			p->city = directory_intern(d, v);
		v = csv_value(&c, cz);
		/*
		 * Excel turns 01000 into the number 1000: put the zero back
		 * for a French postcode, and say so.
		 */
		if (strlen(v) == 4 && strspn(v, "0123456789") == 4 &&
		    (*country == '\0' || strcasecmp(country, "france") == 0)) {
			csv_pos(&c, cz, &pos);
			diag(DIAG_MANUAL_FIELD, &pos, "postcode %s read as 0%s",
			    v, v);
			buf_reset(&key);
			buf_printf(&key, "0%s", v);
			p->postcode = directory_intern(d, key.p);
		} else if (*v != '\0')
			p->postcode = directory_intern(d, v);
		if (*(v = csv_value(&c, cs)) != '\0')
			p->school_id = directory_intern(d, v);
		if (*(v = csv_value(&c, cc)) != '\0')
			classes_split(d, p, v);
	}
	buf_free(&key);
	csv_close(&c);
	return r < 0 ? -1 : 0;
}

int
manual_read(struct directory *d, const char *path)
{
	FILE	*fp;
	int	 r;

	if ((fp = fopen(path, "rbe")) == NULL) {
		diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
		return -1;
	}
	r = manual_read_fp(d, fp, path);
	fclose(fp);
	return r;
}

/*
 * The class with this code, in school s if given, else in any school of
 * the export.  *n is the number of matches: a code such as 4B is common
 * to several schools of one academy, and then the file must say which
 * (a school column).
 */
static struct dir_class *
class_find(const struct directory *d, const struct dir_school *s,
    const char *code, int *n)
{
	struct dir_class	*c, *found = NULL;
	size_t			 i;

	*n = 0;
	for (i = 0; i < d->nclasses; i++) {
		c = d->classes[i];
		if (c->school->deleted || strcasecmp(c->code, code) != 0)
			continue;
		if (s != NULL && c->school != s)
			continue;
		found = c;
		(*n)++;
	}
	return found;
}

/*
 * Link a manual account to a class as directory_resolve() links AAF
 * ones: a student is one of its students, a teacher one of its teachers,
 * so that class batches and --class find them; other profiles only point
 * to the class.  The vectors grow the way directory.c grows them.
 */
static void
class_attach(struct dir_person *p, struct dir_class *c)
{
	uint32_t	 i;

	for (i = 0; i < p->ncls; i++)
		if (p->cls[i] == c)
			return;
	p->cls[p->ncls++] = c;
	if (p->profile == PROFILE_STUDENT) {
		if (c->nstudents == c->cap_students) {
			c->cap_students = c->cap_students == 0 ? 8 :
			    c->cap_students * 2;
			c->students = xreallocarray(c->students,
			    c->cap_students, sizeof(*c->students));
		}
		c->students[c->nstudents++] = p;
	} else if (p->profile == PROFILE_TEACHER) {
		if (c->nteachers == c->cap_teachers) {
			c->cap_teachers = c->cap_teachers == 0 ? 8 :
			    c->cap_teachers * 2;
			c->teachers = xreallocarray(c->teachers,
			    c->cap_teachers, sizeof(*c->teachers));
		}
		c->teachers[c->nteachers++] = p;
	}
}

/*
 * One manual account: its school (the school column, else the school of
 * its first class, else the only school of the export) and its classes.
 * A class or school that cannot be found is a warning; the account stays,
 * without it.
 */
static void
resolve_one(struct directory *d, struct dir_person *p,
    struct dir_school *only)
{
	struct dir_school	*s;
	struct dir_class	*c;
	struct diag_pos		 pos = { p->src.file, p->src.line, 0 };
	const struct strv	 none = { NULL, 0 }, *sv = &none;
	const char		*code;
	uint32_t		 j;
	int			 n;

	if (p->school_id != NULL && p->school == NULL) {
		if ((s = directory_school(d, p->school_id)) == NULL)
			s = directory_school_by_uai(d, p->school_id);
		if (s == NULL || s->deleted)
			diag(DIAG_MANUAL_FIELD, &pos, "%s: school %s is not in "
			    "the export, account kept without it", p->id,
			    p->school_id);
		else
			p->school = s;
	}
	if (p->raw != NULL)
		sv = &p->raw->classes;
	if (sv->n > 0 && p->cls == NULL)
		p->cls = arena_calloc(&d->arena, sv->n, sizeof(*p->cls));
	for (j = 0; j < sv->n; j++) {
		code = sv->v[j];
		c = class_find(d, p->school, code, &n);
		if (n == 1)
			class_attach(p, c);
		else if (n == 0)
			diag(DIAG_MANUAL_FIELD, &pos, "%s: class %s is not in "
			    "the export, account kept without it", p->id, code);
		else
			diag(DIAG_MANUAL_FIELD, &pos, "%s: class %s is in %d "
			    "schools, account kept without it; add a school "
			    "column", p->id, code, n);
	}
	if (p->school == NULL && p->ncls > 0)
		p->school = p->cls[0]->school;
	if (p->school == NULL)
		p->school = only;
	if (p->profile == PROFILE_STUDENT && p->ncls == 0)
		diag(DIAG_NO_CLASS, &pos, "student %s", p->id);
}

/*
 * After directory_resolve(), which leaves manual accounts alone: attach
 * them to the schools and classes of the export.
 */
void
manual_resolve(struct directory *d)
{
	struct dir_school	*only = NULL;
	size_t			 i, nlive = 0;

	for (i = 0; i < d->nschools; i++)
		if (!d->schools[i]->deleted && d->schools[i]->in_export) {
			only = d->schools[i];
			nlive++;
		}
	if (nlive != 1)
		only = NULL;
	for (i = 0; i < d->npersons; i++)
		if (d->persons[i]->origin == ORIGIN_MANUAL &&
		    !d->persons[i]->deleted)
			resolve_one(d, d->persons[i], only);
}

/* --- the ENT's account export --------------------------------------- */

static const char *const col_login[] = { "Login", "login", NULL };
static const char *const col_code[] = { "Code d'activation",
    "activationCode", NULL };

/*
 * Read the ENT's user export and call cb(arg, login, activated, pos) for
 * each account; pos is valid during the call only.  A code column left
 * empty means the account was activated.  The codes themselves are never
 * passed on, printed or kept: csv_close() wipes them.  Returns 0, or -1
 * when the file was unusable (diagnosed) or cb returned non-zero.
 */
int
accounts_import_read_fp(FILE *fp, const char *name,
    int (*cb)(void *, const char *, int, const struct diag_pos *),
    void *arg)
{
	struct csv	 c;
	struct diag_pos	 pos;
	const char	*login, *code;
	int		 cl, cc, r, ret = 0;

	csv_open_fp(&c, fp, name);
	cl = csv_column(&c, col_login);
	cc = csv_column(&c, col_code);
	if (cl < 0 || cc < 0) {
		pos.file = name;
		pos.line = 1;
		pos.col = 0;
		diag(DIAG_BAD_CSV, &pos, "no %s column in the header line, "
		    "file skipped; expected Login (or login) and "
		    "Code d'activation (or activationCode)",
		    cl < 0 ? "login" : "activation code");
		csv_close(&c);
		return -1;
	}
	while ((r = csv_next(&c)) == 1) {
		login = csv_value(&c, cl);
		csv_pos(&c, cl, &pos);
		if (*login == '\0') {
			diag(DIAG_BAD_CSV, &pos, "%s", "no login");
			continue;
		}
		code = csv_value(&c, cc);
		if (cb(arg, login, *code == '\0', &pos) != 0) {
			ret = -1;
			break;
		}
	}
	if (r < 0)
		ret = -1;
	csv_close(&c);
	return ret;
}

int
accounts_import_read(const char *path,
    int (*cb)(void *, const char *, int, const struct diag_pos *),
    void *arg)
{
	FILE	*fp;
	int	 r;

	if ((fp = fopen(path, "rbe")) == NULL) {
		diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
		return -1;
	}
	r = accounts_import_read_fp(fp, path, cb, arg);
	fclose(fp);
	return r;
}
