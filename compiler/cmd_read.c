/*
 * cmd_read: the first step of every command, shared: expand the EXPORT
 * operands, order them, read them into a directory and resolve it; plus
 * the `check` and `list` commands, which only report on that directory.
 */
#include "config.h"

#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaf.h"
#include "cmd.h"
#include "collate.h"
#include "diag.h"
#include "progress.h"
#include "directory.h"
#include "ledger.h"
#include "manual.h"
#include "mem.h"
#include "select.h"

void
cmd_opts_init(struct cmd_opts *o)
{
	memset(o, 0, sizeof(*o));
	sel_opts_init(&o->sel);
	o->out = stdout;
	o->valid_days = 30;
}

/*
 * Test runs and real runs never share a ledger: a test ledger's key is
 * derived from the seed, and test codes are predictable.
 */
int
cmd_ledger_mode_ok(const struct cmd_opts *o, const struct ledger *l,
    const char *path)
{
	if (o->test_mode && !ledger_is_test(l)) {
		diag_sys(DIAG_BAD_LEDGER, path, "%s", "this ledger holds real "
		    "letters: --test-mode needs a ledger of its own");
		return -1;
	}
	if (!o->test_mode && ledger_is_test(l)) {
		diag_sys(DIAG_BAD_LEDGER, path, "%s", "this ledger was created "
		    "by --test-mode, its key and codes are predictable: use "
		    "a new ledger for real letters");
		return -1;
	}
	return 0;
}

/*
 * From here on codes are in memory: no core file may carry them away.
 * RLIMIT_CORE alone is not enough where core dumps are piped to a
 * collector (systemd-coredump, apport): those ignore it, so the process
 * also becomes non-dumpable, which also keeps ptrace from other users'
 * processes away.
 */
void
cmd_no_core(void)
{
	struct rlimit	 nocore = { 0, 0 };

	setrlimit(RLIMIT_CORE, &nocore);
#ifdef __linux__
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

void
cmd_opts_free(struct cmd_opts *o)
{
	size_t	 i;

	sel_opts_free(&o->sel);
	for (i = 0; i < o->nexports; i++)
		free(o->exports[i]);
	free(o->exports);
	for (i = 0; i < o->ninputs; i++)
		free(o->inputs[i].path);
	free(o->inputs);
}

/* Remember a file read, once: an archive holds many sources. */
static void
input_add(struct cmd_opts *o, const char *path, const char *kind)
{
	size_t	 i;

	for (i = 0; i < o->ninputs; i++)
		if (strcmp(o->inputs[i].path, path) == 0)
			return;
	o->inputs = xreallocarray(o->inputs, o->ninputs + 1,
	    sizeof(*o->inputs));
	o->inputs[o->ninputs].path = xstrdup(path);
	o->inputs[o->ninputs].kind = kind;
	o->ninputs++;
}

/*
 * Read every operand into d.  Unreadable operands are diagnosed and
 * skipped; the directory holds whatever could be read.  Returns -1 when
 * there was nothing to read at all.
 */
int
cmd_load(struct cmd_opts *o, struct directory *d)
{
	return cmd_load_paths(o, o->args, (size_t)o->nargs, d);
}

/*
 * The same for the paths given (a reissue reads the export of the run
 * that issued a code, or --export).  The files read are listed in
 * o->inputs, in operand order, for the manifest.
 */
int
cmd_load_paths(struct cmd_opts *o, char *const *paths, size_t n,
    struct directory *d)
{
	struct aaf_set	 set;
	size_t		 i, k, ncsv;

	if (n == 0) {
		diag(DIAG_BAD_ARG, NULL, "%s", "no EXPORT given");
		return -1;
	}
	aaf_set_init(&set);
	for (i = 0; i < n; i++) {
		k = set.n;
		ncsv = set.ncsv;
		aaf_collect(&set, paths[i]);
		for (; k < set.n; k++)
			input_add(o, set.v[k].path, set.v[k].member != NULL ?
			    "archive" : "xml");
		for (; ncsv < set.ncsv; ncsv++)
			input_add(o, set.csv[ncsv], "csv");
	}
	aaf_order(&set);
	progress_phase(PHASE_READ, set.n);
	aaf_read(&set, d);
	for (i = 0; i < set.ncsv; i++)
		manual_read(d, set.csv[i]);
	directory_resolve(d);
	/* Manual accounts join the resolved AAF schools and classes. */
	if (set.ncsv > 0)
		manual_resolve(d);
	aaf_set_free(&set);
	return 0;
}

static int
count_parents(const struct directory *d, const struct dir_person *p,
    enum dir_relatives r)
{
	const struct dir_person	*st;
	uint32_t		 i, j;

	for (i = 0; i < p->nchildren; i++) {
		st = p->children[i].student;
		for (j = 0; j < st->nlinks; j++)
			if (st->links[j].rel == p &&
			    dir_link_is_parent(&st->links[j], r))
				return 1;
	}
	return 0;
}

/*
 * `check`: what was read, per school and class, so an administrator sees
 * at a glance whether the export is the one expected.
 */
int
cmd_check(struct cmd_opts *o)
{
	struct directory	 d;
	struct dir_school	*s;
	struct dir_class	*c;
	struct dir_person	*p;
	unsigned long		 prof[PROFILE__MAX], rel = 0, orphans = 0;
	unsigned long		 (*sprof)[PROFILE__MAX];
	size_t			 i, k;
	uint32_t		 j, live;
	FILE			*out = o->out;

	directory_init(&d);
	if (cmd_load(o, &d) != 0) {
		directory_free(&d);
		return diag_worst();
	}
	memset(prof, 0, sizeof(prof));
	for (i = 0; i < d.npersons; i++) {
		p = d.persons[i];
		if (p->deleted || p->profile == PROFILE_NONE)
			continue;
		if (p->profile == PROFILE_PARENT) {
			rel++;
			if (p->nchildren == 0)
				orphans++;
			if (!count_parents(&d, p, o->sel.relatives))
				continue;
		}
		prof[p->profile]++;
	}

	/* Per school counts in one pass: an academy has hundreds of them. */
	sprof = xcalloc(d.nschools + 1, sizeof(*sprof));
	for (i = 0; i < d.npersons; i++) {
		p = d.persons[i];
		if (p->deleted || p->school == NULL)
			continue;
		if (p->profile == PROFILE_STUDENT ||
		    p->profile == PROFILE_TEACHER ||
		    p->profile == PROFILE_STAFF)
			sprof[p->school->rank][p->profile]++;
	}
	for (k = 0; k < d.nschools; k++) {
		s = d.schools[k];
		if (s->deleted)
			continue;
		fprintf(out, "school %s %s (jointure %s%s)\n",
		    s->uai != NULL ? s->uai : "-",
		    s->name != NULL ? s->name : s->id, s->id,
		    s->in_export ? "" : ", not in the export");
		fprintf(out, "  students %lu, teachers %lu, staff %lu, "
		    "classes %u\n", sprof[k][PROFILE_STUDENT],
		    sprof[k][PROFILE_TEACHER], sprof[k][PROFILE_STAFF],
		    s->nclasses);
		for (j = 0; j < s->nclasses; j++) {
			c = s->classes[j];
			for (live = 0, i = 0; i < c->nstudents; i++)
				if (!c->students[i]->deleted)
					live++;
			fprintf(out, "  class %s: %u students, %u teachers, "
			    "head teacher ", c->code, live, c->nteachers);
			if (c->npp == 0)
				fputs("none", out);
			for (i = 0; i < c->npp; i++)
				fprintf(out, "%s%s %s", i > 0 ? ", " : "",
				    c->pp[i]->first_name != NULL ?
				    c->pp[i]->first_name : "",
				    c->pp[i]->last_name != NULL ?
				    c->pp[i]->last_name : c->pp[i]->id);
			fputc('\n', out);
		}
	}
	fprintf(out, "total: %lu students, %lu teachers, %lu staff, "
	    "%lu parents, %lu guests\n", prof[PROFILE_STUDENT],
	    prof[PROFILE_TEACHER], prof[PROFILE_STAFF],
	    prof[PROFILE_PARENT], prof[PROFILE_GUEST]);
	fprintf(out, "relatives: %lu read, %lu parents (--relatives %s), "
	    "%lu linked to no student\n", rel, prof[PROFILE_PARENT],
	    o->sel.relatives == RELATIVES_LEGAL1 ? "legal1" :
	    o->sel.relatives == RELATIVES_LEGAL12 ? "legal12" : "all",
	    orphans);
	fprintf(out, "records: %lu files, %lu read, %lu added, %lu modified, "
	    "%lu deleted, %lu skipped\n", d.stats.files, d.stats.records,
	    d.stats.added, d.stats.modified, d.stats.deleted,
	    d.stats.skipped);
	fprintf(out, "diagnostics: %lu warnings, %lu errors, %lu system "
	    "errors\n", diag_count(LEVEL_WARNING), diag_count(LEVEL_ERROR),
	    diag_count(LEVEL_SYSERR));
	free(sprof);
	directory_free(&d);
	return diag_worst();
}

/* A TSV field: tabs, newlines and other controls become spaces. */
static void
tsv_put(FILE *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, out);
}

static void
list_classes(FILE *out, const struct sel_opts *o, const struct dir_person *p)
{
	const struct dir_class	*seen[64];
	const struct dir_person	*st;
	size_t			 nseen = 0, k;
	uint32_t		 i, j;
	int			 first = 1;

	if (p->profile != PROFILE_PARENT) {
		for (i = 0; i < p->ncls; i++) {
			fprintf(out, "%s", first ? "" : ",");
			tsv_put(out, p->cls[i]->code);
			first = 0;
		}
		return;
	}
	/* A parent's classes are those of the children selecting them. */
	for (i = 0; i < p->nchildren; i++) {
		st = p->children[i].student;
		if (!select_student_matches(o, st))
			continue;
		for (j = 0; j < st->ncls; j++) {
			for (k = 0; k < nseen; k++)
				if (seen[k] == st->cls[j])
					break;
			if (k < nseen)
				continue;
			if (nseen < sizeof(seen) / sizeof(seen[0]))
				seen[nseen++] = st->cls[j];
			fprintf(out, "%s", first ? "" : ",");
			tsv_put(out, st->cls[j]->code);
			first = 0;
		}
	}
}

static const struct dir_school *
list_school(const struct dir_person *p)
{
	if (p->school != NULL)
		return p->school;
	if (p->ncls > 0)
		return p->cls[0]->school;
	if (p->nchildren > 0)
		return list_school(p->children[0].student);
	return NULL;
}

/* `list`: the selected accounts, one a line, tab-separated. */
int
cmd_list(struct cmd_opts *o)
{
	struct directory	 d;
	struct selection	 sel;
	const struct dir_school	*s;
	struct dir_person	*p;
	struct ledger		*l = NULL;
	struct ledger_acct	 la;
	struct buf		 key;
	enum acct_state		 st;
	char			 date[11];
	size_t			 i;
	int			 rc;
	FILE			*out = o->out;

	/*
	 * The ledger knows states and logins.  Without --ledger a missing
	 * default ledger just means nothing was issued yet.
	 */
	rc = ledger_open(&l, o->ledger != NULL ? o->ledger : LEDGER_DEFAULT,
	    0);
	if (rc == LEDGER_NOTFOUND && o->ledger != NULL)
		diag_sys(DIAG_BAD_LEDGER, o->ledger, "%s", "no such ledger");
	if (rc != 0 && (rc != LEDGER_NOTFOUND || o->ledger != NULL))
		return diag_worst();
	if (l != NULL && cmd_run_date(o, date) == 0)
		ledger_set_today(l, date);
	if (l != NULL) {
		o->sel.state_of = ledger_state_of;
		o->sel.state_arg = l;
	}
	directory_init(&d);
	if (cmd_load(o, &d) != 0) {
		directory_free(&d);
		if (l != NULL)
			ledger_close(l);
		return diag_worst();
	}
	/* Each account listed is looked up: one snapshot for them all. */
	if (l != NULL && ledger_read_begin(l) != 0) {
		directory_free(&d);
		ledger_close(l);
		return diag_worst();
	}
	select_run(&d, &o->sel, &sel);
	buf_init(&key);
	fputs("id\tprofile\torigin\tstate\tschool\tclasses\tlast_name\t"
	    "first_name\tlogin\n", out);
	for (i = 0; i < sel.n; i++) {
		p = sel.v[i];
		st = o->sel.state_of != NULL ?
		    o->sel.state_of(o->sel.state_arg, p) : STATE_INACTIVE;
		la.login[0] = '\0';
		if (l != NULL) {
			ledger_acct_key(&key, p);
			if (ledger_lookup(l, key.p, &la) != 0)
				la.login[0] = '\0';
		}
		s = list_school(p);
		tsv_put(out, p->id);
		fprintf(out, "\t%s\t%s\t%s\t", dir_profile_name(p->profile),
		    p->origin == ORIGIN_MANUAL ? "manual" : "aaf",
		    acct_state_name(st));
		tsv_put(out, s == NULL ? "" : s->uai != NULL ? s->uai : s->id);
		fputc('\t', out);
		list_classes(out, &o->sel, p);
		fputc('\t', out);
		tsv_put(out, p->last_name);
		fputc('\t', out);
		tsv_put(out, p->first_name);
		fputc('\t', out);
		tsv_put(out, la.login);
		fputc('\n', out);
	}
	buf_free(&key);
	selection_free(&sel);
	directory_free(&d);
	if (l != NULL)
		ledger_close(l);
	return diag_worst();
}
